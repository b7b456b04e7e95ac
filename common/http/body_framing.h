// How an HTTP request frames its body, read from its headers before any byte of the body: the
// framings a daemon reads (Content-Length, or Transfer-Encoding: chunked, never both) and the
// answer to any other (400, 411, 501). cpp-httplib would read a body it cannot frame until the
// client closes, or take its end from the wrong header. Pure function; thread-safe.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>

namespace storepulse::common {

struct BodyFraming {
  bool has_body = false;  // a body follows the headers (or may: an unreadable Content-Length)
  bool chunked = false;
  size_t length = 0;  // Content-Length when not chunked
  int refusal = 0;    // non-zero: the status to refuse the request with, for `error`
  std::string error;
};

BodyFraming ReadBodyFraming(const httplib::Request& req);

}  // namespace storepulse::common
