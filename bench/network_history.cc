#include "bench/network_history.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "bench/bench_report.h"
#include "bench/daemons.h"
#include "bench/history.h"
#include "central/central_kpis.h"
#include "central/central_store.h"
#include "central/stores_file.h"
#include "common/time_util.h"
#include "common/time_zone.h"

namespace storepulse::bench {

namespace fs = std::filesystem;

namespace {

// Bump when the events a spec makes change (bench/run also keys by the generator's sources).
constexpr int kFormat = 1;
constexpr size_t kEventsPerTransaction = 50'000;
const char kIncarnation[] = "bench-history";
const char kMarker[] = "built.json";  // written last: a build cut short has none

std::string KeyOf(const NetworkHistorySpec& s) {
  std::ostringstream key;
  key << "format=" << kFormat << " stores=" << s.stores << " days=" << s.days
      << " per_store_day=" << s.events_per_store_day << " customers=" << s.customers_per_store
      << " first=" << s.first_date << " tz=" << s.timezone << " code=" << s.code_tag;
  return key.str();
}

NetworkHistory PathsIn(const std::string& dir) {
  NetworkHistory h;
  h.data_dir = dir + "/central";
  h.stores_file = dir + "/stores.csv";
  h.secret_key_file = dir + "/central.key";
  return h;
}

// Writes every store's events, a stream each, while the view pass folds them.
common::Status WriteStores(const NetworkHistorySpec& spec, const NetworkHistory& h) {
  ASSIGN_OR_RETURN(auto directory, central::StoreDirectory::Load(h.stores_file));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(spec.timezone));
  ASSIGN_OR_RETURN(const int64_t first_day, common::TimeZone::ParseLocalDate(spec.first_date));
  const int64_t from_ms = zone.LocalDayStartMs(first_day);
  const int64_t to_ms = zone.LocalDayStartMs(first_day + spec.days);
  const size_t per_store = spec.events_per_store_day * static_cast<size_t>(spec.days);
  common::SystemClock clock;
  ASSIGN_OR_RETURN(auto store, central::CentralStore::Open(h.data_dir, /*durable_full=*/false));
  ASSIGN_OR_RETURN(auto views, store->OpenViewPass(central::ResolveFrom(*directory), clock,
                                                   HistoryViewOptions()));
  views->Start();
  Stopwatch watch;
  for (size_t i = 0; i < spec.stores; ++i) {
    HistorySpec history{"", BenchStoreName(i), spec.timezone, per_store, from_ms, to_ms};
    history.customer_pool = spec.customers_per_store;
    for (size_t first = 0; first < per_store; first += kEventsPerTransaction) {
      central::StreamBatch batch{{history.store, kIncarnation}, static_cast<int64_t>(first) + 1,
                                 {}};
      for (size_t n = first; n < std::min(per_store, first + kEventsPerTransaction); ++n) {
        batch.events.push_back(HistoryEvent(history, n));
      }
      views->Throttle();
      ASSIGN_OR_RETURN(central::CentralStore::Group transaction, store->BeginGroup());
      ASSIGN_OR_RETURN(const central::ApplyOutcome outcome, transaction.Apply(batch, WallNowMs()));
      if (outcome.applied != static_cast<int64_t>(batch.events.size())) {
        return common::Internal("history: a batch of " + history.store + " was not applied whole");
      }
      RETURN_IF_ERROR(transaction.Commit());
      views->Committed(store->log_end());
    }
    if ((i + 1) % std::max<size_t>(1, spec.stores / 10) == 0) {
      Note("network history: " + std::to_string(i + 1) + " stores written in " +
           std::to_string(static_cast<int>(watch.Seconds())) + " s, views folded to " +
           std::to_string(views->folded()) + " of " + std::to_string(store->log_end()));
    }
  }
  return FoldEverything(*views, store->log_end());
}

common::Status Build(const std::string& dir, const NetworkHistorySpec& spec, NetworkHistory* h) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  RETURN_IF_ERROR(WriteKeys(dir, "central").status());
  std::vector<std::pair<std::string, std::string>> rows;
  for (size_t i = 0; i < spec.stores; ++i) {
    ASSIGN_OR_RETURN(auto keys, common::GenerateCurveKeyPair());
    rows.emplace_back(BenchStoreName(i), keys.public_key);
  }
  WriteTextFile(h->stores_file, StoresFileText(rows, spec.timezone));
  Stopwatch watch;
  RETURN_IF_ERROR(WriteStores(spec, *h));
  try {  // the WAL into the file: the cached database is one file
    SQLite::Database db(central::CentralDatabasePath(h->data_dir), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const std::exception& e) {
    return common::Unavailable(std::string("history: cannot checkpoint: ") + e.what());
  }
  h->build_s = watch.Seconds();
  h->events = spec.stores * static_cast<size_t>(spec.days) * spec.events_per_store_day;
  nlohmann::json marker = {{"key", KeyOf(spec)}, {"events", h->events}, {"build_s", h->build_s}};
  WriteTextFile(dir + "/" + kMarker, marker.dump() + "\n");
  return common::OkStatus();
}

}  // namespace

common::StatusOr<NetworkHistory> OpenNetworkHistory(const std::string& cache_dir,
                                                   const NetworkHistorySpec& spec) {
  const std::string dir = cache_dir + "/network-" + std::to_string(spec.stores) + "x" +
                          std::to_string(spec.days) + "x" +
                          std::to_string(spec.events_per_store_day);
  NetworkHistory h = PathsIn(dir);
  std::ifstream in(dir + "/" + kMarker);
  auto marker = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!marker.is_discarded() && marker.value("key", "") == KeyOf(spec)) {
    h.cached = true;
    h.events = marker.value("events", size_t{0});
    h.build_s = marker.value("build_s", 0.0);
  } else {
    Note("building the network history in " + dir + " (" + KeyOf(spec) + ")");
    RETURN_IF_ERROR(Build(dir, spec, &h));
  }
  std::error_code ec;
  h.db_bytes = static_cast<int64_t>(fs::file_size(central::CentralDatabasePath(h.data_dir), ec));
  return h;
}

}  // namespace storepulse::bench
