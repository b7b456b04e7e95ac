// `storepulse keygen --out PREFIX`: makes a CurveZMQ key pair for an edge or for central
// (SPEC §4), PREFIX.key (secret, mode 0600) and PREFIX.pub (public, Z85), and says where the
// public key goes. It never overwrites a key pair unless --force, which keeps the old pair beside
// the new one. Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunKeygen(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
