#include "tests/support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace storepulse::test_support {
namespace {

// A socket bound to 127.0.0.1 on a port the kernel chose; -1 on failure. Writes the port.
int BindAnyPort(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

int FreeTcpPort() {
  std::vector<int> ports = FreeTcpPorts(1);
  return ports.empty() ? -1 : ports[0];
}

std::vector<int> FreeTcpPorts(int count) {
  std::vector<int> ports;
  std::vector<int> sockets;
  for (int i = 0; i < count; ++i) {
    int port = 0;
    const int fd = BindAnyPort(&port);
    if (fd < 0) break;
    sockets.push_back(fd);
    ports.push_back(port);
  }
  for (const int fd : sockets) close(fd);
  if (static_cast<int>(ports.size()) != count) ports.clear();
  return ports;
}

}  // namespace storepulse::test_support
