// `storepulse enroll --store S --central HOST:PORT --central-key FILE`: everything a store server
// needs to replicate, in one command — the edge's CURVE key pair, central's public key beside it,
// edge.conf with the store, its zone, central's endpoint and the keys' paths — then the one line
// central's stores file needs, as the `storepulse stores add` command to run at central. Writes
// nothing unless every check passed; never overwrites keys or a configured edge.conf without
// --force. Exit codes as in command.h. See docs/CLI.md and docs/OPERATIONS.md ("Enrolling a store").
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunEnroll(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
