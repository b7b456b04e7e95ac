// The ZAP handler (ZeroMQ RFC 27) that decides which edges may complete the CURVE handshake: a
// client key listed in the stores file is let in with the store id as its User-Id (read back
// from every message, so central knows who speaks); any other key is refused and recorded.
// Owns one thread serving inproc://zeromq.zap.01 in the given context. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include <zmq.hpp>

#include "central/refusals.h"
#include "central/stores_file.h"
#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::central {

class ZapAuthenticator {
 public:
  using DirectoryFn = std::function<std::shared_ptr<const StoreDirectory>()>;

  ZapAuthenticator(zmq::context_t& context, DirectoryFn directory, Refusals& refusals,
                   const common::Clock& clock);
  ~ZapAuthenticator();

  // Binds the ZAP endpoint; must run before any CURVE server socket binds.
  common::Status Start();
  void Stop();

 private:
  void Run();
  void Answer(zmq::socket_t& socket);

  zmq::context_t& context_;
  DirectoryFn directory_;
  Refusals& refusals_;
  const common::Clock& clock_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace storepulse::central
