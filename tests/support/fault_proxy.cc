#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <future>
#include <list>
#include <vector>

namespace storepulse::test_support {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxConnections = 64;
constexpr size_t kMaxQueuedBytes = 4 << 20;

common::Status Errno(const std::string& what) {
  return common::Unavailable(what + ": " + std::strerror(errno));
}

sockaddr_in Address(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  return address;
}

// Closes with a reset rather than a FIN: what a broken link looks like to the peer's next send.
void Reset(int fd) {
  linger hard{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  close(fd);
}

// Connects to the upstream within a second (it is in the same namespace: a refusal is immediate).
int ConnectUpstream(const sockaddr_in& upstream) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&upstream), sizeof upstream) != 0 &&
      errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  pollfd pending{fd, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof error;
  if (poll(&pending, 1, 1000) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 ||
      error != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

struct Chunk {
  Clock::time_point due;
  std::string bytes;
  size_t sent = 0;
};

// One way of a connection: what was read from one socket and waits to be written to the other.
struct Direction {
  std::deque<Chunk> queue;
  size_t queued = 0;
  bool HasDue(Clock::time_point now) const { return !queue.empty() && queue.front().due <= now; }
};

struct Connection {
  int client = -1;
  int upstream = -1;
  Direction up;    // client → upstream
  Direction down;  // upstream → client
  bool cut_mid_frame = false;
  bool closed = false;
};

}  // namespace

class FaultProxy::Loop {
 public:
  Loop(FaultProxy* proxy, int listener, sockaddr_in upstream)
      : proxy_(proxy), listener_(listener), upstream_(upstream) {}

  void Run() {
    Control seen = proxy_->control();
    while (!proxy_->stop_.load()) {
      Step(&seen);
      connections_.remove_if([](const Connection& c) { return c.closed; });
    }
    for (Connection& c : connections_) Close(c, /*reset=*/true);
    close(listener_);
  }

 private:
  // One poll() round. The control is read after poll returns, so that a call made before some
  // bytes were sent applies to those bytes.
  void Step(Control* seen) {
    const auto now = Clock::now();
    const bool was_stalled = seen->mode == Mode::kStall;
    std::vector<pollfd> fds = {{listener_, POLLIN, 0}};
    for (Connection& c : connections_) {
      short client_events = 0, upstream_events = 0;
      if (!was_stalled) {
        if (c.up.queued < kMaxQueuedBytes) client_events |= POLLIN;
        if (c.down.queued < kMaxQueuedBytes) upstream_events |= POLLIN;
        if (c.down.HasDue(now)) client_events |= POLLOUT;
        if (c.up.HasDue(now)) upstream_events |= POLLOUT;
      }
      fds.push_back({c.client, client_events, 0});
      fds.push_back({c.upstream, upstream_events, 0});
    }
    // Wake for the next due chunk, and at least every 20 ms for the control calls.
    auto wake = now + std::chrono::milliseconds(20);
    for (const Connection& c : connections_) {
      for (const Direction* d : {&c.up, &c.down}) {
        if (!d->queue.empty()) wake = std::min(wake, d->queue.front().due);
      }
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    if (poll(fds.data(), fds.size(), static_cast<int>(std::max<int64_t>(wait, 0))) < 0) return;
    const Control control = proxy_->control();
    if (control.cut_all != seen->cut_all) CutAll();
    if (control.cut_mid_frame != seen->cut_mid_frame) {
      for (Connection& c : connections_) c.cut_mid_frame = true;
    }
    *seen = control;
    const bool stalled = control.mode == Mode::kStall;
    if (fds[0].revents & POLLIN) Accept();
    size_t i = 1;
    for (Connection& c : connections_) {
      if (i + 1 >= fds.size()) break;  // accepted just now: not polled yet
      const short client = fds[i++].revents, upstream = fds[i++].revents;
      if (c.closed) continue;  // cut just now
      if (stalled) {           // a peer that gave up is closed, or poll would spin on its hang-up
        if ((client | upstream) & (POLLHUP | POLLERR)) Close(c, /*reset=*/true);
        continue;
      }
      const auto read_at = Clock::now();
      if (client & (POLLIN | POLLHUP | POLLERR)) {
        Read(c, c.client, &c.up, read_at + control.delay, /*drop=*/false);
      }
      if (!c.closed && (upstream & (POLLIN | POLLHUP | POLLERR))) {
        Read(c, c.upstream, &c.down, read_at + control.delay,
             /*drop=*/control.mode == Mode::kForwardOnly);
      }
      if (!c.closed) Write(c, c.upstream, &c.up, /*upstream_bound=*/true);
      if (!c.closed) Write(c, c.client, &c.down, /*upstream_bound=*/false);
    }
  }

  void Accept() {
    const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (client < 0) return;
    if (connections_.size() >= kMaxConnections) {
      close(client);
      return;
    }
    const int upstream = ConnectUpstream(upstream_);
    if (upstream < 0) {
      Reset(client);  // as the upstream refused: the client sees its connection fail
      return;
    }
    for (int fd : {client, upstream}) {
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    connections_.push_back(Connection{client, upstream, {}, {}, false, false});
    std::lock_guard lock(proxy_->mu_);
    ++proxy_->stats_.connections;
  }

  void Read(Connection& c, int fd, Direction* into, Clock::time_point due, bool drop) {
    char buffer[64 * 1024];
    const ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {  // the peer closed or failed: so does the other side (ZeroMQ never half-closes)
      Close(c, /*reset=*/n < 0);
      return;
    }
    if (drop) {
      std::lock_guard lock(proxy_->mu_);
      proxy_->stats_.bytes_dropped += n;
      return;
    }
    into->queue.push_back(Chunk{due, std::string(buffer, static_cast<size_t>(n)), 0});
    into->queued += static_cast<size_t>(n);
  }

  void Write(Connection& c, int fd, Direction* from, bool upstream_bound) {
    const auto now = Clock::now();
    while (from->HasDue(now)) {
      Chunk& chunk = from->queue.front();
      size_t length = chunk.bytes.size() - chunk.sent;
      if (c.cut_mid_frame) length = std::max<size_t>(length / 2, 1);
      const ssize_t n =
          send(fd, chunk.bytes.data() + chunk.sent, length, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (n < 0) {
        Close(c, /*reset=*/true);
        return;
      }
      {
        std::lock_guard lock(proxy_->mu_);
        (upstream_bound ? proxy_->stats_.bytes_up : proxy_->stats_.bytes_down) += n;
      }
      if (c.cut_mid_frame) {
        std::lock_guard lock(proxy_->mu_);
        ++proxy_->stats_.cuts;
        Close(c, /*reset=*/true);
        return;
      }
      chunk.sent += static_cast<size_t>(n);
      if (chunk.sent < chunk.bytes.size()) return;  // the socket's buffer is full
      from->queued -= chunk.bytes.size();
      from->queue.pop_front();
    }
  }

  void CutAll() {
    for (Connection& c : connections_) {
      if (c.closed) continue;
      Close(c, /*reset=*/true);
      std::lock_guard lock(proxy_->mu_);
      ++proxy_->stats_.cuts;
    }
  }

  void Close(Connection& c, bool reset) {
    if (c.closed) return;
    for (int fd : {c.client, c.upstream}) reset ? Reset(fd) : (void)close(fd);
    c.closed = true;
  }

  FaultProxy* proxy_;
  int listener_;
  sockaddr_in upstream_;
  std::list<Connection> connections_;
};

common::StatusOr<std::unique_ptr<FaultProxy>> FaultProxy::Start(Options options) {
  std::unique_ptr<FaultProxy> proxy(new FaultProxy());
  std::promise<common::StatusOr<int>> bound;
  auto bound_port = bound.get_future();
  FaultProxy* raw = proxy.get();
  proxy->thread_ = std::thread([raw, options, &bound] {
    // The thread's own network namespace: every socket it makes belongs there.
    if (!options.netns.empty()) {
      const std::string path = "/run/netns/" + options.netns;
      const int ns = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) {
        bound.set_value(Errno("cannot enter network namespace " + options.netns));
        if (ns >= 0) close(ns);
        return;
      }
      close(ns);
    }
    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address = Address(options.listen_host, options.listen_port);
    socklen_t length = sizeof address;
    if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener, 16) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      bound.set_value(Errno("cannot listen on " + options.listen_host));
      if (listener >= 0) close(listener);
      return;
    }
    bound.set_value(static_cast<int>(ntohs(address.sin_port)));
    Loop(raw, listener, Address(options.upstream_host, options.upstream_port)).Run();
  });
  common::StatusOr<int> port = bound_port.get();
  if (!port.ok()) {
    proxy->thread_.join();
    return port.status();
  }
  proxy->port_ = *port;
  return proxy;
}

FaultProxy::~FaultProxy() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

FaultProxy::Control FaultProxy::control() const {
  std::lock_guard lock(mu_);
  return control_;
}

void FaultProxy::SetDelay(std::chrono::milliseconds each_way) {
  std::lock_guard lock(mu_);
  control_.delay = each_way;
}

void FaultProxy::SetMode(Mode mode) {
  std::lock_guard lock(mu_);
  control_.mode = mode;
}

void FaultProxy::CutAll() {
  std::lock_guard lock(mu_);
  ++control_.cut_all;
}

void FaultProxy::CutMidFrame() {
  std::lock_guard lock(mu_);
  ++control_.cut_mid_frame;
}

FaultProxy::Stats FaultProxy::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace storepulse::test_support
