#include "tests/hostile/raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

namespace storepulse::test_support {
namespace {

using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// The Content-Length of a response head; 0 without one.
size_t ContentLength(const std::string& head) {
  std::string lower;
  for (char c : head) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::stoul(lower.substr(at + 17));
}

}  // namespace

std::unique_ptr<RawConnection> RawConnection::Open(int port, const std::string& source) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
      inet_pton(AF_INET, "127.0.0.1", &to.sin_addr) != 1 ||
      bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return nullptr;
  }
  return std::unique_ptr<RawConnection>(new RawConnection(fd));
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, 10'000) != 1 || (p.revents & (POLLERR | POLLHUP)) != 0) return false;
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

uint64_t RawConnection::SendChunked(uint64_t total, size_t chunk, const std::atomic<bool>& stop) {
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk);
  const std::string framed = size_line + std::string(chunk, 'x') + "\r\n";
  uint64_t sent = 0;
  while (sent + chunk <= total && !stop) {
    if (!Send(framed)) return sent;
    sent += chunk;
  }
  if (!stop) Send("0\r\n\r\n");
  return sent;
}

uint64_t RawConnection::SendRaw(uint64_t total, size_t chunk, const std::atomic<bool>& stop) {
  const std::string block(chunk, 'x');
  uint64_t sent = 0;
  while (sent < total && !stop) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk, total - sent));
    if (!Send(std::string_view(block).substr(0, n))) return sent;
    sent += n;
  }
  return sent;
}

std::optional<RawResponse> RawConnection::ReadResponse(std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  std::string& in = pending_;
  std::optional<RawResponse> response;
  char buffer[16 * 1024];
  for (;;) {
    if (!response) {
      const size_t end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        response = RawResponse{};
        response->head = in.substr(0, end + 2);
        in.erase(0, end + 4);
        if (response->head.size() > 12) response->status = std::stoi(response->head.substr(9, 3));
      }
    }
    if (response && in.size() >= ContentLength(response->head)) {
      const size_t length = ContentLength(response->head);
      response->body = in.substr(0, length);
      in.erase(0, length);
      return response;
    }
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, MillisLeft(until)) != 1) return std::nullopt;
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    in.append(buffer, static_cast<size_t>(n));
  }
}

bool RawConnection::WaitClosed(std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  char buffer[16 * 1024];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, MillisLeft(until)) != 1) return false;
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return true;
  }
}

}  // namespace storepulse::test_support
