// The server side of HTTPS for both daemons (--tls-cert, --tls-key): one OpenSSL SSL_CTX holding
// the certificate chain and its private key, loaded once at start (a renewed certificate needs a
// restart: docs/OPERATIONS.md). Load refuses, naming the file, a file it cannot read, one that is
// not PEM, an encrypted key and a key that does not belong to the certificate, so that a daemon
// fails at start instead of at a client's first handshake. TLS 1.2 at the least, no
// renegotiation. Immutable once loaded; shared by every connection's TlsSession (thread-safe).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

struct ssl_ctx_st;

namespace storepulse::common {

class TlsContext {
 public:
  static StatusOr<std::unique_ptr<TlsContext>> Load(const std::string& cert_file,
                                                    const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* get() const { return ctx_; }
  // "CN=store-s042.local, valid until Dec  5 10:00:00 2027 GMT", for the start log.
  const std::string& summary() const { return summary_; }

 private:
  TlsContext(ssl_ctx_st* ctx, std::string summary) : ctx_(ctx), summary_(std::move(summary)) {}
  ssl_ctx_st* ctx_;  // owned
  std::string summary_;
};

}  // namespace storepulse::common
