#include "tests/packaging/option_listing.h"

#include <regex>
#include <sstream>

namespace storepulse::packaging_test {
namespace {

// Boost.Program_options prints "  --name arg (=default)   help…"; long names or defaults push
// the help text to the next line, which then starts with spaces and no "--".
const std::regex kHelpOption(R"(^  --([a-z0-9-]+)(?: arg)?(?: \(=([^)]*)\))?(?:\s.*)?$)");
// "# name = value" or "# name =" — the config file's way of listing an option at its default.
const std::regex kConfOption(R"(^# ([a-z0-9-]+) =(?: (.*))?$)");

}  // namespace

OptionDefaults OptionsFromHelp(const std::string& help) {
  OptionDefaults options;
  std::istringstream in(help);
  bool in_own_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.find("(also keys of --config):") != std::string::npos) {
      in_own_section = true;
      continue;
    }
    if (!line.empty() && line[0] != ' ') in_own_section = false;  // another section's title
    std::smatch match;
    if (in_own_section && std::regex_match(line, match, kHelpOption)) {
      options[match[1]] = match[2];
    }
  }
  return options;
}

OptionDefaults OptionsFromConf(const std::string& conf) {
  OptionDefaults options;
  std::istringstream in(conf);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kConfOption)) options[match[1]] = match[2];
  }
  return options;
}

std::string UncommentDefaults(const std::string& conf) {
  std::ostringstream out;
  std::istringstream in(conf);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    const bool has_default = std::regex_match(line, match, kConfOption) && match[2].length() > 0;
    out << (has_default ? line.substr(2) : line) << "\n";
  }
  return out.str();
}

}  // namespace storepulse::packaging_test
