// Log lines to stderr, one line per call, with the syslog priority prefix journald understands
// ("<3>" error, "<4>" warning, "<5>" notice, "<6>" info). Thread-safe.
#pragma once

#include <string_view>

namespace storepulse::common {

void LogInfo(std::string_view message);
void LogWarning(std::string_view message);
void LogNotice(std::string_view message);  // normal but significant: an alert cleared
void LogError(std::string_view message);

}  // namespace storepulse::common
