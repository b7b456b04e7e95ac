// msgpack I/O for the codecs (event_codec_msgpack.cc, event_codec_stored.cc): an output stream
// that lets msgpack::packer append to a std::string, and bounded, exception-free unpacking of
// untrusted bytes. Only the codecs include this header (STYLE rule 5). Thread-compatible.
#pragma once

#include <cstddef>
#include <msgpack.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::common {

// msgpack::packer<StringStream> appends to the string it was given, which must outlive it.
class StringStream {
 public:
  explicit StringStream(std::string* out) : out_(out) {}
  void write(const char* data, size_t size) { out_->append(data, size); }

 private:
  std::string* out_;
};

// Nesting deeper than this is refused while parsing (the parser itself is not recursive; the
// limit bounds its stack and the work of whoever walks the result).
inline constexpr size_t kMaxMsgpackDepth = 256;

// Parses `bytes`, which must hold exactly one msgpack value and nothing after it, into objects
// allocated in `zone`. Strings, bin and ext are not copied: they refer into `bytes`, which must
// outlive the result as well as `zone`. Container and string sizes are capped by bytes.size() (a
// container cannot hold more elements than there are bytes), so a hostile header cannot make the
// parser allocate more than about 16 × bytes.size(). Never throws: malformed, truncated or
// oversized input is InvalidArgument with `what` ("body", "stored event") and msgpack's reason.
StatusOr<msgpack::object> UnpackBounded(std::string_view bytes, std::string_view what,
                                        msgpack::zone& zone);

}  // namespace storepulse::common
