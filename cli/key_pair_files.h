// Writing a CurveZMQ key pair as files for `storepulse keygen` and `storepulse enroll`, with the
// one rule both follow: an existing PREFIX.key or PREFIX.pub is never overwritten — every peer
// that knows the old public key would be locked out — unless `force`, which moves the old files
// aside as PREFIX.key.replaced-<UTC time> (and .pub) first. Stateless; not for concurrent use on
// the same prefix.
#pragma once

#include <ostream>
#include <string>

#include "common/status.h"
#include "common/transport/curve_keys.h"

namespace storepulse::cli {

// Makes a new pair and writes PREFIX.key (0600) and PREFIX.pub (0644), creating missing
// directories. FailedPrecondition, naming the file, when one exists and !force; with `force` the
// old files are moved aside and `warn` says so. `command` names the caller in the warning.
common::StatusOr<common::CurveKeyPair> WriteNewKeyPair(const std::string& prefix, bool force,
                                                       const std::string& command,
                                                       std::ostream& warn);

// Gives PREFIX.key to `user` (and its group) when that user exists, keeping mode 0600, so that the
// daemon running as `user` reads it. Nothing when the user does not exist (a machine without the
// package); FailedPrecondition when it exists but the file cannot be given to it (not root).
// `*chowned` tells whether the owner was changed.
common::Status GiveSecretKeyTo(const std::string& key_path, const std::string& user,
                               bool* chowned);

}  // namespace storepulse::cli
