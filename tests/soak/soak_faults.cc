#include "tests/soak/soak_faults.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/log.h"
#include "tests/support/process.h"

namespace storepulse::soak {
namespace {

constexpr char kTable[] = "inet storepulse_soak";

// Whether this process runs in a network namespace that has nothing but a loopback — the one
// scripts/soak makes with unshare --net. A machine's own namespace has real interfaces; the
// soak's rules must never land there.
bool InLoopbackOnlyNamespace() {
  std::ifstream dev("/proc/self/net/dev");  // this process's namespace (not /sys/class/net)
  int interfaces = 0;
  bool only_lo = true;
  for (std::string line; std::getline(dev, line);) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;  // the two header lines
    ++interfaces;
    const size_t first = line.find_first_not_of(' ');
    only_lo = only_lo && line.substr(first, colon - first) == "lo";
  }
  return interfaces == 1 && only_lo;
}

// The local port of process `pid`'s ESTABLISHED TCP connection to `remote_port`; 0 if none.
int ConnectionPort(pid_t pid, int remote_port) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::set<std::string> inodes;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(proc + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string target = std::filesystem::read_symlink(it->path(), ec).string();
    if (!ec && target.rfind("socket:[", 0) == 0) inodes.insert(target.substr(8, target.size() - 9));
  }
  std::ifstream tcp(proc + "/net/tcp");
  std::string line;
  std::getline(tcp, line);  // the header
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, skip, inode;
    fields >> slot >> local >> remote >> state >> skip >> skip >> skip >> skip >> skip >> inode;
    if (state != "01" || !inodes.count(inode)) continue;
    if (std::stoi(remote.substr(remote.rfind(':') + 1), nullptr, 16) != remote_port) continue;
    return std::stoi(local.substr(local.rfind(':') + 1), nullptr, 16);
  }
  return 0;
}

}  // namespace

FaultInjector::FaultInjector(SoakFleet* fleet, uint64_t seed, double interval_s, bool nft,
                             int protected_edges)
    : fleet_(fleet),
      rng_(seed * 0x9E3779B97F4A7C15ULL + 1),
      interval_s_(interval_s),
      nft_(nft),
      protected_edges_(protected_edges) {
  next_ = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(interval_s * 1000));
}

bool FaultInjector::Nft(const std::string& command) {
  auto result = test_support::RunProcess({"nft", command}, std::chrono::seconds(10));
  return result.ok() && result->exit_status == 0;
}

common::Status FaultInjector::Setup() {
  if (!nft_) return common::OkStatus();
  if (!InLoopbackOnlyNamespace()) {
    return common::FailedPrecondition(
        "--partitions nft runs only in a network namespace of the soak's own (scripts/soak "
        "makes one with unshare --net); refusing to touch the machine's firewall");
  }
  if (!Nft(std::string("add table ") + kTable) ||
      !Nft(std::string("add chain ") + kTable +
           " out { type filter hook output priority 0 ; policy accept ; }")) {
    return common::Unavailable("nft could not make the soak's table (root and nftables needed)");
  }
  // Vanished edges' connections: their source ports, dropped both ways for 60 s (longer than
  // central takes to give up on a silent peer; then the port may serve a new connection).
  if (!Nft(std::string("add set ") + kTable + " gone { type inet_service ; flags timeout ; }") ||
      !Nft(std::string("add chain ") + kTable +
           " ghost { type filter hook output priority 1 ; policy accept ; }") ||
      !Nft(std::string("add rule ") + kTable + " ghost tcp sport @gone drop") ||
      !Nft(std::string("add rule ") + kTable + " ghost tcp dport @gone drop")) {
    return common::Unavailable("nft could not make the soak's set of vanished connections");
  }
  nft_ready_ = true;
  return common::OkStatus();
}

void FaultInjector::Teardown() {
  if (nft_ready_) Nft(std::string("delete table ") + kTable);
  nft_ready_ = false;
}

int FaultInjector::total() const {
  int n = 0;
  for (const auto& [kind, count] : injected_) n += count;
  return n;
}

void FaultInjector::Step(Clock::time_point now) {
  std::vector<Repair> due;
  auto split = std::partition(repairs_.begin(), repairs_.end(),
                              [&](const Repair& r) { return r.due > now; });
  due.assign(split, repairs_.end());
  repairs_.erase(split, repairs_.end());
  for (const Repair& repair : due) Do(repair);
  if (now >= next_) {
    Inject(now);
    next_ = now + std::chrono::milliseconds(
                      static_cast<int64_t>(Uniform(0.5, 1.5) * interval_s_ * 1000));
  }
}

