// Central's database with the history of a whole network — `stores` stores of `days` local days —
// built directly through central's own CentralStore (Begin/Apply/Commit, one stream per store)
// and folded by central's own view pass as it is written: minutes, where replicating it would take
// hours. It is kept in a cache directory between runs, keyed by everything that shapes it (its
// parameters and a tag of the storage code), and rebuilt only when that key changes. Not
// thread-safe: one bench at a time per cache directory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace storepulse::bench {

struct NetworkHistorySpec {
  size_t stores = 100;              // S0001…, in regions R0…R9 (store i in R<i % 10>)
  int days = 33;                    // local days from first_date
  size_t events_per_store_day = 620;
  size_t customers_per_store = 5'000;  // each store's own pool of identified customers
  std::string first_date = "2026-09-30";
  std::string timezone = "Europe/Paris";  // every store's
  std::string code_tag;  // the storage code's version (bench/run: a hash of its sources)
};

struct NetworkHistory {
  std::string data_dir;         // central's --data-dir
  std::string stores_file;      // central's --stores-file
  std::string secret_key_file;  // central's --secret-key-file
  size_t events = 0;
  double build_s = 0;  // when it was built (now or in an earlier run)
  bool cached = false;  // built by an earlier run
  int64_t db_bytes = 0;
};

// The history under `cache_dir`, built first if it is missing or was built from another key.
common::StatusOr<NetworkHistory> OpenNetworkHistory(const std::string& cache_dir,
                                                   const NetworkHistorySpec& spec);

}  // namespace storepulse::bench
