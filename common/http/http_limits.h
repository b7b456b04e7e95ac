// What one HTTP client may take from a daemon (both daemons, common/http/guarded_http_server.h),
// and why each number is what it is. Every worker of the pool serves one connection at a time, so
// each limit bounds how long, or how much memory, a slow or hostile client can hold. Only the cap
// on connections per client address is a config option (http-connections-per-client): behind a
// proxy or NAT every client shares one address. Written up for operators in docs/OPERATIONS.md.
#pragma once

#include <chrono>
#include <cstddef>

namespace storepulse::common {

// A request's line and headers must arrive within this much time of its first byte, or the
// connection is closed (408): a client sending a byte a second holds a worker for 10 s at most.
inline constexpr std::chrono::seconds kHttpHeadDeadline{10};
// An HTTPS connection's TLS handshake must end within this much time of its accept: a browser
// takes a few round trips, a client that stalls holds a worker no longer than a slow head.
inline constexpr std::chrono::seconds kHttpTlsHandshakeDeadline{10};
// A request body must arrive within this much time of the headers: 16 MiB (the batch limit) at
// 0.6 MB/s, slower than any LAN or store Wi-Fi a till posts over.
inline constexpr std::chrono::seconds kHttpBodyDeadline{30};
// The client must take a whole response within this much time of its first byte: the largest
// KPI answers are a few MB.
inline constexpr std::chrono::seconds kHttpWriteDeadline{30};
// Request line and headers together: a browser sends under 2 KiB, cookies included.
inline constexpr size_t kHttpMaxHeadBytes = 64 * 1024;
// Chunk-size lines and trailers a chunked body may add to its data: a backstop only, the data
// itself is counted against the route's limit.
inline constexpr size_t kHttpMaxChunkFramingBytes = 1024 * 1024;
// An idle keep-alive connection is closed after this long: it holds a worker while it waits. Above
// the dashboards' and tills' gaps between requests in a burst, far below their refresh periods.
inline constexpr std::chrono::seconds kHttpKeepAliveIdle{5};
// Requests on one connection before it is closed, so that no client keeps a worker forever.
inline constexpr size_t kHttpKeepAliveMaxRequests = 100;
// After refusing a request whose body was not read, the daemon reads and drops what the client
// still sends for at most this long before closing, so that the client sees the answer instead of
// a reset. Time-bounded only: dropped bytes cost no memory.
inline constexpr std::chrono::milliseconds kHttpLingerDeadline{2000};
// Default cap on connections open at once from one client address (http-connections-per-client):
// a browser opens up to 6 to one server, and the dashboards fetch 5-6 documents at once.
inline constexpr int kHttpDefaultConnectionsPerClient = 6;

}  // namespace storepulse::common
