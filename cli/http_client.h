// The CLI's HTTP/JSON client for an edge or central (cpp-httplib). A transport failure becomes
// Unavailable with a message saying whom it tried to reach and what to check; an HTTP error answer
// becomes the Status its code stands for, with the server's "error" text. One client per peer,
// reusing its connection; not thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/http_access.h"
#include "common/status.h"

namespace httplib {
class Client;
}

namespace storepulse::cli {

// Whom a client talks to, as named in messages.
struct Peer {
  std::string role = "edge";             // "edge" or "central"
  std::string url;                       // "http://host:port", optionally with a path prefix
  std::string unit = "storepulse-edge";  // the systemd unit to check when it cannot be reached
  HttpAccessFlags access = {};  // the read token and the CA to trust (else the environment's)
};

struct HttpTimeouts {
  std::chrono::seconds connect{5};
  std::chrono::seconds read{120};  // an ingest answer waits for the durable commit
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  // InvalidArgument when `peer.url` is not "http://host[:port][/prefix]" (or https://), or when
  // a file of `peer.access` cannot be read. Sends the read token on every request, and checks an
  // https:// peer's certificate (and its name) against the CA of `peer.access` or the system's.
  static common::StatusOr<std::unique_ptr<HttpClient>> Create(Peer peer,
                                                              HttpTimeouts timeouts = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends "Authorization: Bearer <token>" from now on, instead of the read token (a producer's).
  void SetBearerToken(const std::string& token);

  // `target` is a path with its query ("/api/v1/kpi?by=day"). Any HTTP status is a response;
  // only a transport failure is an error (Unavailable).
  common::StatusOr<HttpResponse> Get(const std::string& target);
  // `headers`: more request headers (name, value), e.g. a webhook's signature.
  common::StatusOr<HttpResponse> Post(
      const std::string& target, const std::string& body, const std::string& content_type,
      const std::vector<std::pair<std::string, std::string>>& headers = {});
  // GET expecting JSON: a 2xx answer parsed, or the error StatusFromHttp gives.
  common::StatusOr<nlohmann::json> GetJson(const std::string& target);

  const Peer& peer() const { return peer_; }

 private:
  HttpClient(Peer peer, std::string prefix, std::unique_ptr<httplib::Client> client);
  common::Status TransportError(int error) const;

  Peer peer_;
  std::string prefix_;  // path prefix of the URL, without a trailing slash
  std::unique_ptr<httplib::Client> client_;
};

// The Status for a non-2xx answer: 400 InvalidArgument, 401/403 PermissionDenied, 404 NotFound,
// 507 ResourceExhausted, others Internal (the peer was reached: never Unavailable); the message is
// the body's "error" (or its start), prefixed with the peer and the code.
common::Status StatusFromHttp(const Peer& peer, int http_status, const std::string& body);

// The "error" text of a JSON error answer ({"error":"…"}), or the start of the body.
std::string HttpErrorText(const std::string& body);

// "?from=2026-11-22&by=day": the parameters with a non-empty value, percent-encoded; "" if none.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);
// RFC 3986: every byte but unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX.
std::string PercentEncode(std::string_view text);

}  // namespace storepulse::cli
