#include "tests/support/free_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace storepulse::test_support {
namespace {

// Ports below Linux's ephemeral range (32768–60999 by default): a port the kernel hands out for
// bind(0) is also one it may give any outgoing connection, so a daemon restarted on its port could
// find it taken by another test's client socket (the hostile tests open thousands).
constexpr int kFirstPort = 20'000;
constexpr int kLastPort = 32'767;

// Claims `port` for this process until it exits: an flock on a file per port, so that tests run in
// parallel (ctest -j) never pick the same one. The lock is released when the process dies.
bool ClaimForThisProcess(int port) {
  static const std::string dir = [] {
    std::string path = "/tmp/storepulse-test-ports";
    mkdir(path.c_str(), 0777);
    return path;
  }();
  const std::string file = dir + "/" + std::to_string(port);
  const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return false;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return false;
  }
  return true;  // fd stays open: the claim lasts as long as the process
}

// A socket bound to 127.0.0.1 on a random free port of that range, claimed for this process; -1
// on failure. Writes the port.
int BindAnyPort(int* port) {
  static std::mutex mu;
  static std::mt19937 random(std::random_device{}());
  std::lock_guard lock(mu);
  std::uniform_int_distribution<int> pick(kFirstPort, kLastPort);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const int candidate = pick(random);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(candidate));
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ClaimForThisProcess(candidate)) {
      *port = candidate;
      return fd;
    }
    close(fd);
  }
  return -1;
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
