// The centrals an edge replicates to (issue 10). `--central-endpoint` is one ZeroMQ endpoint or a
// comma-separated list of them, tried one at a time in that order (edge/central_rotation.h);
// `--central-public-key` is one key for every endpoint (the centrals of a chain share one server
// key pair) or a comma-separated list of the same length, in the same order. A key is Z85 text or
// the path of a .pub file, read later by common::LoadCurvePublicKey. Spaces around an entry are
// ignored (a config file may say "a, b"). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace storepulse::edge {

struct CentralEndpoint {
  std::string endpoint;    // e.g. tcp://central-a.example:7600
  std::string public_key;  // as configured: Z85 text or the path of a .pub file
};

// The list, in order. InvalidArgument naming the flag and the entry's place: an empty entry, an
// endpoint without a transport ("tcp://…"), an endpoint listed twice, or a number of keys that is
// neither 1 nor the number of endpoints.
// REQUIRES: `endpoints` is not empty (no replication is configured otherwise).
common::StatusOr<std::vector<CentralEndpoint>> ParseCentralEndpoints(
    const std::string& endpoints, const std::string& public_keys);

}  // namespace storepulse::edge
