// "host:port" as the daemons' --http-listen takes it.
#pragma once

#include <string>

#include "common/status.h"

namespace storepulse::common {

// Splits "127.0.0.1:8601" (the last colon separates the port); InvalidArgument otherwise.
Status SplitHostPort(const std::string& text, std::string* host, int* port);

}  // namespace storepulse::common
