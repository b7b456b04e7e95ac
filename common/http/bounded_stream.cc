#include "common/http/bounded_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/http/http_limits.h"
#include "common/http/tls_session.h"

namespace storepulse::common {
namespace {

// How often a wait looks at `stopping`: a server stops within this much of being asked to.
constexpr std::chrono::milliseconds kStopPoll{100};

// "1.2.3.4" or "::1" (an IPv4-mapped IPv6 address as its IPv4 form), and the port.
void AddressOf(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
      inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text);
    } else {
      inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    }
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

BoundedStream::BoundedStream(int fd, std::function<bool()> stopping, TlsSession* tls)
    : fd_(fd), stopping_(std::move(stopping)), tls_(tls) {}

ssize_t BoundedStream::Receive(char* ptr, size_t size, short* wait) {
  if (tls_ != nullptr) return tls_->Read(ptr, size, wait);
  const ssize_t n = recv(fd_, ptr, size, MSG_DONTWAIT);
  *wait = n < 0 && (errno == EAGAIN || errno == EINTR) ? POLLIN : 0;
  return n;
}

ssize_t BoundedStream::Send(const char* ptr, size_t size, short* wait) {
  if (tls_ != nullptr) return tls_->Write(ptr, size, wait);
  const ssize_t n = send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  *wait = n < 0 && (errno == EAGAIN || errno == EINTR) ? POLLOUT : 0;
  return n;
}

bool BoundedStream::TlsBuffered() const { return tls_ != nullptr && tls_->HasBuffered(); }

bool BoundedStream::WaitFor(short events, Clock::time_point deadline) const {
  for (;;) {
    if (stopping_ && stopping_()) return false;
    const auto now = Clock::now();
    if (now >= deadline) return false;
    const auto slice = std::min<Clock::duration>(deadline - now, kStopPoll);
    pollfd p{fd_, events, 0};
    const int ready =
        poll(&p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
    if (ready > 0) return true;  // ready, or an error the next recv/send reports
    if (ready < 0 && errno != EINTR) return false;
  }
}

bool BoundedStream::WaitForRequest(std::chrono::milliseconds idle) {
  if (begin_ < end_) return true;
  const auto deadline = Clock::now() + idle;
  short wait = POLLIN;
  for (;;) {  // TLS may need more than one wait for a record (or a write) before its first byte
    if (!TlsBuffered() && !WaitFor(wait, deadline)) return false;
    const ssize_t n = Receive(buffer_.data(), buffer_.size(), &wait);
    if (n > 0) {
      begin_ = 0;
      end_ = static_cast<size_t>(n);
      return true;
    }
    if (n == 0 || wait == 0) return false;
  }
}

void BoundedStream::StartRequest() {
  budget_ = kHttpMaxHeadBytes;
  read_deadline_ = Clock::now() + kHttpHeadDeadline;
  in_body_ = false;
  wrote_ = false;
  failure_ = Failure::kNone;
}

void BoundedStream::AllowBody(size_t bytes) {
  budget_ = bytes;
  read_deadline_ = Clock::now() + kHttpBodyDeadline;
  in_body_ = true;
}

ssize_t BoundedStream::Fail(Failure failure) {
  if (failure_ == Failure::kNone) failure_ = failure;
  return -1;
}

bool BoundedStream::is_readable() const {
  return begin_ < end_ || TlsBuffered() || WaitFor(POLLIN, read_deadline_);
}

bool BoundedStream::is_writable() const {
  return failure_ == Failure::kNone &&
         WaitFor(POLLOUT, wrote_ ? write_deadline_ : Clock::now() + kHttpWriteDeadline);
}

ssize_t BoundedStream::read(char* ptr, size_t size) {
  if (failure_ != Failure::kNone) return -1;
  if (budget_ == 0) return Fail(in_body_ ? Failure::kBodyTooLarge : Failure::kHeadTooLarge);
  short wait = POLLIN;
  while (begin_ == end_) {
    if (!TlsBuffered() && !WaitFor(wait, read_deadline_)) {
      if (stopping_ && stopping_()) return Fail(Failure::kBroken);
      return Fail(in_body_ ? Failure::kBodyDeadline : Failure::kHeadDeadline);
    }
    const ssize_t n = Receive(buffer_.data(), buffer_.size(), &wait);
    if (n == 0) return 0;  // the peer closed: end of input, as httplib expects
    if (n < 0 && wait == 0) return Fail(Failure::kBroken);
    begin_ = 0;
    end_ = n < 0 ? 0 : static_cast<size_t>(n);
  }
  const size_t n = std::min({size, budget_, end_ - begin_});
  std::memcpy(ptr, buffer_.data() + begin_, n);
  begin_ += n;
  budget_ -= n;
  return static_cast<ssize_t>(n);
}

ssize_t BoundedStream::SendSome(const char* ptr, size_t size, Clock::time_point deadline) {
  short wait = POLLOUT;
  for (;;) {
    if (!WaitFor(wait, deadline)) return -1;
    const ssize_t n = Send(ptr, size, &wait);
    if (n >= 0) return n;
    if (wait == 0) return -1;
  }
}

ssize_t BoundedStream::write(const char* ptr, size_t size) {
  if (failure_ != Failure::kNone) return -1;
  if (!wrote_) {
    wrote_ = true;
    write_deadline_ = Clock::now() + kHttpWriteDeadline;
  }
  const ssize_t n = SendSome(ptr, size, write_deadline_);
  return n < 0 ? Fail(Failure::kBroken) : n;
}

bool BoundedStream::WriteFinal(std::string_view bytes) {
  const auto deadline = Clock::now() + std::chrono::seconds(1);
  while (!bytes.empty()) {
    const ssize_t n = SendSome(bytes.data(), bytes.size(), deadline);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void BoundedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    AddressOf(address, ip, port);
  }
}

void BoundedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    AddressOf(address, ip, port);
  }
}

}  // namespace storepulse::common
