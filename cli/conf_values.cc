#include "cli/conf_values.h"

#include <regex>
#include <set>
#include <sstream>

namespace storepulse::cli {
namespace {

// "key = value" (set) and "# key = value" / "# key =" (listed at its default).
const std::regex kSetLine(R"(^\s*([a-z0-9-]+)\s*=\s*(.*?)\s*$)");
const std::regex kListedLine(R"(^#\s*([a-z0-9-]+)\s*=.*$)");

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string* ValueOf(const ConfValues& values, const std::string& key) {
  for (const auto& [name, value] : values) {
    if (name == key) return &value;
  }
  return nullptr;
}

}  // namespace

common::StatusOr<std::string> SetConfValues(const std::string& text, const ConfValues& values,
                                            bool replace) {
  std::vector<std::string> lines = Lines(text);
  std::set<std::string> done;
  for (std::string& line : lines) {  // keys the file sets already
    std::smatch match;
    if (!std::regex_match(line, match, kSetLine)) continue;
    const std::string* wanted = ValueOf(values, match[1]);
    if (wanted == nullptr || done.count(match[1])) continue;
    if (match[2] != *wanted && !replace) {
      return common::FailedPrecondition("it sets " + std::string(match[1]) + " = " +
                                        std::string(match[2]) + " already (not " + *wanted + ")");
    }
    line = std::string(match[1]) + " = " + *wanted;
    done.insert(match[1]);
  }
  std::ostringstream out;
  for (const std::string& line : lines) {  // keys it lists: set below their listing
    out << line << "\n";
    std::smatch match;
    if (!std::regex_match(line, match, kListedLine) || done.count(match[1])) continue;
    if (const std::string* wanted = ValueOf(values, match[1])) {
      out << match[1] << " = " << *wanted << "\n";
      done.insert(match[1]);
    }
  }
  bool first = true;
  for (const auto& [key, value] : values) {  // keys it does not mention
    if (done.count(key)) continue;
    if (first && !lines.empty()) out << "\n";
    first = false;
    out << key << " = " << value << "\n";
  }
  return out.str();
}

}  // namespace storepulse::cli
