// One HTTPS connection's TLS state over the socket of a GuardedHttpServer connection: the
// handshake within a deadline, then non-blocking reads and writes that say what to poll for when
// they cannot go on yet (BoundedStream polls and keeps the deadlines). Does not own the socket.
// Used by the one thread serving the connection.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>

#include "common/http/tls_context.h"

struct ssl_st;

namespace storepulse::common {

class TlsSession {
 public:
  enum class Handshake {
    kDone,
    kFailed,     // a deadline, the peer closed, a TLS alert: nothing to answer
    kPlainHttp,  // the client spoke plain HTTP to this HTTPS port
  };

  // nullptr only if OpenSSL cannot allocate.
  static std::unique_ptr<TlsSession> Create(const TlsContext& context, int fd);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Runs the server side of the handshake until `deadline`, or until `stopping` says so.
  Handshake Accept(std::chrono::steady_clock::time_point deadline,
                   const std::function<bool()>& stopping);

  // > 0: bytes read or written; 0 (Read only): the peer closed. -1: nothing yet with `*wait` set
  // to the poll events to wait for (POLLIN or POLLOUT), or a broken connection with `*wait` 0.
  ssize_t Read(char* data, size_t size, short* wait);
  ssize_t Write(const char* data, size_t size, short* wait);
  // Decrypted bytes already buffered, readable without waiting on the socket.
  bool HasBuffered() const;
  // Sends close_notify if it can without waiting: the peer then sees a clean end.
  void Shutdown();

 private:
  TlsSession(ssl_st* ssl, int fd) : ssl_(ssl), fd_(fd) {}
  // What a failed SSL_read/SSL_write/SSL_accept returning `result` means; see Read.
  ssize_t Retry(int result, short* wait);

  ssl_st* ssl_;  // owned
  int fd_;
};

}  // namespace storepulse::common
