// Free TCP ports on 127.0.0.1 for tests that start servers: the kernel picks them (bind to port 0)
// and they are released at once. Another process could take one before the test binds it; that
// is unlikely enough on a test machine, and the server then fails loudly. Thread-safe.
#pragma once

#include <vector>

namespace storepulse::test_support {

// One free port, or -1 when no socket could be bound.
int FreeTcpPort();

// `count` distinct free ports (all held while choosing, so none repeats).
std::vector<int> FreeTcpPorts(int count);

}  // namespace storepulse::test_support
