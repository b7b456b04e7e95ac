#include "common/http/http_json.h"

#include "common/config/host_port.h"
#include "common/event_limits.h"

namespace storepulse::common {

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
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

std::string PrometheusMetric(const char* name, const char* help, int64_t value, const char* type) {
  return std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + " " + std::to_string(value) + "\n";
}

Status BindHttpServer(httplib::Server& server, const std::string& listen, int threads) {
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(SplitHostPort(listen, &host, &port));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(kMaxBatchBytes + 1024);
  // httplib writes a response's headers and body separately: without TCP_NODELAY, Nagle holds
  // the body until the client's delayed ACK (~40 ms on Linux) on every keep-alive request.
  server.set_tcp_nodelay(true);
  if (!server.bind_to_port(host, port)) {
    return Unavailable("cannot listen on " + listen + " (is another process using the port?)");
  }
  return OkStatus();
}

}  // namespace storepulse::common
