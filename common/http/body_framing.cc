#include "common/http/body_framing.h"

#include <strings.h>

#include <algorithm>

#include "common/utf8.h"

namespace storepulse::common {

BodyFraming ReadBodyFraming(const httplib::Request& req) {
  BodyFraming f;
  const size_t lengths = req.get_header_value_count("Content-Length");
  if (req.has_header("Transfer-Encoding")) {
    f.has_body = f.chunked = true;
    // httplib reads a body as chunked only when the header is exactly "chunked".
    const std::string coding = req.get_header_value("Transfer-Encoding");
    if (strcasecmp(coding.c_str(), "chunked") != 0 ||
        req.get_header_value_count("Transfer-Encoding") > 1) {
      f.refusal = 501;
      f.error = "Transfer-Encoding " + QuoteForMessage(coding) +
                " is not supported: send the body with Content-Length or "
                "Transfer-Encoding: chunked";
    } else if (lengths > 0) {
      f.refusal = 400;
      f.error = "both Content-Length and Transfer-Encoding: chunked; send one of them";
    }
    return f;
  }
  if (lengths == 0) {  // no body (RFC 9112 §6.3), but httplib would read one until the close
    f.refusal = 411;
    f.error = "a request body needs Content-Length or Transfer-Encoding: chunked";
    return f;
  }
  const std::string text = req.get_header_value("Content-Length");
  const bool digits =
      !text.empty() && text.size() <= 18 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  f.length = digits ? std::stoull(text) : 0;
  f.has_body = !digits || f.length > 0;
  if (!digits || lengths > 1) {
    f.refusal = 400;
    f.error = "Content-Length must be one decimal number, not " + QuoteForMessage(text);
  }
  return f;
}

}  // namespace storepulse::common
