#include "common/log.h"

#include <cstdio>
#include <string>

namespace storepulse::common {

namespace {
void Write(const char* prefix, std::string_view message) {
  std::string line = prefix;
  line.append(message);
  line += '\n';
  fwrite(line.data(), 1, line.size(), stderr);  // one write per line: lines never interleave
}
}  // namespace

void LogInfo(std::string_view message) { Write("<6>", message); }
void LogWarning(std::string_view message) { Write("<4>warning: ", message); }
void LogNotice(std::string_view message) { Write("<5>", message); }
void LogError(std::string_view message) { Write("<3>error: ", message); }

}  // namespace storepulse::common
