// Webhook delivery of central's alerts (--alert-webhook, docs/OPERATIONS.md "Alert delivery"):
// each raise and each clear AlertMonitor reports becomes one POST of Alertmanager's webhook JSON
// (central/alertmanager_payload.h) to every receiver. The deliveries wait in alerts.db's outbox
// (central/alert_store.h), written in the same transaction as the change, so they survive a
// restart; a thread of its own posts them, each receiver's in order, and retries a failure
// (transport error or non-2xx) with exponential back-off — a receiver down delays only its own
// deliveries and never blocks the monitor, which only writes the outbox.
//
// Start/Stop from the daemon's thread; Wake and DeliveriesFor from the monitor's; the counters
// from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "central/alert_monitor.h"
#include "central/alert_store.h"
#include "common/status.h"
#include "common/time_util.h"

namespace httplib {
class Client;
}

namespace storepulse::central {

struct AlertDeliveryOptions {
  std::vector<std::string> receivers;  // webhook URLs, http:// or https://
  std::string external_url;            // central's ops page, for the payload's links
  int64_t first_retry_ms = 1'000;      // the wait after a first failure, doubled after each…
  int64_t max_retry_ms = 300'000;      // …up to this
  int64_t timeout_ms = 10'000;         // to connect, and for the receiver's answer
};

// The wait before attempt `failures` + 1, after `failures` (≥ 1) failed attempts:
// first_ms · 2^(failures − 1), at most max_ms.
int64_t RetryDelayMs(int64_t failures, int64_t first_ms, int64_t max_ms);

// InvalidArgument unless `url` is http://host[:port][/path] or https://… .
common::Status CheckWebhookUrl(const std::string& url);

class AlertDelivery final : public AlertOutbox {
 public:
  // REQUIRES: `store` and `clock` outlive it.
  AlertDelivery(AlertDeliveryOptions options, AlertStore& store, const common::Clock& clock);
  ~AlertDelivery() override;
  AlertDelivery(const AlertDelivery&) = delete;
  AlertDelivery& operator=(const AlertDelivery&) = delete;

  void Start();
  // Ends a POST in progress at once; what is pending stays in the outbox for the next start.
  void Stop();

  std::vector<PendingDelivery> DeliveriesFor(const AlertChange& change) const override;
  void Wake() override;
  nlohmann::json Stats() const override;

  int64_t delivered() const { return delivered_; }
  int64_t failed_attempts() const { return failed_; }

 private:
  void Run();
  // Posts what is due; answers how long to wait for the next due delivery.
  int64_t DeliverDue();
  common::Status Post(const std::string& url, const std::string& body);

  const AlertDeliveryOptions options_;
  AlertStore& store_;
  const common::Clock& clock_;
  std::mutex mu_;
  bool stop_ = false;   // guarded by mu_
  bool woken_ = false;  // guarded by mu_
  httplib::Client* posting_ = nullptr;  // the POST in progress, for Stop; guarded by mu_
  std::condition_variable wake_;
  std::thread thread_;
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failed_{0};
};

}  // namespace storepulse::central
