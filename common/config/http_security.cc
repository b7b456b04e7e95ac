#include "common/config/http_security.h"

#include <boost/program_options.hpp>

#include <cctype>
#include <fstream>

#include "common/config/host_port.h"

namespace po = boost::program_options;

namespace storepulse::common {
namespace {

// The first line of a token file, without trailing spaces.
StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return NotFound("cannot read --read-token-file " + path +
                    " (the daemon runs as the user storepulse: check the file's group and mode)");
  }
  std::string token;
  std::getline(in, token);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) return InvalidArgument("--read-token-file " + path + " is empty");
  return token;
}

std::string HostOf(const std::string& http_listen) {
  std::string host;
  int port = 0;
  return SplitHostPort(http_listen, &host, &port).ok() ? host : http_listen;
}

}  // namespace

void AddHttpSecurityOptions(po::options_description& options, HttpSecurityConfig* c) {
  options.add_options()
      ("tls-cert", po::value(&c->tls_cert),
       "PEM certificate (its chain after it) to serve HTTPS instead of plain HTTP; needs "
       "--tls-key (default: none; read at start only, restart after renewing it)")
      ("tls-key", po::value(&c->tls_key),
       "the PEM private key of --tls-cert, unencrypted, readable by the daemon only")
      ("read-token-file", po::value(&c->read_token_file),
       "file holding the bearer token that the pages' data, the read APIs and /metrics require "
       "(\"Authorization: Bearer <token>\"; default: none, they are open)")
      ("allow-plain-http", po::bool_switch(&c->allow_plain_http),
       "serve plain HTTP on a --http-listen address other machines can reach (refused "
       "otherwise: use --tls-cert, or a TLS proxy in front on 127.0.0.1)");
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

Status ValidateHttpSecurity(const HttpSecurityConfig& c, const std::string& http_listen) {
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return InvalidArgument("--tls-cert and --tls-key go together (HTTPS needs both)");
  }
  const std::string host = HostOf(http_listen);
  if (c.tls_cert.empty() && !c.allow_plain_http && !IsLoopbackHost(host)) {
    return InvalidArgument(
        "--http-listen " + http_listen + " can be reached from other machines, and without "
        "--tls-cert the pages, the read APIs and the tokens would cross the network in clear: "
        "give --tls-cert and --tls-key (HTTPS), listen on 127.0.0.1 behind a TLS proxy, or set "
        "--allow-plain-http to accept plain HTTP (docs/OPERATIONS.md, \"Exposing the pages on "
        "the LAN\")");
  }
  return OkStatus();
}

StatusOr<HttpSecurity> LoadHttpSecurity(const HttpSecurityConfig& c) {
  HttpSecurity security;
  if (!c.read_token_file.empty()) {
    ASSIGN_OR_RETURN(security.read_token, ReadTokenFile(c.read_token_file));
  }
  if (!c.tls_cert.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<TlsContext> tls, TlsContext::Load(c.tls_cert, c.tls_key));
    security.tls = std::move(tls);
  }
  return security;
}

std::string HttpExposureWarning(const HttpSecurityConfig& c, const std::string& http_listen) {
  if (IsLoopbackHost(HostOf(http_listen)) || !c.read_token_file.empty()) return "";
  return "http " + http_listen +
         " is reachable from other machines without --read-token-file: anyone who can reach it "
         "reads the figures";
}

}  // namespace storepulse::common
