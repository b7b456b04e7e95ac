// What storepulse-central says about itself: the first lines of --help, its manual page's text
// (common/config/man_page.h; the options come from CentralOptions) and where --help sends the
// reader.
#pragma once

#include "common/config/daemon_main.h"

namespace storepulse::central {

common::DaemonProgram CentralProgram();

}  // namespace storepulse::central
