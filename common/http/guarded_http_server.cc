#include "common/http/guarded_http_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "common/config/host_port.h"
#include "common/http/body_framing.h"
#include "common/http/bearer_token.h"
#include "common/http/bounded_stream.h"
#include "common/http/http_json.h"
#include "common/http/http_limits.h"
#include "common/http/tls_session.h"
#include "common/log.h"
#include "common/utf8.h"

namespace storepulse::common {
namespace {

using httplib::Request;
using httplib::Response;

// What the handlers of the request being served on this thread tell its connection loop. httplib
// gives handlers no way to reach their connection, but runs them on the loop's own thread.
struct ConnectionState {
  BoundedStream* stream = nullptr;
  bool close = false;   // close once this request is answered (its body may be unread)
  bool linger = false;  // before closing, drop what the client still sends (kHttpLingerDeadline)
};
thread_local ConnectionState* t_connection = nullptr;

constexpr const char* kRequestsCut = "requests cut at a deadline or a size limit";

// Closes the connection once `res` is sent, announcing it; with `linger`, a body left unread is
// dropped first.
void CloseAfter(Response& res, bool linger) {
  res.set_header("Connection", "close");
  if (t_connection == nullptr) return;
  t_connection->close = true;
  t_connection->linger = t_connection->linger || linger;
}

const char* Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

// A whole response that closes the connection, written by the loop itself.
std::string FinalAnswer(int status, const std::string& message, const std::string& headers = "") {
  const std::string body = nlohmann::json{{"error", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) +
         "\r\nConnection: close\r\nContent-Type: application/json\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The answer to a request the stream cut short; empty when there is nobody to answer.
std::string AnswerToFailure(BoundedStream::Failure failure) {
  using Failure = BoundedStream::Failure;
  const auto seconds = [](auto d) { return std::to_string(d.count()) + " s"; };
  switch (failure) {
    case Failure::kHeadDeadline:
      return FinalAnswer(
          408, "request line and headers not received within " + seconds(kHttpHeadDeadline));
    case Failure::kBodyDeadline:
      return FinalAnswer(408, "request body not received within " + seconds(kHttpBodyDeadline));
    case Failure::kHeadTooLarge:
      return FinalAnswer(
          431, "request line and headers over " + std::to_string(kHttpMaxHeadBytes) + " bytes");
    case Failure::kBodyTooLarge:
      return FinalAnswer(413, "request body over this route's limit (chunk framing included)");
    case Failure::kNone:
    case Failure::kBroken:
      break;
  }
  return "";
}

// Reads and drops what the client has already sent, without waiting (at most 64 KiB), so that
// closing sends it an end of stream rather than a reset that could destroy the answer.
void DropPendingInput(int fd) {
  char sink[16 * 1024];
  for (int i = 0; i < 4 && recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
}

// Half-closes, then reads and drops what the client still sends until it closes too, for at most
// kHttpLingerDeadline: a client still sending a refused body then reads its answer instead of
// losing it to a reset.
void Linger(int fd, const std::function<bool()>& stopping) {
  shutdown(fd, SHUT_WR);
  const auto until = std::chrono::steady_clock::now() + kHttpLingerDeadline;
  char sink[16 * 1024];
  while (!stopping() && std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) < 0 && errno != EINTR) return;
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    const ssize_t n = recv(fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
  }
}

}  // namespace

int BodyErrorStatus(const Status& status) {
  return status.code() == StatusCode::kResourceExhausted ? 413 : 400;
}

std::string HttpGuardMetrics(const GuardedHttpServer& server, const std::string& prefix) {
  const std::string refused = prefix + "http_connections_refused_total";
  const std::string cut = prefix + "http_requests_cut_total";
  return PrometheusMetric(refused.c_str(),
                          "HTTP connections answered 503 over http-connections-per-client.",
                          server.connections_refused(), "counter") +
         PrometheusMetric(cut.c_str(),
                          "HTTP requests cut at a deadline or a size limit (408, 413, 431).",
                          server.requests_cut(), "counter");
}

GuardedHttpServer::GuardedHttpServer(int connections_per_client) : slots_(connections_per_client) {
  set_pre_routing_handler([this](const Request& req, Response& res) { return Admit(req, res); });
  // httplib logs each answer once written, on the thread that served it (Serve marks the start).
  set_logger([this](const Request& req, const Response& res) {
    durations_.Observe(req, res, req.method == "POST" && body_routes_.count(req.path) > 0);
  });
  // A client that asks before sending its body (Expect: 100-continue) hears the refusal instead.
  set_expect_100_continue_handler([this](const Request& req, Response& res) {
    return Admit(req, res) == HandlerResponse::Handled ? res.status : 100;
  });
  set_exception_handler([](const Request& req, Response& res, std::exception_ptr error) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    LogError("HTTP " + req.method + " " + EscapeForMessage(req.path, 80) + ": " + what);
    SendError(res, 500, "internal error: " + what);
  });
  // httplib's own refusals (no such route, a request it cannot parse) come without a body.
  set_error_handler(HandlerWithResponse([this](const Request& req, Response& res) {
    if (!res.body.empty()) return HandlerResponse::Unhandled;
    switch (res.status) {
      case 404:
        if (body_routes_.count(req.path) != 0) return RefuseUnrouted(req, res);  // POST only
        SendError(res, 404, "no route for " + req.method + " " + EscapeForMessage(req.path, 80));
        break;
      case 414:
        SendError(res, 414, "request target over 8192 bytes");
        break;
      default:
        SendError(res, res.status, "malformed request");
    }
    return HandlerResponse::Handled;
  }));
}

GuardedHttpServer::~GuardedHttpServer() = default;

GuardedHttpServer& GuardedHttpServer::Get(const std::string& path, Handler handler) {
  get_paths_.insert(path);
  httplib::Server::Get(path, std::move(handler));
  return *this;
}

void GuardedHttpServer::UseTls(std::shared_ptr<const TlsContext> tls) { tls_ = std::move(tls); }

void GuardedHttpServer::SetReadToken(std::string token) { read_token_ = std::move(token); }

void GuardedHttpServer::SetAccess(const std::string& path, Access access) {
  access_[path] = access;
}

bool GuardedHttpServer::Authorized(const Request& req) const {
  if (read_token_.empty()) return true;
  const auto declared = access_.find(req.path);
  if (declared != access_.end() && declared->second != Access::kRead) return true;
  return BearerTokenMatches(req.get_header_value("Authorization"), read_token_);
}

std::string GuardedHttpServer::AllowedMethods(const std::string& path) const {
  std::string allowed = get_paths_.count(path) != 0 ? "GET, HEAD" : "";
  if (body_routes_.count(path) != 0) allowed += allowed.empty() ? "POST" : ", POST";
  return allowed;
}

GuardedHttpServer::HandlerResponse GuardedHttpServer::RefuseUnrouted(const Request& req,
                                                                     Response& res) {
  const std::string allowed = AllowedMethods(req.path);
  if (allowed.empty()) {
    SendError(res, 404, "no route for " + req.method + " " + EscapeForMessage(req.path, 80));
  } else if (req.method == "OPTIONS") {
    res.status = 204;
  } else {
    SendError(res, 405,
              EscapeForMessage(req.path, 80) + " takes " + allowed + ", not " +
                  EscapeForMessage(req.method, 16));
  }
  if (!allowed.empty()) res.set_header("Allow", allowed);
  return HandlerResponse::Handled;
}

void GuardedHttpServer::PostBody(const std::string& path, size_t max_body_bytes, Admission admit,
                                 BodyHandler handler) {
  body_routes_[path] = BodyRoute{max_body_bytes, std::move(admit)};
  Post(path, [this, path, max_body_bytes, handler = std::move(handler)](
                 const Request& req, Response& res, const httplib::ContentReader& reader) {
    const BodyFraming framing = ReadBodyFraming(req);  // sound: Admit refused any other
    const std::string limit =
        "the " + std::to_string(max_body_bytes) + "-byte limit of POST " + path;
    if (!framing.chunked && framing.length > max_body_bytes) {
      CloseAfter(res, true);  // not read: a client still sending it sees the answer
      requests_cut_.Add(kRequestsCut);
      return handler(req, res,
                     ResourceExhausted("request body is " + std::to_string(framing.length) +
                                       " bytes, over " + limit));
    }
    std::string body;
    body.reserve(framing.length);
    bool over = false;
    const bool complete = reader([&](const char* data, size_t n) {
      over = n > max_body_bytes - body.size();
      if (!over) body.append(data, n);
      return !over;
    });
    if (over) {
      CloseAfter(res, true);
      requests_cut_.Add(kRequestsCut);
      return handler(req, res, ResourceExhausted("request body is over " + limit));
    }
    if (!complete) {
      CloseAfter(res, false);
      return handler(req, res, InvalidArgument("request body cut short or badly chunked"));
    }
    handler(req, res, std::move(body));
  });
}

GuardedHttpServer::HandlerResponse GuardedHttpServer::Admit(const Request& req, Response& res) {
  const BodyFraming framing = ReadBodyFraming(req);
  const auto refuse = [&](int status, const std::string& message) {
    SendError(res, status, message);
    if (framing.has_body) CloseAfter(res, true);
    return HandlerResponse::Handled;
  };
  if (!Authorized(req)) {  // before anything else: a stranger learns nothing but the need
    const bool sent = !req.get_header_value("Authorization").empty();
    res.set_header("WWW-Authenticate", sent ? "Bearer realm=\"storepulse\", error=\"invalid_token\""
                                            : "Bearer realm=\"storepulse\"");
    return refuse(401, std::string(sent ? "wrong" : "missing") +
                           " read token: this path needs \"Authorization: Bearer <token>\" with "
                           "the token of the daemon's --read-token-file");
  }
  const auto route = req.method == "POST" ? body_routes_.find(req.path) : body_routes_.end();
  if (route == body_routes_.end()) {
    if (req.method == "GET" || req.method == "HEAD") {
      // httplib would read a body sent here as the next request: drop it after the answer.
      if (framing.has_body) CloseAfter(res, true);
      return HandlerResponse::Unhandled;
    }
    RefuseUnrouted(req, res);
    if (framing.has_body) CloseAfter(res, true);
    return HandlerResponse::Handled;
  }
  if (route->second.admit) {  // the token first: a stranger learns nothing of the body rules
    const Status admitted = route->second.admit(req);
    if (!admitted.ok()) return refuse(HttpStatusFor(admitted), admitted.message());
  }
  if (framing.refusal != 0) return refuse(framing.refusal, framing.error);
  const size_t max = route->second.max_body_bytes;
  if (t_connection != nullptr) {
    t_connection->stream->AllowBody(framing.chunked ? max + kHttpMaxChunkFramingBytes
                                                    : std::min(framing.length, max));
  }
  return HandlerResponse::Unhandled;
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  const std::function<bool()> stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  BoundedStream stream(sock, stopping);
  std::string address;
  int port = 0;
  stream.get_remote_ip_and_port(address, port);
  if (std::optional<ClientSlots::Slot> slot = slots_.TryTake(address)) {
    if (tls_ != nullptr) {
      ServeTls(sock, stopping);
    } else {
      Serve(stream, stopping);
    }
  } else if (tls_ != nullptr) {
    // A TLS client cannot read a plain answer, and a handshake would let a client over its cap
    // hold a worker for kHttpTlsHandshakeDeadline: closed unanswered, counted and logged.
    connections_refused_.Add("connections refused over the per-client cap, the last from " +
                             address);
  } else {
    // No lingering here: a client over its cap could otherwise hold workers with refusals.
    stream.WriteFinal(
        FinalAnswer(503,
                    "too many connections from " + address + ": at most " +
                        std::to_string(slots_.per_client()) +
                        " at a time per client address (http-connections-per-client); retry later",
                    "Retry-After: 1\r\n"));
    DropPendingInput(sock);
    connections_refused_.Add("connections refused over the per-client cap, the last from " +
                             address);
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return true;
}

void GuardedHttpServer::ServeTls(socket_t sock, const std::function<bool()>& stopping) {
  // OpenSSL reads and writes the socket itself: non-blocking, so that BoundedStream's polls keep
  // every deadline.
  const int flags = fcntl(sock, F_GETFL);
  if (flags < 0 || fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0) return;
  std::unique_ptr<TlsSession> tls = TlsSession::Create(*tls_, sock);
  if (tls == nullptr) return;
  switch (tls->Accept(std::chrono::steady_clock::now() + kHttpTlsHandshakeDeadline, stopping)) {
    case TlsSession::Handshake::kDone: {
      BoundedStream stream(sock, stopping, tls.get());
      Serve(stream, stopping);
      tls->Shutdown();
      break;
    }
    case TlsSession::Handshake::kPlainHttp:
      BoundedStream(sock, stopping)
          .WriteFinal(FinalAnswer(400, "this port serves HTTPS only: use an https:// URL"));
      DropPendingInput(sock);
      break;
    case TlsSession::Handshake::kFailed:
      break;
  }
}

void GuardedHttpServer::Serve(BoundedStream& stream, const std::function<bool()>& stopping) {
  ConnectionState state{&stream};
  t_connection = &state;
  for (size_t served = 0; served < kHttpKeepAliveMaxRequests; ++served) {
    if (!stream.WaitForRequest(kHttpKeepAliveIdle)) break;
    stream.StartRequest();
    RequestDurations::BeginRequest();
    state.close = state.linger = false;
    bool client_closes = false;
    const bool ok =
        process_request(stream, served + 1 == kHttpKeepAliveMaxRequests, client_closes, nullptr);
    const BoundedStream::Failure failure = stream.failure();
    if (failure != BoundedStream::Failure::kNone) {
      if (!stream.wrote()) stream.WriteFinal(AnswerToFailure(failure));
      state.linger = failure == BoundedStream::Failure::kHeadTooLarge ||
                     failure == BoundedStream::Failure::kBodyTooLarge;
      if (failure != BoundedStream::Failure::kBroken) {
        requests_cut_.Add(kRequestsCut);
      }
      break;
    }
    if (!ok || client_closes || state.close) break;
  }
  t_connection = nullptr;
  if (state.linger) Linger(stream.socket(), stopping);
}

void GuardedHttpServer::LoggedCounter::Add(const std::string& what) {
  const int64_t total = ++count;
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
  int64_t last = last_log_s.load();
  if (now_s - last >= 60 && last_log_s.compare_exchange_strong(last, now_s)) {
    LogWarning("HTTP: " + std::to_string(total) + " " + what +
               " since start (logged at most once a minute; see /metrics)");
  }
}

Status GuardedHttpServer::Bind(const std::string& listen, int threads) {
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(SplitHostPort(listen, &host, &port));
  new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // What the Keep-Alive header announces; the connection loop above enforces it.
  set_keep_alive_max_count(kHttpKeepAliveMaxRequests);
  set_keep_alive_timeout(kHttpKeepAliveIdle.count());
  // httplib writes a response's headers and body separately: without TCP_NODELAY, Nagle holds
  // the body until the client's delayed ACK (~40 ms on Linux) on every keep-alive request.
  set_tcp_nodelay(true);
  if (!bind_to_port(host, port)) {
    return Unavailable("cannot listen on " + listen + " (is another process using the port?)");
  }
  return OkStatus();
}

}  // namespace storepulse::common
