// The HTTP server of both daemons: cpp-httplib's Server (routes, parsing, responses) with the
// connection handling replaced by one that bounds what a client can take (http_limits.h), since
// httplib 0.11.4 reads a chunked body whole into memory, has no deadline per request and lets a
// few slow connections hold every worker:
//
//  - at most `connections_per_client` connections open per client address; one more is answered
//    503 with the reason, and closed;
//  - each request gets a deadline and a size for its line and headers, then for its body, and the
//    response one for being taken (BoundedStream); past one the connection is answered 408, 413
//    or 431 and closed;
//  - keep-alive: at most kHttpKeepAliveMaxRequests requests, kHttpKeepAliveIdle idle;
//  - a request body is read only by a route declared with PostBody, and only once the route's
//    admission check (say, the bearer token) has passed and its framing is sound; every other
//    body is refused or dropped unread, and its connection closed after the answer;
//  - an exception in a handler is a 500 with a JSON error, and httplib's own error answers (404,
//    400) get one too; a known path asked with another method is a JSON 405 with Allow;
//  - with UseTls, every connection is HTTPS: the handshake gets kHttpTlsHandshakeDeadline, plain
//    HTTP sent to it is answered 400 in plain text and closed;
//  - with SetReadToken, every path not declared otherwise (SetAccess) needs
//    "Authorization: Bearer <read token>", checked before routing: 401 with WWW-Authenticate.
//
// Routes, TLS and access are set before Bind; handlers run on the pool's threads, a connection's
// requests one after the other on one thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/http/client_slots.h"
#include "common/http/request_durations.h"
#include "common/status.h"

namespace storepulse::common {

class BoundedStream;
class TlsContext;

class GuardedHttpServer : public httplib::Server {
 public:
  // Sees a request's line and headers before any byte of its body is read.
  using Admission = std::function<Status(const httplib::Request&)>;
  // Gets the body, or why it could not be read: ResourceExhausted over the route's limit,
  // InvalidArgument for a malformed or truncated body (BodyErrorStatus gives the HTTP status).
  using BodyHandler =
      std::function<void(const httplib::Request&, httplib::Response&, StatusOr<std::string>)>;

  // Who may call a path once a read token is set (docs/OPERATIONS.md, "Tokens by role").
  enum class Access {
    kRead,      // the default: read APIs, /metrics, alert acks, and every path not declared
    kOpen,      // always open: /healthz, the pages' HTML (it holds no data: it asks for the token)
    kProducer,  // the route's own admission decides (the producer token), not the read token
  };

  // `connections_per_client`: 0 for no cap.
  explicit GuardedHttpServer(int connections_per_client);
  ~GuardedHttpServer() override;

  // GET `path` (exact), as httplib::Server::Get; recorded so that another method on the path is
  // answered 405 with its Allow header.
  GuardedHttpServer& Get(const std::string& path, Handler handler);

  // Serves HTTPS with `tls` instead of plain HTTP.
  void UseTls(std::shared_ptr<const TlsContext> tls);
  // Requires the bearer `token` on every kRead path; empty: they are open.
  void SetReadToken(std::string token);
  void SetAccess(const std::string& path, Access access);

  // POST `path` (exact) takes a body of at most `max_body_bytes`, sent with Content-Length or
  // chunked. `admit` (may be null) refuses a request before its body is read: the answer is
  // HttpStatusFor(status) with its message, 401 for PermissionDenied.
  void PostBody(const std::string& path, size_t max_body_bytes, Admission admit,
                BodyHandler handler);

  // Binds `listen` ("host:port") with a pool of `threads` workers; the caller then runs
  // listen_after_bind() on a thread of its own.
  Status Bind(const std::string& listen, int threads);

  // Connections answered 503 over the per-client cap, and requests cut at a deadline or a size
  // limit (408, 413, 431 from the connection loop), since start. Each kind is also logged, at
  // most once a minute.
  int64_t connections_refused() const { return connections_refused_.count; }
  int64_t requests_cut() const { return requests_cut_.count; }
  // Each answered request's duration, by route, method and code (request_durations.h).
  const RequestDurations& request_durations() const { return durations_; }

 private:
  struct BodyRoute {
    size_t max_body_bytes;
    Admission admit;
  };

  // cpp-httplib calls this on a worker for each accepted connection (a private virtual of
  // httplib::Server, overridden as its SSLServer does).
  bool process_and_close_socket(socket_t sock) override;
  // The keep-alive loop of one connection that has its slot.
  void Serve(BoundedStream& stream, const std::function<bool()>& stopping);
  // The handshake, then Serve over TLS.
  void ServeTls(socket_t sock, const std::function<bool()>& stopping);
  // Whether `req` may call its path: with a read token, a kRead path needs it.
  bool Authorized(const httplib::Request& req) const;
  // The answer to a method no route of the path takes: 405 with Allow (204 with Allow for
  // OPTIONS), or 404 for a path no route takes.
  HandlerResponse RefuseUnrouted(const httplib::Request& req, httplib::Response& res);
  // "GET, HEAD, POST": the methods `path` takes; empty for an unknown path.
  std::string AllowedMethods(const std::string& path) const;
  // Runs before routing, once the head is read: the body rules above.
  HandlerResponse Admit(const httplib::Request& req, httplib::Response& res);
  // A count of refusals of one kind, logged at most once a minute.
  struct LoggedCounter {
    // Adds one; logs the total and `what` if this counter logged nothing for a minute.
    void Add(const std::string& what);
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> last_log_s{-3600};  // steady clock, seconds
  };

  ClientSlots slots_;
  std::map<std::string, BodyRoute> body_routes_;  // by path; read-only once serving
  std::set<std::string> get_paths_;               // read-only once serving
  std::map<std::string, Access> access_;          // paths not kRead; read-only once serving
  std::string read_token_;                        // empty: kRead paths are open
  std::shared_ptr<const TlsContext> tls_;         // null: plain HTTP
  LoggedCounter connections_refused_;
  LoggedCounter requests_cut_;
  RequestDurations durations_;
};

// 413 for ResourceExhausted (the body is over the route's limit), else 400.
int BodyErrorStatus(const Status& status);

// Prometheus lines of the counters above: <prefix>http_connections_refused_total and
// <prefix>http_requests_cut_total.
std::string HttpGuardMetrics(const GuardedHttpServer& server, const std::string& prefix);

}  // namespace storepulse::common
