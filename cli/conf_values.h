// Setting keys in a daemon's `key = value` config file (packaging/edge.conf's format) the way a
// person would: the packaged file lists every option commented out at its default, so a key's
// value goes on a line of its own right below its `# key =` listing, and every comment stays.
// Pure functions of text; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace storepulse::cli {

using ConfValues = std::vector<std::pair<std::string, std::string>>;  // key, value, in order

// `text` with each of `values` set. A key the file already sets (an uncommented `key = …` line)
// to another value is FailedPrecondition, naming it — the file is someone's configuration — unless
// `replace`, which rewrites that line; set to the same value it is left alone. A key the file only
// lists goes below its listing; a key it does not mention goes at the end.
common::StatusOr<std::string> SetConfValues(const std::string& text, const ConfValues& values,
                                            bool replace);

}  // namespace storepulse::cli
