#include "central/alert_delivery.h"

#include <httplib.h>

#include <algorithm>

#include "central/alertmanager_payload.h"
#include "common/log.h"

namespace storepulse::central {
namespace {

constexpr int64_t kIdleMs = 60'000;  // nothing pending: look again this often anyway

struct WebhookUrl {
  std::string origin;  // "http://host:port"
  std::string path;    // "/hook", "/" when none
};

// Where a receiver is, for the log: "https://hooks.example.com", never its path or query, which
// often hold the receiver's secret.
std::string OriginOf(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const size_t path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return url.substr(0, path_start);
}

common::StatusOr<WebhookUrl> ParseWebhookUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return common::InvalidArgument("--alert-webhook " + OriginOf(url) +
                                   "…: not an http:// or https:// URL");
  }
  const size_t path_start = url.find('/', scheme_end + 3);
  WebhookUrl parsed{url.substr(0, path_start),
                    path_start == std::string::npos ? "/" : url.substr(path_start)};
  if (parsed.origin.size() <= scheme_end + 3) {
    return common::InvalidArgument("--alert-webhook " + OriginOf(url) + "…: no host");
  }
  return parsed;
}

}  // namespace

int64_t RetryDelayMs(int64_t failures, int64_t first_ms, int64_t max_ms) {
  int64_t delay = first_ms;
  for (int64_t i = 1; i < failures && delay < max_ms; ++i) delay *= 2;
  return std::min(delay, max_ms);
}

common::Status CheckWebhookUrl(const std::string& url) { return ParseWebhookUrl(url).status(); }

AlertDelivery::AlertDelivery(AlertDeliveryOptions options, AlertStore& store,
                             const common::Clock& clock)
    : options_(std::move(options)), store_(store), clock_(clock) {}

AlertDelivery::~AlertDelivery() { Stop(); }

void AlertDelivery::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void AlertDelivery::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    if (posting_ != nullptr) posting_->stop();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertDelivery::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

nlohmann::json AlertDelivery::Stats() const {
  common::StatusOr<int64_t> pending = store_.Pending();
  return {{"receivers", options_.receivers.size()},
          {"pending", pending.ok() ? nlohmann::json(*pending) : nlohmann::json()},
          {"delivered", delivered_.load()},
          {"failed_attempts", failed_.load()}};
}

std::vector<PendingDelivery> AlertDelivery::DeliveriesFor(const AlertChange& change) const {
  const std::string body = AlertmanagerPayload(change, options_.external_url).dump();
  std::vector<PendingDelivery> deliveries;
  for (const std::string& receiver : options_.receivers) {
    deliveries.push_back(PendingDelivery{0, receiver, body, 0, 0});
  }
  return deliveries;
}

void AlertDelivery::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    const int64_t wait_ms = DeliverDue();
    lock.lock();
    if (wait_ms > 0) {
      wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stop_ || woken_; });
    }
    woken_ = false;
  }
}

int64_t AlertDelivery::DeliverDue() {
  common::StatusOr<std::vector<PendingDelivery>> heads = store_.Heads();
  if (!heads.ok()) {
    common::LogError("alert delivery: " + heads.status().message());
    return options_.first_retry_ms;
  }
  int64_t wait_ms = kIdleMs;
  for (const PendingDelivery& d : *heads) {
    const int64_t now_ms = clock_.NowMs();
    if (d.next_attempt_ms > now_ms) {
      wait_ms = std::min(wait_ms, d.next_attempt_ms - now_ms);
      continue;
    }
    common::Status posted = Post(d.receiver, d.payload);
    {
      std::lock_guard lock(mu_);
      if (stop_) return 0;  // a POST cut short by Stop is not a failure of the receiver
    }
    common::Status kept;
    if (posted.ok()) {
      delivered_++;
      if (d.attempts > 0) {
        common::LogInfo("alert delivery: " + OriginOf(d.receiver) + " took an alert after " +
                        std::to_string(d.attempts) + " failed attempts");
      }
      kept = store_.Delivered(d.seq);
      if (kept.ok()) wait_ms = 0;  // its next one at once
    } else {
      failed_++;
      const int64_t delay = RetryDelayMs(d.attempts + 1, options_.first_retry_ms,
                                         options_.max_retry_ms);
      if (d.attempts == 0) {
        common::LogWarning("alert delivery to " + OriginOf(d.receiver) +
                           " failed, retrying with back-off: " +
                           posted.message());
      }
      kept = store_.Retry(d.seq, d.attempts + 1, now_ms + delay, posted.message());
      wait_ms = std::min(wait_ms, delay);
    }
    if (!kept.ok()) common::LogError("alert delivery: " + kept.message());
  }
  return wait_ms;
}

common::Status AlertDelivery::Post(const std::string& url, const std::string& body) {
  ASSIGN_OR_RETURN(WebhookUrl target, ParseWebhookUrl(url));
  httplib::Client client(target.origin);
  const time_t seconds = std::max<int64_t>(1, options_.timeout_ms / 1000);
  client.set_connection_timeout(seconds);
  client.set_read_timeout(seconds);
  client.set_write_timeout(seconds);
  {
    std::lock_guard lock(mu_);
    if (stop_) return common::Unavailable("stopping");
    posting_ = &client;
  }
  httplib::Result result = client.Post(target.path, body, "application/json");
  {
    std::lock_guard lock(mu_);
    posting_ = nullptr;
  }
  if (!result) {
    return common::Unavailable("cannot reach " + target.origin + ": " +
                               httplib::to_string(result.error()));
  }
  if (result->status < 200 || result->status > 299) {
    return common::Unavailable(target.origin + " answered HTTP " +
                               std::to_string(result->status));
  }
  return common::OkStatus();
}

}  // namespace storepulse::central
