// One HTTP connection's socket as cpp-httplib reads and writes it, with the per-request bounds of
// common/http/http_limits.h that httplib 0.11.4 lacks: a request's line and headers get
// kHttpMaxHeadBytes and kHttpHeadDeadline, its body only what the route allows (AllowBody) within
// kHttpBodyDeadline, its response kHttpWriteDeadline. Past a bound a read fails and the stream
// records why (failure()); from then on it refuses every write but WriteFinal, so that the
// connection loop answers the failure (408, 413, 431) itself. Each wait also ends when `stopping`
// says the server is shutting down. Over HTTPS the bytes go through the connection's TlsSession
// (its socket non-blocking), with the same bounds. Does not own the socket or the session. Used
// by one thread at a time.
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace storepulse::common {

class TlsSession;

class BoundedStream final : public httplib::Stream {
 public:
  enum class Failure {
    kNone,
    kHeadDeadline,  // line and headers not received in time
    kBodyDeadline,  // body not received in time
    kHeadTooLarge,  // line and headers over kHttpMaxHeadBytes
    kBodyTooLarge,  // more body bytes than AllowBody allowed (chunk framing included)
    kBroken,        // the peer reset the connection, a write timed out, or the server stops
  };

  // `tls`: the connection's session after its handshake, or null for plain HTTP.
  BoundedStream(int fd, std::function<bool()> stopping, TlsSession* tls = nullptr);

  // Waits at most `idle` for the next request's first byte (or takes one already buffered);
  // false when none came, the peer closed, or the server stops.
  bool WaitForRequest(std::chrono::milliseconds idle);
  // Resets the bounds for a new request, its head deadline running from now.
  void StartRequest();
  // The head is read; up to `bytes` more may be read for the body, within kHttpBodyDeadline.
  void AllowBody(size_t bytes);

  Failure failure() const { return failure_; }
  bool in_body() const { return in_body_; }
  bool wrote() const { return wrote_; }  // some of this request's response was sent
  // Sends `bytes` whatever failure() says (the loop's own answer to a failure); false if they
  // could not all be sent within a second.
  bool WriteFinal(std::string_view bytes);

  // httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  using Clock = std::chrono::steady_clock;
  // Polls for `events` until `deadline` or stopping; true when ready.
  bool WaitFor(short events, Clock::time_point deadline) const;
  // Fails the request for `failure`; returns -1 for read/write to pass on.
  ssize_t Fail(Failure failure);
  // Sends up to `size` bytes once the socket takes them, by `deadline`; -1 when it does not.
  ssize_t SendSome(const char* ptr, size_t size, Clock::time_point deadline);
  // One non-blocking receive or send, plain or TLS: TlsSession::Read/Write's contract.
  ssize_t Receive(char* ptr, size_t size, short* wait);
  ssize_t Send(const char* ptr, size_t size, short* wait);
  // Bytes TLS already decrypted: readable although the socket is not.
  bool TlsBuffered() const;

  int fd_;
  std::function<bool()> stopping_;
  TlsSession* tls_;  // null for plain HTTP
  std::array<char, 16 * 1024> buffer_;  // received, not yet read by httplib
  size_t begin_ = 0, end_ = 0;          // [begin_, end_) of buffer_ (may be the next request)
  size_t budget_ = 0;                   // bytes this request may still read
  Clock::time_point read_deadline_;
  Clock::time_point write_deadline_;
  bool in_body_ = false;
  bool wrote_ = false;
  Failure failure_ = Failure::kNone;
};

}  // namespace storepulse::common
