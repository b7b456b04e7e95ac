// Fuzzes central's targets file (common/targets/targets_file.h: ParseTargets), read at start and on
// SIGHUP. Asserts, for a file it reads:
//   - every target is a finite number, and no (scope, kpi, period) appears twice;
//   - the targets written back (every cell quoted, the number in its shortest exact form) read
//     back to the same targets.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "common/targets/targets_file.h"
#include "tests/fuzz/fuzz_check.h"

namespace common = storepulse::common;

namespace {

std::string Quoted(std::string_view cell) {
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto targets = common::ParseTargets(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!targets.ok()) return 0;
  std::set<std::tuple<std::string, std::string, common::TargetPeriod>> seen;
  std::string written = "scope,kpi,period,target\n";
  for (const common::Target& target : *targets) {
    FUZZ_CHECK(std::isfinite(target.target), "target of " + target.kpi + " is not finite");
    FUZZ_CHECK(seen.emplace(target.scope, target.kpi, target.period).second,
               "a repeated target: " + target.scope + " " + target.kpi);
    char number[64];
    const auto end = std::to_chars(number, number + sizeof number, target.target).ptr;
    written += Quoted(target.scope) + "," + Quoted(target.kpi) + "," +
               std::string(common::TargetPeriodName(target.period)) + "," +
               std::string(number, end) + "\n";
  }
  auto again = common::ParseTargets(written);
  FUZZ_CHECK(again.ok(), "written targets refused: " + again.status().message());
  FUZZ_CHECK(again->size() == targets->size(), "target count differs after writing back");
  for (size_t i = 0; i < targets->size(); ++i) {
    const common::Target& a = (*targets)[i];
    const common::Target& b = (*again)[i];
    FUZZ_CHECK(a.scope == b.scope && a.kpi == b.kpi && a.period == b.period && a.target == b.target,
               "target " + std::to_string(i) + " differs after writing back: " + written);
  }
  return 0;
}
