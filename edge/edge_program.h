// What storepulse-edge says about itself: the first lines of --help, its manual page's text
// (common/config/man_page.h; the options come from EdgeOptions) and where --help sends the reader.
#pragma once

#include "common/config/daemon_main.h"

namespace storepulse::edge {

common::DaemonProgram EdgeProgram();

}  // namespace storepulse::edge
