#include "tests/soak/soak_options.h"

#include <cstdio>
#include <cstdlib>

namespace storepulse::soak {
namespace {

using common::Status;
using common::StatusOr;

StatusOr<double> Number(const std::string& flag, const std::string& text, double min, double max) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value >= min && value <= max)) {
    char range[64];
    std::snprintf(range, sizeof range, "[%g, %g]", min, max);
    return common::InvalidArgument(flag + " takes a number in " + range + ", not '" + text + "'");
  }
  return value;
}

}  // namespace

std::string SoakUsage() {
  return R"(storepulse soak: N simulated stores, each producing into a real storepulse-edge that
replicates to one real storepulse-central, for M minutes, with random faults; then every store's
totals at central must equal its edge's and the simulator's ledger exactly, and the daemons' RSS
and open fds must be flat. Exit status 0 when they are, 1 on any mismatch or leak, 2 usage.

  --stores N          simulated stores, one edge process each (default 50)
  --minutes M         minutes of traffic and faults (default 3; fractions allowed)
  --faults            inject a random fault every few seconds: kill -9 of an edge or of central
                      (restarted), a graceful restart, a partition (both ways, or only
                      central->edge: the acks), an edge frozen (SIGSTOP) for a few seconds
  --seed S            seed of the traffic and of the fault picker (default 1)
  --json              print the summary as JSON
  --fault-interval S  mean seconds between faults (default 4)
  --speed X           simulated seconds per real second (default 300)
  --size X            each store's traffic, 1.0 = an average store (default 1.0)
  --partitions nft|stop  how partitions are made: nftables rules (needs root and a network
                      namespace of the soak's own; scripts/soak sets it up) or SIGSTOP of central
  --bin-dir DIR       build directory with edge/storepulse-edge and central/storepulse-central
  --work-dir DIR      data directories and logs (default: a new directory under /tmp)
  --sample-edges K    edges whose RSS and fds are watched, never killed (default 5)
  --check-deadline S  how long the final catch-up may take (default 300)
)";
}

StatusOr<SoakOptions> ParseSoakOptions(const std::vector<std::string>& args) {
  SoakOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> StatusOr<std::string> {
      if (i + 1 >= args.size()) return common::InvalidArgument(flag + " needs a value");
      return args[++i];
    };
    if (flag == "--faults") {
      o.faults = true;
    } else if (flag == "--json") {
      o.json = true;
    } else if (flag == "--stores" || flag == "--minutes" || flag == "--seed" ||
               flag == "--fault-interval" || flag == "--speed" || flag == "--size" ||
               flag == "--sample-edges" || flag == "--check-deadline" ||
               flag == "--producer-threads") {
      ASSIGN_OR_RETURN(std::string text, value());
      if (flag == "--stores") {
        ASSIGN_OR_RETURN(double n, Number(flag, text, 1, 5000));
        o.stores = static_cast<int>(n);
      } else if (flag == "--minutes") {
        ASSIGN_OR_RETURN(o.minutes, Number(flag, text, 0.1, 24 * 60));
      } else if (flag == "--seed") {
        ASSIGN_OR_RETURN(double n, Number(flag, text, 0, 1e15));
        o.seed = static_cast<uint64_t>(n);
      } else if (flag == "--fault-interval") {
        ASSIGN_OR_RETURN(o.fault_interval_s, Number(flag, text, 0.5, 3600));
      } else if (flag == "--speed") {
        ASSIGN_OR_RETURN(o.speed, Number(flag, text, 1, 100000));
      } else if (flag == "--size") {
        ASSIGN_OR_RETURN(o.size, Number(flag, text, 0.01, 1000));
      } else if (flag == "--sample-edges") {
        ASSIGN_OR_RETURN(double n, Number(flag, text, 0, 100));
        o.sample_edges = static_cast<int>(n);
      } else if (flag == "--producer-threads") {
        ASSIGN_OR_RETURN(double n, Number(flag, text, 1, 64));
        o.producer_threads = static_cast<int>(n);
      } else {
        ASSIGN_OR_RETURN(double n, Number(flag, text, 10, 86400));
        o.check_deadline_s = static_cast<int>(n);
      }
    } else if (flag == "--partitions") {
      ASSIGN_OR_RETURN(o.partitions, value());
      if (o.partitions != "nft" && o.partitions != "stop") {
        return common::InvalidArgument("--partitions takes nft or stop");
      }
    } else if (flag == "--bin-dir") {
      ASSIGN_OR_RETURN(o.bin_dir, value());
    } else if (flag == "--work-dir") {
      ASSIGN_OR_RETURN(o.work_dir, value());
    } else {
      return common::InvalidArgument("unknown option " + flag + " (see --help)");
    }
  }
  if (o.bin_dir.empty()) return common::InvalidArgument("--bin-dir is required");
  return o;
}

}  // namespace storepulse::soak
