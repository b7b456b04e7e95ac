// A fault-injecting TCP proxy for the network fault tests (docs/RELIABILITY.md, issue 13): it
// listens on one address and forwards every connection to an upstream, and on command delays the
// bytes, stalls the link (nothing read, nothing written: the peers' TCP windows fill up), passes
// bytes one way only (the other way's are read and thrown away: "central committed, the edge
// never heard"), or cuts connections, at once or in the middle of the next chunk (a frame cut in
// two). This kernel has no `tc netem`, so latency and one-way loss come from here.
//
// One thread with poll(), started by Start and joined by the destructor; at most 64 connections
// and 4 MiB queued per direction (a reader waits beyond that), so it stays bounded whatever the
// peers do. Its sockets are made in the network namespace named in Options (`ip netns` name).
// The control calls are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"

namespace storepulse::test_support {

class FaultProxy {
 public:
  enum class Mode {
    kPass,        // forward both ways (after the delay)
    kStall,       // forward nothing, read nothing
    kForwardOnly  // client → upstream passes; upstream → client bytes are read and dropped
  };
  struct Options {
    std::string netns;          // `ip netns` name to make the sockets in; empty: the caller's
    std::string listen_host;    // an IPv4 address
    int listen_port = 0;        // 0: any free one (see port())
    std::string upstream_host;  // an IPv4 address
    int upstream_port = 0;
  };
  struct Stats {
    int64_t connections = 0;    // accepted
    int64_t bytes_up = 0;       // forwarded client → upstream
    int64_t bytes_down = 0;     // forwarded upstream → client
    int64_t bytes_dropped = 0;  // read and thrown away (kForwardOnly, cuts)
    int64_t cuts = 0;           // connections the proxy closed on command
  };

  // Unavailable when the namespace cannot be entered or the address cannot be bound.
  static common::StatusOr<std::unique_ptr<FaultProxy>> Start(Options options);
  ~FaultProxy();  // stops the thread, closes every socket
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  // Every byte is forwarded this long after it was read, in each direction (order kept).
  void SetDelay(std::chrono::milliseconds each_way);
  void SetMode(Mode mode);
  // Closes every open connection now (RST), with whatever is queued in it.
  void CutAll();
  // The next chunk forwarded on each open connection goes out in half, then that connection is
  // closed (RST): the peer gets a frame cut in the middle.
  void CutMidFrame();
  Stats stats() const;

 private:
  struct Control {
    std::chrono::milliseconds delay{0};
    Mode mode = Mode::kPass;
    int64_t cut_all = 0;  // generation counters: the loop acts when they change
    int64_t cut_mid_frame = 0;
  };
  class Loop;

  FaultProxy() = default;
  Control control() const;

  int port_ = 0;
  mutable std::mutex mu_;
  Control control_;
  Stats stats_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace storepulse::test_support
