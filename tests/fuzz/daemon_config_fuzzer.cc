// Fuzzes the edge's config file (500 of them in the field, edited by hand): the INI text of
// `--config FILE` read with the edge's options as common/config/command_line.cc reads it
// (Boost.Program_options' parse_config_file, whose errors the adapter turns into a Status), then
// its checks (ValidateEdgeConfig: host:port, central endpoints, opening hours…). Central's checks
// link its alert delivery (HTTP client): not fuzzed here. Asserts that nothing but po::error
// escapes the parse — anything else would pass the adapter and reach main's last-resort catch, or
// terminate — and that the check answers the same twice (it is pure).
#include <boost/program_options.hpp>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "edge/edge_config.h"
#include "tests/fuzz/fuzz_check.h"

namespace po = boost::program_options;

namespace {

// True when the text parses as a config file of `options` (as ParseCommandLine reads --config).
bool ParseConfigText(const std::string& text, const po::options_description& options) {
  std::istringstream in(text);
  po::variables_map values;
  try {
    po::store(po::parse_config_file(in, options), values);
    po::notify(values);
  } catch (const po::error&) {
    return false;
  }
  return true;
}

template <typename Config, typename MakeOptions, typename Validate>
void CheckDaemon(const std::string& text, MakeOptions make_options, Validate validate) {
  Config config;
  if (!ParseConfigText(text, make_options(&config))) return;
  const bool valid = validate(config).ok();
  FUZZ_CHECK(validate(config).ok() == valid, "the check answered differently twice");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckDaemon<storepulse::edge::EdgeConfig>(text, storepulse::edge::EdgeOptions,
                                            storepulse::edge::ValidateEdgeConfig);
  return 0;
}
