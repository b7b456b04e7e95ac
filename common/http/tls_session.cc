#include "common/http/tls_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <climits>

namespace storepulse::common {

std::unique_ptr<TlsSession> TlsSession::Create(const TlsContext& context, int fd) {
  SSL* ssl = SSL_new(context.get());
  if (ssl == nullptr) return nullptr;
  auto session = std::unique_ptr<TlsSession>(new TlsSession(ssl, fd));
  if (SSL_set_fd(ssl, fd) != 1) return nullptr;
  SSL_set_accept_state(ssl);
  return session;
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

ssize_t TlsSession::Retry(int result, short* wait) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      *wait = POLLIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      *wait = POLLOUT;
      return -1;
    case SSL_ERROR_ZERO_RETURN:  // close_notify: a clean end of input
      *wait = 0;
      return 0;
    default:
      *wait = 0;
      ERR_clear_error();  // the queue is per thread: the next connection starts clean
      return -1;
  }
}

TlsSession::Handshake TlsSession::Accept(std::chrono::steady_clock::time_point deadline,
                                         const std::function<bool()>& stopping) {
  ERR_clear_error();
  for (;;) {
    const int result = SSL_do_handshake(ssl_);
    if (result == 1) return Handshake::kDone;
    const int error = SSL_get_error(ssl_, result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
      const bool plain = ERR_GET_REASON(ERR_peek_error()) == SSL_R_HTTP_REQUEST;
      ERR_clear_error();
      return plain ? Handshake::kPlainHttp : Handshake::kFailed;
    }
    // Wait in slices so that a stopping server is noticed.
    for (;;) {
      if (stopping && stopping()) return Handshake::kFailed;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return Handshake::kFailed;
      pollfd p{fd_, static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
      const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 100)));
      if (ready > 0) break;
      if (ready < 0 && errno != EINTR) return Handshake::kFailed;
    }
  }
}

ssize_t TlsSession::Read(char* data, size_t size, short* wait) {
  const int result = SSL_read(ssl_, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (result > 0) return result;
  return Retry(result, wait);
}

ssize_t TlsSession::Write(const char* data, size_t size, short* wait) {
  const int result = SSL_write(ssl_, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (result > 0) return result;
  const ssize_t n = Retry(result, wait);
  return n == 0 ? -1 : n;  // a write has no end of input: a close is broken
}

bool TlsSession::HasBuffered() const { return SSL_pending(ssl_) > 0; }

void TlsSession::Shutdown() {
  if (SSL_is_init_finished(ssl_) == 1) SSL_shutdown(ssl_);
  ERR_clear_error();
}

}  // namespace storepulse::common
