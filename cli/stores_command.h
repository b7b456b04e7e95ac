// `storepulse stores add LINE`, at central: adds one store to central's stores file — the line
// `storepulse enroll` printed on the store server — and makes central re-read the file. The line
// is checked by central's own parser, a store or key already in the file is refused, the file is
// replaced atomically (central never reads half of it), and central is reloaded: through systemd
// (`systemctl reload storepulse-central`) or by SIGHUP to --pid; then its fleet API is asked
// whether it lists the store. Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunStores(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
