#include "tests/support/http_probe.h"

#include <httplib.h>

#include <thread>

namespace storepulse::test_support {

std::optional<HttpReply> HttpGet(const std::string& host, int port, const std::string& path,
                                 std::chrono::milliseconds timeout, const std::string& tls_ca) {
  const std::string origin = (tls_ca.empty() ? "http://" : "https://") + host + ":" +
                             std::to_string(port);
  httplib::Client client(origin);
  if (!tls_ca.empty()) client.set_ca_cert_path(tls_ca);
  const auto seconds = static_cast<time_t>(timeout.count() / 1000);
  const auto micros = static_cast<time_t>((timeout.count() % 1000) * 1000);
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  httplib::Result result = client.Get(path);
  if (!result) return std::nullopt;
  return HttpReply{result->status, result->body};
}

bool WaitForHttpOk(const std::string& host, int port, const std::string& path,
                   std::chrono::milliseconds deadline, const std::function<bool()>& alive,
                   std::chrono::milliseconds interval, const std::string& tls_ca) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    std::optional<HttpReply> reply = HttpGet(host, port, path, interval * 4, tls_ca);
    if (reply && reply->status == 200) return true;
    if (alive && !alive()) return false;
    if (std::chrono::steady_clock::now() + interval > until) return false;
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace storepulse::test_support
