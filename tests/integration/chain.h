// A whole storepulse chain for integration tests: one central and several edges on loopback,
// with real CURVE keys and a stores file, each in its own temp directory. Owned by one test.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <optional>

#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_postgres.h"
#include "tests/support/wire_client.h"

namespace storepulse::test_support {

// Where central keeps its log: central.db, or a fresh database of the suite's PostgreSQL
// (tests/support/test_postgres.h), made by the chain and dropped with it.
enum class Backend { kSqlite, kPostgres };
// "sqlite" or "postgres": the suffix of a test run on each backend (INSTANTIATE_TEST_SUITE_P).
std::string BackendName(const testing::TestParamInfo<Backend>& info);
inline const auto kBothBackends = testing::Values(Backend::kSqlite, Backend::kPostgres);

struct StoreSpec {
  std::string store;
  std::string region;
  std::string timezone;
};

class Chain {
 public:
  // Makes keys for central and every store, and the stores file; starts nothing. `central_args`
  // are added to central's command line (--online-window-s defaults to 8 s there).
  explicit Chain(std::vector<StoreSpec> stores, std::vector<std::string> central_args = {},
                 Backend backend = Backend::kSqlite);

  bool StartCentral();
  bool StartEdge(size_t i);
  bool StartAll();
  CentralNode& central() { return *central_; }
  // Another central with the same keys, stores file and arguments, on a data dir of its own: with
  // Backend::kPostgres, a second central over the chain's database. Its index (the first is 0).
  size_t AddCentral();
  CentralNode& central(size_t k) { return k == 0 ? *central_ : *more_centrals_[k - 1]; }
  // Edge i's replication flags with every central's endpoint, in index order (it fails over).
  std::vector<std::string> ReplicationArgsToAll(size_t i) const;
  EdgeNode& edge(size_t i) { return *edges_[i]; }
  const StoreSpec& spec(size_t i) const { return stores_[i]; }
  TempDir& dir() { return dir_; }
  // The PostgreSQL database of a kPostgres chain; null for SQLite.
  TestDatabase* database() { return database_ ? &*database_ : nullptr; }
  const common::CurveKeyPair& central_keys() const { return central_keys_; }
  const common::CurveKeyPair& edge_keys(size_t i) const { return edge_keys_[i]; }
  std::string central_pub_file() const { return dir_.File("central.pub"); }
  // Replaces edge i by a fresh node (e.g. on an emptied data dir, or with other args).
  void ResetEdge(size_t i, std::vector<std::string> extra_args = {});
  // The replication flags an edge needs, with edge i's own key.
  std::vector<std::string> ReplicationArgs(size_t i, const std::string& key_file = "") const;
  std::string StoresFileText() const;
  // A hand-driven edge speaking to central with store i's key (protocol tests).
  WireClient Wire(size_t i) const {
    return WireClient(central_->endpoint(), central_keys_.public_key, edge_keys_[i]);
  }

  // Edge i's last_seq once central has acknowledged all of it (bounded wait); -1 on timeout.
  int64_t WaitCaughtUp(size_t i, std::chrono::seconds deadline = std::chrono::seconds(60));
  // Waits until every running daemon's view pass has folded all it stored (views.pending_events
  // of each edge, storepulse_central_views_pending_events): KPI answers then come from the views
  // alone (the customer sketches are used only then). False at the deadline.
  bool WaitViewsFolded(std::chrono::seconds deadline = std::chrono::seconds(60));
  // KPI rows of store i over all time at the edge and at central.
  nlohmann::json EdgeKpis(size_t i, const std::string& by = "total");
  nlohmann::json CentralKpis(const std::string& scope, const std::string& by = "total");
  // The same at central k (AddCentral).
  nlohmann::json CentralKpisAt(size_t k, const std::string& scope, const std::string& by = "total");

 private:
  std::vector<StoreSpec> stores_;
  TempDir dir_;
  std::optional<TestDatabase> database_;
  std::string database_error_;  // why the PostgreSQL database could not be made
  common::CurveKeyPair central_keys_;
  std::vector<common::CurveKeyPair> edge_keys_;
  std::vector<std::string> central_args_;
  std::unique_ptr<CentralNode> central_;
  std::vector<std::unique_ptr<CentralNode>> more_centrals_;
  std::vector<std::unique_ptr<EdgeNode>> edges_;
};

// Polls `condition` every 20 ms until it holds or `deadline` passes.
bool WaitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace storepulse::test_support
