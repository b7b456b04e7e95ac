#include "tests/faults/net/netns_link.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/support/process.h"

namespace storepulse::test_support {
namespace {

const std::string kPrefix = "storepulse-nf-";
const std::string kVeth = "nf0";  // the same name in both namespaces: each has its own links

// Runs a command (ip, nft) to completion; Unavailable with its stderr when it fails.
common::Status Run(const std::vector<std::string>& argv) {
  auto result = RunProcess(argv, std::chrono::seconds(20));
  if (!result.ok()) return result.status();
  if (result->exit_status != 0) {
    std::string command;
    for (const auto& arg : argv) command += arg + " ";
    return common::Unavailable(command + "failed: " + result->err);
  }
  return common::OkStatus();
}

// Deletes the namespaces of test processes that are gone (killed before their destructors ran):
// storepulse-nf-<pid>-… with no process <pid>.
void RemoveStaleNamespaces() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const pid_t pid = std::atoi(name.c_str() + kPrefix.size());
    if (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)) continue;  // its test still runs
    (void)Run({"ip", "netns", "delete", name});
  }
}

std::string Ipv4(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

}  // namespace

common::StatusOr<std::unique_ptr<NetnsLink>> NetnsLink::Create() {
  if (geteuid() != 0) return common::Unavailable("network namespaces need root");
  for (const char* tool : {"ip", "nft"}) {
    auto found = RunProcess({"sh", "-c", std::string("command -v ") + tool});
    if (!found.ok() || found->exit_status != 0) {
      return common::Unavailable(std::string(tool) + " is not installed (iproute2, nftables)");
    }
  }
  RemoveStaleNamespaces();
  static std::atomic<int> serial{0};
  const std::string name =
      kPrefix + std::to_string(getpid()) + "-" + std::to_string(serial.fetch_add(1));
  std::unique_ptr<NetnsLink> link(new NetnsLink());
  link->central_ns_ = name + "-c";
  link->edge_ns_ = name + "-e";
  // 10.0.0.0/8 as 2^22 /30s, one per pid.
  const uint32_t base = (10u << 24) | ((static_cast<uint32_t>(getpid()) & 0x3fffff) << 2);
  link->central_ip_ = Ipv4(base + 1);
  link->edge_ip_ = Ipv4(base + 2);
  link->rules_file_ = "/tmp/" + name + ".nft";
  // From here the destructor deletes whatever was made.
  RETURN_IF_ERROR(Run({"ip", "netns", "add", link->central_ns_}));
  RETURN_IF_ERROR(Run({"ip", "netns", "add", link->edge_ns_}));
  RETURN_IF_ERROR(Run({"ip", "link", "add", kVeth, "netns", link->central_ns_, "type", "veth",
                       "peer", "name", kVeth, "netns", link->edge_ns_}));
  for (const auto& [ns, ip] : {std::pair{link->central_ns_, link->central_ip_},
                               std::pair{link->edge_ns_, link->edge_ip_}}) {
    RETURN_IF_ERROR(Run({"ip", "-n", ns, "addr", "add", ip + "/30", "dev", kVeth}));
    RETURN_IF_ERROR(Run({"ip", "-n", ns, "link", "set", kVeth, "up"}));
    RETURN_IF_ERROR(Run({"ip", "-n", ns, "link", "set", "lo", "up"}));
  }
  return link;
}

NetnsLink::~NetnsLink() {
  for (const std::string& ns : {edge_ns_, central_ns_}) {
    if (!ns.empty()) (void)Run({"ip", "netns", "delete", ns});  // the veth pair goes with them
  }
  if (!rules_file_.empty()) std::remove(rules_file_.c_str());
}

common::Status NetnsLink::SetFault(const std::string& rule) {
  std::ofstream(rules_file_) << "flush ruleset\n"
                             << "table inet storepulse_fault {\n"
                             << "  chain in {\n"
                             << "    type filter hook input priority 0; policy accept;\n"
                             << "    iifname \"" << kVeth << "\" " << rule << "\n"
                             << "  }\n"
                             << "  chain out {\n"
                             << "    type filter hook output priority 0; policy accept;\n"
                             << "    oifname \"" << kVeth << "\" " << rule << "\n"
                             << "  }\n"
                             << "}\n";
  return Run({"ip", "netns", "exec", edge_ns_, "nft", "-f", rules_file_});
}

common::Status NetnsLink::ClearFault() {
  return Run({"ip", "netns", "exec", edge_ns_, "nft", "flush", "ruleset"});
}

NetnsScope::NetnsScope(const std::string& ns) {
  previous_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
  if (previous_ < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
    ADD_FAILURE() << "cannot enter network namespace " << ns << ": " << std::strerror(errno);
  }
  if (target >= 0) close(target);
}

NetnsScope::~NetnsScope() {
  if (previous_ < 0) return;
  if (setns(previous_, CLONE_NEWNET) != 0) {
    ADD_FAILURE() << "cannot return to the test's network namespace: " << std::strerror(errno);
  }
  close(previous_);
}

}  // namespace storepulse::test_support
