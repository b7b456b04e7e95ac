// The soak's command line (scripts/soak, docs/TESTING.md "The soak"): how many stores, for how
// long, with which faults. Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace storepulse::soak {

struct SoakOptions {
  int stores = 50;                 // simulated stores, one real storepulse-edge each
  double minutes = 3;              // traffic and faults last this long; the final check follows
  bool faults = false;             // inject random faults every `fault_interval_s`
  uint64_t seed = 1;               // the simulator's and the fault picker's seed
  bool json = false;               // the summary as one JSON object on stdout
  double fault_interval_s = 4;     // mean gap between two faults (uniform in 0.5x … 1.5x)
  double speed = 300;              // simulated seconds per real second (traffic density)
  double size = 1.0;               // each store's relative traffic (docs/SIMULATOR.md)
  int producer_threads = 8;        // HTTP producers posting the stores' windows
  // "nft": partitions are nftables drop rules on 127.0.0.1 (only inside a network namespace of
  // the soak's own: scripts/soak makes one with unshare); "stop": a partition is central frozen
  // (SIGSTOP) — the edges' side of a hung link, without root.
  std::string partitions = "stop";
  std::string bin_dir;             // the build directory holding edge/ and central/
  std::string work_dir;            // where data dirs and logs go (kept on failure)
  int sample_edges = 5;            // edges whose RSS and fds are sampled (never killed)
  int check_deadline_s = 300;      // how long the final catch-up may take
};

// Parses argv (without argv[0]); InvalidArgument naming the bad flag.
common::StatusOr<SoakOptions> ParseSoakOptions(const std::vector<std::string>& args);

// The --help text.
std::string SoakUsage();

}  // namespace storepulse::soak
