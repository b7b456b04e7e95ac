#include "common/config/host_port.h"

#include <stdexcept>

namespace storepulse::common {

Status SplitHostPort(const std::string& text, std::string* host, int* port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("\"" + text + "\" is not host:port (e.g. 127.0.0.1:8601)");
  }
  try {
    size_t used = 0;
    int value = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || value < 0 || value > 65535) throw std::out_of_range("");
    *port = value;
  } catch (const std::exception&) {
    return InvalidArgument("\"" + text + "\" has no valid port (0–65535)");
  }
  *host = text.substr(0, colon);
  return OkStatus();
}

}  // namespace storepulse::common