void FaultInjector::Inject(Clock::time_point now) {
  auto later = [&](double lo, double hi) {
    return now + std::chrono::milliseconds(static_cast<int64_t>(Uniform(lo, hi) * 1000));
  };
  // Weights: edges' crashes and restarts are the common case (a till PC reboots), central's
  // rarer; partitions as often as edge crashes.
  const double pick = Uniform(0, 1);
  const int edges = fleet_->edge_count();
  const int victim_edges = std::max(0, edges - protected_edges_);
  const int edge = victim_edges > 0 ? protected_edges_ + static_cast<int>(Uniform(0, victim_edges))
                                    : -2;
  const bool edge_ok = edge >= 0 && edge < edges && fleet_->daemon(edge).Running() &&
                       !fleet_->daemon(edge).frozen;
  const bool central_ok = fleet_->daemon(-1).Running() && !fleet_->daemon(-1).frozen;
  const int vanish_port =
      nft_ && edge_ok && pick < 0.08 ? ConnectionPort(fleet_->daemon(edge).pid(),
                                                     fleet_->central_zmq_port())
                                     : 0;
  if (vanish_port > 0) {
    // The edge's connection vanishes — no FIN, no RST ever reaches central (a store that lost
    // power, a NAT that dropped the flow) — and the edge dies; it comes back on a new one.
    if (Nft(std::string("add element ") + kTable + " gone { " + std::to_string(vanish_port) +
            " timeout 60s }")) {
      fleet_->Kill(edge);
      repairs_.push_back({later(0.5, 3), "restart", edge});
      ++injected_["vanish_edge"];
    }
  } else if (pick < 0.30 && edge_ok) {
    fleet_->Kill(edge);
    repairs_.push_back({later(0.5, 3), "restart", edge});
    ++injected_["kill9_edge"];
  } else if (pick < 0.42 && edge_ok) {
    fleet_->Terminate(edge);
    repairs_.push_back({later(0.2, 1), "restart", edge});
    ++injected_["restart_edge"];
  } else if (pick < 0.52 && edge_ok) {
    fleet_->Freeze(edge);
    repairs_.push_back({later(2, 8), "thaw", edge});
    ++injected_["freeze_edge"];
  } else if (pick < 0.62 && central_ok && !partitioned_) {
    fleet_->Kill(-1);
    repairs_.push_back({later(1, 4), "restart", -1});
    ++injected_["kill9_central"];
  } else if (pick < 0.68 && central_ok && !partitioned_) {
    fleet_->Terminate(-1);
    repairs_.push_back({later(0.2, 1), "restart", -1});
    ++injected_["restart_central"];
  } else if (!partitioned_ && central_ok) {
    const bool acks_only = pick >= 0.84;
    const std::string port = std::to_string(fleet_->central_zmq_port());
    bool made = false;
    if (nft_) {
      made = acks_only ? Nft(std::string("add rule ") + kTable + " out tcp sport " + port + " drop")
                       : Nft(std::string("add rule ") + kTable + " out tcp dport " + port +
                             " drop") &&
                             Nft(std::string("add rule ") + kTable + " out tcp sport " + port +
                                 " drop");
      if (made) ++injected_[acks_only ? "partition_acks_only" : "partition"];
    } else {
      fleet_->Freeze(-1);
      made = true;
      ++injected_["freeze_central"];
    }
    if (made) {
      partitioned_ = true;
      repairs_.push_back({later(3, 15), "heal", -1});
    }
  }
}

void FaultInjector::Do(const Repair& repair) {
  if (repair.kind == "restart") {
    if (!fleet_->Spawn(repair.daemon).ok()) {
      common::LogWarning("soak: could not restart daemon " + std::to_string(repair.daemon));
    }
  } else if (repair.kind == "thaw") {
    fleet_->Thaw(repair.daemon);
  } else if (repair.kind == "heal") {
    if (nft_) {
      Nft(std::string("flush chain ") + kTable + " out");
    } else {
      fleet_->Thaw(-1);
    }
    partitioned_ = false;
  }
}

bool FaultInjector::RepairAll() {
  const std::vector<Repair> pending = std::move(repairs_);
  repairs_.clear();
  for (const Repair& repair : pending) Do(repair);
  if (nft_ready_) Nft(std::string("flush chain ") + kTable + " out");
  partitioned_ = false;
  bool ok = true;
  for (int d = -1; d < fleet_->edge_count(); ++d) {
    fleet_->Thaw(d);
    if (!fleet_->daemon(d).Running()) {
      if (!fleet_->Spawn(d).ok() || !fleet_->WaitUp(d, 120)) ok = false;
    }
  }
  return ok;
}

}  // namespace storepulse::soak
