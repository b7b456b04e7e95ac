// Plain HTTP GETs for integration tests: one request with a timeout, and waiting for a server to
// come up (poll an URL until it answers 200, with a deadline — never a blind sleep). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace storepulse::test_support {

struct HttpReply {
  int status = 0;
  std::string body;
};

// GET http://host:port/path; nothing when no answer came within `timeout`. With `tls_ca`, GET
// https://host:port/path trusting only that PEM certificate (a test's self-signed one).
std::optional<HttpReply> HttpGet(const std::string& host, int port, const std::string& path,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(2),
                                 const std::string& tls_ca = "");

// Polls GET path every `interval` until it answers 200 (true), `deadline` passes, or `alive`
// (when given) says the server process is gone (false) — so a crashed server fails fast. Over
// HTTPS with `tls_ca`, as HttpGet.
bool WaitForHttpOk(const std::string& host, int port, const std::string& path,
                   std::chrono::milliseconds deadline = std::chrono::seconds(10),
                   const std::function<bool()>& alive = nullptr,
                   std::chrono::milliseconds interval = std::chrono::milliseconds(50),
                   const std::string& tls_ca = "");

}  // namespace storepulse::test_support
