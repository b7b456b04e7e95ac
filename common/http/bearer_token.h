// The check of "Authorization: Bearer <token>" both daemons make (the read token of
// GuardedHttpServer, the edge's producer token). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace storepulse::common {

// Whether `authorization` (the header's value) is "Bearer " followed by `token`. Takes the same
// time whatever the bytes of a wrong token (both are hashed, then compared in constant time), so
// that timing does not tell how much of a guess was right. False for an empty `token`.
bool BearerTokenMatches(std::string_view authorization, const std::string& token);

}  // namespace storepulse::common
