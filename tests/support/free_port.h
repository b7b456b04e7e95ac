// Free TCP ports on 127.0.0.1 for tests that start servers: random ports below the kernel's
// ephemeral range (so no test's outgoing connection can hold one), checked by binding them and
// claimed for the calling process (a lock file per port: parallel tests never share one), then
// released for the server to bind. Thread-safe.
#pragma once

#include <vector>

namespace storepulse::test_support {

// One free port, or -1 when no socket could be bound.
int FreeTcpPort();

// `count` distinct free ports (all held while choosing, so none repeats).
std::vector<int> FreeTcpPorts(int count);

}  // namespace storepulse::test_support
