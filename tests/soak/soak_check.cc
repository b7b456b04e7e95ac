#include "tests/soak/soak_check.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "common/kpi/kpi_values.h"

namespace storepulse::soak {

std::optional<ResourceSample> SampleProcess(pid_t pid, double t_s) {
  if (pid <= 0) return std::nullopt;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream status(proc + "/status");
  ResourceSample sample{t_s, pid, -1, 0};
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) sample.rss_kib = std::stoll(line.substr(6));
  }
  if (sample.rss_kib < 0) return std::nullopt;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(proc + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++sample.fds;
  }
  if (ec) return std::nullopt;
  return sample;
}

Flatness JudgeFlat(const std::vector<ResourceSample>& samples, double run_s,
                   const std::optional<ResourceSample>& quiet_start,
                   const std::optional<ResourceSample>& quiet_end) {
  Flatness f;
  const double warm = 0.2 * run_s;
  const double third = (run_s - warm) / 3;
  for (const ResourceSample& s : samples) {
    if (s.t_s < warm) continue;
    ++f.samples;
    if (s.t_s < warm + third) {
      f.rss_first_kib = std::max(f.rss_first_kib, s.rss_kib);
    } else if (s.t_s >= warm + 2 * third) {
      f.rss_last_kib = std::max(f.rss_last_kib, s.rss_kib);
    }
  }
  if (f.rss_first_kib > 0 && f.rss_last_kib > 0) {
    f.flat = f.rss_last_kib <= f.rss_first_kib * 5 / 4 + 16 * 1024;
  }
  if (quiet_start && quiet_end) {
    f.fds_first = quiet_start->fds;
    f.fds_last = quiet_end->fds;
    f.flat = f.flat && f.fds_last <= f.fds_first + 8;
  } else {
    f.flat = false;  // a daemon that could not be sampled at a quiet point is not judged flat
  }
  return f;
}

CheckResult CompareTotals(const std::vector<std::string>& stores,
                          const std::vector<StoreLedger>& ledgers,
                          const std::vector<StoreFigures>& edges,
                          const std::vector<StoreFigures>& central) {
  CheckResult result;
  for (size_t i = 0; i < stores.size(); ++i) {
    const StoreLedger& ledger = ledgers[i];
    auto compare = [&](const std::string& what, const std::string& where, int64_t expected,
                       int64_t actual) {
      if (expected != actual) result.mismatches.push_back({stores[i], what, where, expected, actual});
    };
    compare("events", "edge", ledger.events, edges[i].events);
    compare("events", "central", ledger.events, central[i].events);
    if (central[i].events >= 0) {
      if (central[i].events < ledger.events) result.lost += ledger.events - central[i].events;
      if (central[i].events > ledger.events) result.doubled += central[i].events - ledger.events;
    }
    // Every KPI the base measures alone give as an exact integer: the ledger's value is what
    // the KPI library makes of the acknowledged events.
    const common::KpiRow expected = common::MeasureKpis("total", ledger.measures);
    int compared = 0;
    for (common::Kpi kpi : common::AllKpis()) {
      const common::KpiValue& value = expected[kpi];
      if (!value.is_integer()) continue;
      ++compared;
      const std::string name(common::KpiName(kpi));
      for (const auto& [where, figures] :
           {std::pair<std::string, const StoreFigures*>{"edge", &edges[i]},
            {"central", &central[i]}}) {
        const nlohmann::json& row = figures->kpis;
        const int64_t actual = row.is_object() && row.contains(name) && row[name].is_number_integer()
                                   ? row[name].get<int64_t>()
                                   : INT64_MIN;
        compare(name, where, value.integer(), actual);
      }
    }
    result.kpis_compared = compared;
  }
  return result;
}

int64_t CountEdgeEvents(const std::string& edge_db) {
  try {
    SQLite::Database db(edge_db, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT COUNT(*) FROM events").getInt64();
  } catch (const SQLite::Exception&) {
    return -1;
  }
}

std::vector<int64_t> CountCentralEvents(const std::string& central_db,
                                        const std::vector<std::string>& stores) {
  std::vector<int64_t> counts(stores.size(), -1);
  try {
    SQLite::Database db(central_db, SQLite::OPEN_READONLY);
    std::map<std::string, int64_t> by_store;
    SQLite::Statement q(db, "SELECT store, COUNT(*) FROM events GROUP BY store");
    while (q.executeStep()) by_store[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
    for (size_t i = 0; i < stores.size(); ++i) {
      auto it = by_store.find(stores[i]);
      counts[i] = it == by_store.end() ? 0 : it->second;
    }
  } catch (const SQLite::Exception&) {
  }
  return counts;
}

}  // namespace storepulse::soak
