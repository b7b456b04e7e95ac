#include "edge/connectors/event_ids.h"

#include <openssl/sha.h>

#include <cstdio>

#include "common/event_limits.h"

namespace storepulse::edge {
namespace {

void AppendEscaped(std::string_view part, std::string* out) {
  for (char c : part) {
    if (c == ':') {
      out->append("%3A");
    } else if (c == '%') {
      out->append("%25");
    } else {
      out->push_back(c);
    }
  }
}

}  // namespace

std::string StableEventId(std::string_view connector,
                          std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) {
    joined.push_back(':');
    AppendEscaped(part, &joined);
  }
  std::string id(connector);
  if (id.size() + joined.size() <= common::kMaxIdBytes) return id + joined;

  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
  id.push_back(':');
  char hex[3];
  for (int i = 0; i < 16; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    id.append(hex);
  }
  return id;
}

}  // namespace storepulse::edge
