#include "edge/central_endpoints.h"

#include <algorithm>

namespace storepulse::edge {

namespace {

std::string Trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// The comma-separated entries of `flag`'s value; InvalidArgument on an empty one.
common::StatusOr<std::vector<std::string>> SplitList(const std::string& flag,
                                                     const std::string& text) {
  std::vector<std::string> entries;
  for (size_t begin = 0;;) {
    const size_t comma = text.find(',', begin);
    entries.push_back(Trimmed(text.substr(begin, comma - begin)));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].empty()) {
      return common::InvalidArgument("--" + flag + ": entry " + std::to_string(i + 1) + " of " +
                                     std::to_string(entries.size()) +
                                     " is empty (a comma-separated list, e.g. "
                                     "tcp://central-a:7600,tcp://central-b:7600)");
    }
  }
  return entries;
}

// "1 endpoint", "3 keys".
std::string Count(size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

common::StatusOr<std::vector<CentralEndpoint>> ParseCentralEndpoints(
    const std::string& endpoints, const std::string& public_keys) {
  ASSIGN_OR_RETURN(std::vector<std::string> addresses, SplitList("central-endpoint", endpoints));
  ASSIGN_OR_RETURN(std::vector<std::string> keys, SplitList("central-public-key", public_keys));
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (addresses[i].find("://") == std::string::npos) {
      return common::InvalidArgument("--central-endpoint: \"" + addresses[i] +
                                     "\" is not a ZeroMQ endpoint (tcp://host:port)");
    }
    if (std::find(addresses.begin(), addresses.begin() + i, addresses[i]) !=
        addresses.begin() + i) {
      return common::InvalidArgument("--central-endpoint lists " + addresses[i] + " twice");
    }
  }
  if (keys.size() != 1 && keys.size() != addresses.size()) {
    return common::InvalidArgument(
        "--central-public-key: " + Count(keys.size(), "key") + " for " +
        Count(addresses.size(), "endpoint") +
        " of --central-endpoint: give one key (the centrals of a chain share one key "
        "pair) or one per endpoint, in the same order");
  }
  std::vector<CentralEndpoint> centrals;
  for (size_t i = 0; i < addresses.size(); ++i) {
    centrals.push_back({addresses[i], keys.size() == 1 ? keys[0] : keys[i]});
  }
  return centrals;
}

}  // namespace storepulse::edge
