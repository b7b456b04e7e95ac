#include "tests/soak/soak_faults.h"

#include <algorithm>
#include <fstream>

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
  if (pick < 0.30 && edge_ok) {
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
