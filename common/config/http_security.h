// The options both daemons share for an HTTP interface that may face a LAN (docs/OPERATIONS.md,
// "Exposing the pages on the LAN"): HTTPS (--tls-cert, --tls-key), the read token
// (--read-token-file) and the refusal of plain HTTP on an address other machines can reach
// (--allow-plain-http to accept it). Declared once, added to each daemon's option table; what
// they name is loaded at start, so that a bad file stops the daemon with its reason.
#pragma once

#include <memory>
#include <string>

#include <boost/program_options/options_description.hpp>

#include "common/http/tls_context.h"
#include "common/status.h"

namespace storepulse::common {

struct HttpSecurityConfig {
  std::string tls_cert;          // PEM certificate (chain first) for HTTPS; empty: plain HTTP
  std::string tls_key;           // its PEM private key, unencrypted
  std::string read_token_file;   // the bearer token of the pages and read APIs; empty: open
  bool allow_plain_http = false;  // plain HTTP on a non-loopback --http-listen
};

// What the files of a HttpSecurityConfig hold, loaded.
struct HttpSecurity {
  std::shared_ptr<const TlsContext> tls;  // null: plain HTTP
  std::string read_token;                 // empty: reads open
};

// Adds tls-cert, tls-key, read-token-file and allow-plain-http to `options`, bound to `config`.
void AddHttpSecurityOptions(boost::program_options::options_description& options,
                            HttpSecurityConfig* config);

// Whether `host` (of --http-listen) is only reachable from this machine: 127.0.0.0/8, ::1,
// localhost. Anything else counts as reachable, 0.0.0.0 and names included.
bool IsLoopbackHost(const std::string& host);

// The rules that need no file: cert and key together; plain HTTP on a non-loopback `http_listen`
// only with allow_plain_http.
Status ValidateHttpSecurity(const HttpSecurityConfig& config, const std::string& http_listen);

// Reads the token file and loads the certificate and key; the error names the file and the flag.
StatusOr<HttpSecurity> LoadHttpSecurity(const HttpSecurityConfig& config);

// A warning for the start log when the pages and read APIs are open to the network (a
// non-loopback address without a read token), else "".
std::string HttpExposureWarning(const HttpSecurityConfig& config, const std::string& http_listen);

}  // namespace storepulse::common
