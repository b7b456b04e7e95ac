#include "cli/http_client.h"

#include <httplib.h>

namespace storepulse::cli {
namespace {

// Splits "http://host:port/prefix/" into "http://host:port" and "/prefix".
common::Status SplitUrl(const std::string& url, std::string* origin, std::string* prefix) {
  const size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return common::InvalidArgument(
        "\"" + url + "\" is not an http:// or https:// URL (e.g. http://127.0.0.1:8601)");
  }
  const size_t path = url.find('/', scheme_end + 3);
  *origin = url.substr(0, path);
  *prefix = path == std::string::npos ? "" : url.substr(path);
  while (!prefix->empty() && prefix->back() == '/') prefix->pop_back();
  if (origin->size() == scheme_end + 3 || prefix->find_first_of("?#") != std::string::npos) {
    return common::InvalidArgument("\"" + url +
                                   "\" is not a server URL (e.g. http://127.0.0.1:8601)");
  }
  return common::OkStatus();
}

// How messages name a peer: "the edge", but "central" (there is one).
std::string Named(const Peer& peer) {
  return peer.role == "central" ? peer.role : "the " + peer.role;
}

}  // namespace

common::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Create(Peer peer, HttpTimeouts timeouts) {
  std::string origin;
  std::string prefix;
  RETURN_IF_ERROR(SplitUrl(peer.url, &origin, &prefix));
  ASSIGN_OR_RETURN(const HttpAccess access, LoadHttpAccess(peer.access));
  std::unique_ptr<httplib::Client> client;
  try {
    client = std::make_unique<httplib::Client>(origin);
  } catch (const std::exception& e) {
    return common::InvalidArgument("\"" + peer.url + "\": " + e.what());
  }
  if (!client->is_valid()) {
    return common::InvalidArgument("\"" + peer.url + "\" is not a usable server URL");
  }
  client->set_connection_timeout(static_cast<time_t>(timeouts.connect.count()), 0);
  client->set_read_timeout(static_cast<time_t>(timeouts.read.count()), 0);
  client->set_write_timeout(static_cast<time_t>(timeouts.read.count()), 0);
  client->set_keep_alive(true);
  if (origin.rfind("https://", 0) == 0) {
    client->enable_server_certificate_verification(true);  // and its name: never skipped
    if (!access.ca_file.empty()) client->set_ca_cert_path(access.ca_file);
  }
  if (!access.read_token.empty()) client->set_bearer_token_auth(access.read_token);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(peer), prefix, std::move(client)));
}

HttpClient::HttpClient(Peer peer, std::string prefix, std::unique_ptr<httplib::Client> client)
    : peer_(std::move(peer)), prefix_(std::move(prefix)), client_(std::move(client)) {}

HttpClient::~HttpClient() = default;

void HttpClient::SetBearerToken(const std::string& token) { client_->set_bearer_token_auth(token); }

common::Status HttpClient::TransportError(int error) const {
  const std::string where = "cannot reach " + Named(peer_) + " at " + peer_.url + ": ";
  const std::string hint =
      " — is " + peer_.unit + " running? (systemctl status " + peer_.unit + ")";
  switch (static_cast<httplib::Error>(error)) {
    case httplib::Error::Connection:
      return common::Unavailable(where + "connection refused" + hint);
    case httplib::Error::ConnectionTimeout:
      return common::Unavailable(where + "no answer to the connection attempt" + hint);
    case httplib::Error::Read:
      return common::Unavailable(where + "the connection broke or timed out before the answer" +
                                 hint);
    case httplib::Error::Write:
      return common::Unavailable(where + "the connection broke while sending" + hint);
    case httplib::Error::SSLServerVerification:
      return common::Unavailable(
          where + "its TLS certificate is not trusted, or not for this host name (give the "
                  "certificate of its CA, or its own if self-signed, with --ca-file or "
                  "STOREPULSE_CA_FILE)");
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
      return common::Unavailable(where + "TLS failed (" +
                                 httplib::to_string(static_cast<httplib::Error>(error)) + ")");
    default:
      return common::Unavailable(where + httplib::to_string(static_cast<httplib::Error>(error)));
  }
}

common::StatusOr<HttpResponse> HttpClient::Get(const std::string& target) {
  httplib::Result result = client_->Get(prefix_ + target);
  if (!result) return TransportError(static_cast<int>(result.error()));
  return HttpResponse{result->status, result->body};
}

common::StatusOr<HttpResponse> HttpClient::Post(
    const std::string& target, const std::string& body, const std::string& content_type,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  httplib::Headers extra;
  for (const auto& [name, value] : headers) extra.emplace(name, value);
  httplib::Result result = client_->Post(prefix_ + target, extra, body, content_type);
  if (!result) return TransportError(static_cast<int>(result.error()));
  return HttpResponse{result->status, result->body};
}

common::StatusOr<nlohmann::json> HttpClient::GetJson(const std::string& target) {
  ASSIGN_OR_RETURN(HttpResponse response, Get(target));
  if (response.status < 200 || response.status > 299) {
    return StatusFromHttp(peer_, response.status, response.body);
  }
  auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return common::Internal(Named(peer_) + " at " + peer_.url + " answered " + target +
                            " with something that is not JSON: " + response.body.substr(0, 120));
  }
  return parsed;
}

common::Status StatusFromHttp(const Peer& peer, int http_status, const std::string& body) {
  const std::string message = Named(peer) + " at " + peer.url + " answered HTTP " +
                              std::to_string(http_status) + ": " + HttpErrorText(body);
  switch (http_status) {
    case 400:
      return common::InvalidArgument(message);
    case 401:
    case 403:
      return common::PermissionDenied(message);
    case 404:
      return common::NotFound(message);
    case 507:
      return common::ResourceExhausted(message);
    default:
      return common::Internal(message);
  }
}

std::string HttpErrorText(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
    return parsed["error"].get<std::string>();
  }
  return body.substr(0, 200);
}

std::string PercentEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string query;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    query += (query.empty() ? "?" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
  }
  return query;
}

}  // namespace storepulse::cli
