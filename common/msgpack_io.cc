#include "common/msgpack_io.h"

#include <exception>

namespace storepulse::common {

namespace {
// Strings, bin and ext stay in the caller's buffer instead of being copied into the zone.
bool ReferenceEverything(msgpack::type::object_type, size_t, void*) { return true; }
}  // namespace

StatusOr<msgpack::object> UnpackBounded(std::string_view bytes, std::string_view what,
                                        msgpack::zone& zone) {
  const size_t n = bytes.size();
  if (n == 0) return InvalidArgument(std::string(what) + " is empty, not msgpack");
  const msgpack::unpack_limit limit(/*array=*/n, /*map=*/n / 2, /*str=*/n, /*bin=*/n, /*ext=*/n,
                                    /*depth=*/kMaxMsgpackDepth);
  size_t offset = 0;
  msgpack::object object;
  try {
    object = msgpack::unpack(zone, bytes.data(), n, offset, &ReferenceEverything, nullptr, limit);
  } catch (const msgpack::insufficient_bytes&) {
    return InvalidArgument(std::string(what) + " is not valid msgpack: truncated (" +
                           std::to_string(n) + " bytes)");
  } catch (const std::exception& e) {
    return InvalidArgument(std::string(what) + " is not valid msgpack: " + e.what());
  }
  if (offset != n) {
    return InvalidArgument(std::string(what) + " is not valid msgpack: " +
                           std::to_string(n - offset) + " bytes after the end of the value");
  }
  return object;
}

}  // namespace storepulse::common
