#include "common/http/http_json.h"


namespace storepulse::common {

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  // Strings may echo what a client sent: bytes that are not UTF-8 become U+FFFD rather than an
  // exception (which httplib would answer as a 500 with an empty body).
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  SendJson(res, status, {{"error", message}});
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kPermissionDenied: return 401;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kResourceExhausted: return 507;  // disk nearly full (SPEC §4)
    case StatusCode::kOutOfRange: return 422;  // a total would overflow: sending again cannot help
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

}  // namespace storepulse::common
