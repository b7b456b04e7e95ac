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

// GET http://host:port/path; nothing when no answer came within `timeout`.
std::optional<HttpReply> HttpGet(const std::string& host, int port, const std::string& path,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(2));

// Polls GET path every `interval` until it answers 200 (true), `deadline` passes, or `alive`
// (when given) says the server process is gone (false) — so a crashed server fails fast.
bool WaitForHttpOk(const std::string& host, int port, const std::string& path,
                   std::chrono::milliseconds deadline = std::chrono::seconds(10),
                   const std::function<bool()>& alive = nullptr,
                   std::chrono::milliseconds interval = std::chrono::milliseconds(50));

}  // namespace storepulse::test_support
