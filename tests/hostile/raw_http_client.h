// A raw TCP client for hostile HTTP tests: what a careless or malicious client does and a real
// HTTP client library will not (a body streamed while the answer is read, a request that never
// ends, another loopback source address than 127.0.0.1), plus the peak RSS of a daemon from /proc.
// A RawConnection belongs to one thread, except that Send may run on a second thread while the
// first one reads (a socket allows one reader and one writer at a time).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/peak_rss.h"

namespace storepulse::test_support {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;  // as framed by Content-Length (the daemons never answer chunked)
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port from `source`, an address of the loopback network (127.0.0.2 is
  // "another machine" to the daemon); nothing if that fails.
  static std::unique_ptr<RawConnection> Open(int port, const std::string& source = "127.0.0.1");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`, waiting at most 10 s for room; false once the peer is gone or stalls.
  bool Send(std::string_view bytes);
  // Streams a chunked body of `total` bytes ('x' in chunks of `chunk` bytes, then the last
  // chunk) until it is all sent, the peer stops taking it, or `stop` is set. Bytes of body sent.
  uint64_t SendChunked(uint64_t total, size_t chunk, const std::atomic<bool>& stop);
  // Streams `total` bytes of body as is (a Content-Length body), with the same stops.
  uint64_t SendRaw(uint64_t total, size_t chunk, const std::atomic<bool>& stop);
  // Reads one response: its head, then its Content-Length body. Nothing if the peer closed or
  // `deadline` passed before the head and body were complete.
  std::optional<RawResponse> ReadResponse(std::chrono::milliseconds deadline);
  // Whether the peer closed the connection (EOF or reset) within `deadline`; what it still sent
  // is discarded.
  bool WaitClosed(std::chrono::milliseconds deadline);

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  int fd_;
  std::string pending_;  // bytes read after the last response
};

}  // namespace storepulse::test_support
