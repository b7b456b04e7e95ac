#include "tests/integration/chain.h"

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/http_probe.h"

namespace storepulse::test_support {

namespace {
const std::string kAllTime = "from=2000-01-01&to=2100-01-01";
}  // namespace

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

std::string BackendName(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

Chain::Chain(std::vector<StoreSpec> stores, std::vector<std::string> central_args,
             Backend backend)
    : stores_(std::move(stores)) {
  if (backend == Backend::kPostgres) {
    auto database = TestDatabase::Create();
    if (database.ok()) {
      database_.emplace(std::move(*database));
      central_args.insert(central_args.end(), {"--database", database_->url()});
    } else {
      database_error_ = database.status().message();
    }
  }
  central_keys_ = MakeKeys(dir_.path(), "central");
  for (size_t i = 0; i < stores_.size(); ++i) {
    edge_keys_.push_back(MakeKeys(dir_.path(), stores_[i].store));
  }
  dir_.Write("stores.csv", StoresFileText());
  if (std::find(central_args.begin(), central_args.end(), "--online-window-s") ==
      central_args.end()) {
    // Above the edges' 5 s heartbeat, so idle stores do not flap to offline.
    central_args.insert(central_args.begin(), {"--online-window-s", "8"});
  }
  central_args_ = central_args;
  central_ = std::make_unique<CentralNode>(CentralNode::Options{
      dir_.File("central"), dir_.File("central.key"), dir_.File("stores.csv"), central_args});
  for (size_t i = 0; i < stores_.size(); ++i) {
    edges_.push_back(nullptr);
    ResetEdge(i);
  }
}

std::string Chain::StoresFileText() const {
  std::string text = "store,public_key,name,region,timezone,area_m2\n";
  for (size_t i = 0; i < stores_.size(); ++i) {
    text += stores_[i].store + "," + edge_keys_[i].public_key + ",Store " + stores_[i].store +
            "," + stores_[i].region + "," + stores_[i].timezone + ",1000\n";
  }
  return text;
}

std::vector<std::string> Chain::ReplicationArgs(size_t i, const std::string& key_file) const {
  return {"--central-endpoint", central_->endpoint(), "--central-public-key", central_pub_file(),
          "--secret-key-file", key_file.empty() ? dir_.File(stores_[i].store + ".key") : key_file};
}

size_t Chain::AddCentral() {
  const size_t k = more_centrals_.size() + 1;
  more_centrals_.push_back(std::make_unique<CentralNode>(
      CentralNode::Options{dir_.File("central-" + std::to_string(k)), dir_.File("central.key"),
                           dir_.File("stores.csv"), central_args_}));
  return k;
}

std::vector<std::string> Chain::ReplicationArgsToAll(size_t i) const {
  std::vector<std::string> args = ReplicationArgs(i);
  for (const auto& central : more_centrals_) args[1] += "," + central->endpoint();
  return args;
}

void Chain::ResetEdge(size_t i, std::vector<std::string> extra_args) {
  if (extra_args.empty()) extra_args = ReplicationArgs(i);
  edges_[i] = std::make_unique<EdgeNode>(EdgeNode::Options{
      stores_[i].store, stores_[i].timezone, dir_.File("edge-" + stores_[i].store), extra_args});
}

bool Chain::StartCentral() {
  if (!database_error_.empty()) {
    ADD_FAILURE() << "no PostgreSQL database for central: " << database_error_;
    return false;
  }
  return central_->Start();
}
bool Chain::StartEdge(size_t i) { return edges_[i]->Start(); }

bool Chain::StartAll() {
  if (!StartCentral()) return false;
  for (size_t i = 0; i < edges_.size(); ++i) {
    if (!StartEdge(i)) return false;
  }
  return true;
}

int64_t Chain::WaitCaughtUp(size_t i, std::chrono::seconds deadline) {
  int64_t last_seq = -1;
  bool ok = WaitUntil(
      [&] {
        auto status = GetJson(edges_[i]->http_port(), "/api/v1/status");
        if (!status) return false;
        last_seq = (*status)["last_seq"];
        return (*status)["replication"].value("acked_seq", int64_t{-1}) == last_seq;
      },
      deadline);
  return ok ? last_seq : -1;
}

bool Chain::WaitViewsFolded(std::chrono::seconds deadline) {
  return WaitUntil(
      [&] {
        for (const auto& edge : edges_) {
          auto status = GetJson(edge->http_port(), "/api/v1/status");
          if (status && (*status)["views"]["pending_events"] != 0) return false;
        }
        auto metrics = HttpGet("127.0.0.1", central_->http_port(), "/metrics");
        return !metrics ||
               metrics->body.find("storepulse_central_views_pending_events 0\n") !=
                   std::string::npos;
      },
      deadline);
}

nlohmann::json Chain::EdgeKpis(size_t i, const std::string& by) {
  auto kpi = GetJson(edges_[i]->http_port(), "/api/v1/kpi?by=" + by + "&" + kAllTime);
  EXPECT_TRUE(kpi.has_value());
  return kpi ? (*kpi)["rows"] : nlohmann::json();
}

nlohmann::json Chain::CentralKpis(const std::string& scope, const std::string& by) {
  return CentralKpisAt(0, scope, by);
}

nlohmann::json Chain::CentralKpisAt(size_t k, const std::string& scope, const std::string& by) {
  auto kpi =
      GetJson(central(k).http_port(), "/api/v1/kpi?scope=" + scope + "&by=" + by + "&" + kAllTime);
  EXPECT_TRUE(kpi.has_value());
  return kpi ? (*kpi)["rows"] : nlohmann::json();
}

}  // namespace storepulse::test_support
