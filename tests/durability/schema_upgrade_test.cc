// A database left by an older storepulse is upgraded in place when a daemon starts on it, and
// answers as it did: tests/fixtures/v1 holds an edge.db and a central.db written by storepulse
// 0.1.0 (schema version 1) with the KPI answers 0.1.0 gave for them. A database written by a
// newer storepulse is refused, untouched, with a message that says what to do (issue 9).
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/kpi/kpi_json.h"
#include "central/central_kpis.h"
#include "central/central_store.h"
#include "central/stores_file.h"
#include "edge/edge_kpis.h"
#include "edge/event_store.h"
#include "tests/support/free_port.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

constexpr int kEdgeVersion = 7;  // 3: shared credit, defect returns; 4: labour; 5: orders; 6:
                                 // links; 7: reference documents
constexpr int kCentralVersion = 7;  // 3: the region and network day measures; 4–7: as edge 3–6

const std::string kFixtures = STOREPULSE_FIXTURES_DIR "/v1";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

nlohmann::json Golden() { return nlohmann::json::parse(ReadBytes(kFixtures + "/kpis.json")); }

// Copies a fixture into `dir` (tests never open the fixtures in place).
void CopyFixture(const std::string& name, const TempDir& dir) {
  std::filesystem::copy_file(kFixtures + "/" + name, dir.File(name));
}

std::string Meta(const std::string& db_path, const std::string& key) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
  q.bind(1, key);
  return q.executeStep() ? q.getColumn(0).getString() : "(none)";
}

int64_t Scalar(const std::string& db_path, const std::string& sql) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

// The order table an upgrade seeds (common/store/order_table.h): the orders of the held order
// events, from their events other than `ready` and `delivered` (the ones 0.1.0 judged), so none is
// settled and the measures, which 0.1.0 folded per event, stay as they were.
void ExpectOrdersSeededUnsettled(const std::string& path) {
  EXPECT_GT(Scalar(path, "SELECT COUNT(*) FROM orders"), 0);
  EXPECT_EQ(Scalar(path,
                   "SELECT COUNT(*) FROM orders WHERE ready_ts IS NOT NULL OR "
                   "delivered_ts IS NOT NULL"),
            0);
}

int64_t WalBytes(const std::string& db_path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(db_path + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

// Every figure of every row 0.1.0 gave, exactly; except the fields a row lists in "approximate"
// (customer figures from a sketch): those within 3 % of what 0.1.0 counted exactly. Fields added
// since 0.1.0 have nothing to be compared with and are not.
void ExpectSameFigure(const nlohmann::json& row, const std::string& name,
                      const nlohmann::json& golden, const std::string& where) {
  if (!row.contains(name)) {
    ADD_FAILURE() << where << ": " << name << " is missing";
    return;
  }
  const nlohmann::json& approximate = row.value("approximate", nlohmann::json::array());
  const bool approximated =
      std::find(approximate.begin(), approximate.end(), name) != approximate.end();
  if (approximated && golden.is_number() && row[name].is_number()) {
    const double expected = golden.get<double>();
    EXPECT_LE(std::abs(row[name].get<double>() - expected), 0.03 * std::abs(expected))
        << where << ": " << name << " = " << row[name] << ", 0.1.0 counted " << golden;
  } else {
    EXPECT_EQ(row[name], golden) << where << ": " << name;
  }
}

void ExpectSameAnswer(const nlohmann::json& got, const nlohmann::json& want,
                      const std::string& what) {
  for (const char* field : {"from", "to", "scope", "by"}) {
    EXPECT_EQ(got.value(field, nlohmann::json()), want.value(field, nlohmann::json()))
        << what << ": " << field;
  }
  ASSERT_EQ(got["rows"].size(), want["rows"].size()) << what;
  for (size_t i = 0; i < want["rows"].size(); ++i) {
    const nlohmann::json& golden = want["rows"][i];
    const std::string where = what + ", row " + golden.value("key", "?");
    for (const auto& [name, figure] : golden.items()) {
      ExpectSameFigure(got["rows"][i], name, figure, where);
    }
  }
}

common::KpiRequest Request(const nlohmann::json& golden, const std::string& by) {
  return common::KpiRequest{golden["from"], golden["to"], *common::ParseGroupBy(by), "store"};
}

void ExpectEdgeAnswersAsIn010(const std::string& data_dir) {
  nlohmann::json golden = Golden();
  auto db = edge::OpenReadOnly(data_dir);
  ASSERT_TRUE(db.ok()) << db.status().message();
  for (const auto& [by, want] : golden["edge"].items()) {
    auto got = edge::QueryEdgeKpis(**db, Request(golden, by), golden["now_ms"]);
    ASSERT_TRUE(got.ok()) << got.status().message();
    ExpectSameAnswer(common::KpiAnswerJson(*got), want, "edge by=" + by);
  }
}

void ExpectCentralAnswersAsIn010(const std::string& data_dir) {
  nlohmann::json golden = Golden();
  auto directory = central::StoreDirectory::Load(kFixtures + "/stores.csv");
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  SQLite::Database db(central::CentralDatabasePath(data_dir), SQLite::OPEN_READONLY);
  for (const auto& [by, want] : golden["central"].items()) {
    auto got = central::QueryCentralKpis(db, **directory, golden["central_scope"],
                                         Request(golden, by), golden["now_ms"]);
    ASSERT_TRUE(got.ok()) << got.status().message();
    ExpectSameAnswer(common::KpiAnswerJson(*got), want, "central by=" + by);
  }
}

common::TimeZone Paris() { return *common::TimeZone::Load("Europe/Paris"); }

// Issue 15's step refolds the channels of the identified sales 0.1.0 stored: every (store,
// bucket, customer) with a sale has its channel row, and nothing else.
void ExpectCustomerChannelsRefolded(const std::string& path) {
  EXPECT_GT(Scalar(path, "SELECT COUNT(*) FROM customer_channel"), 0);
  EXPECT_EQ(Scalar(path,
                   "SELECT COUNT(*) FROM (SELECT DISTINCT store, bucket, customer FROM "
                   "customer_channel)"),
            Scalar(path, "SELECT COUNT(*) FROM customer_seen"));
  EXPECT_EQ(Scalar(path,
                   "SELECT COUNT(*) FROM customer_seen s WHERE NOT EXISTS (SELECT 1 FROM "
                   "customer_channel c WHERE c.store = s.store AND c.bucket = s.bucket AND "
                   "c.customer = s.customer)"),
            0);
  EXPECT_EQ(Scalar(path, "SELECT COUNT(*) FROM customer_link"), 0);
}

TEST(SchemaUpgradeTest, AnEdgeDatabaseOf010IsUpgradedInPlaceAndAnswersAsBefore) {
  TempDir dir;
  CopyFixture("edge.db", dir);
  const std::string path = edge::EdgeDatabasePath(dir.path());
  ASSERT_EQ(Meta(path, "schema_version"), "1");
  const int64_t max_seq = Scalar(path, "SELECT MAX(seq) FROM events");
  ASSERT_EQ(max_seq, 451);
  {
    auto store = edge::EventStore::Open(dir.path(), "S1", Paris(), edge::Durability::kFull);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ((*store)->info().last_seq, max_seq);
  }
  EXPECT_EQ(Meta(path, "schema_version"), std::to_string(kEdgeVersion));
  // Every event of 0.1.0 is in its derived tables already: the view pass starts after them.
  EXPECT_EQ(Meta(path, "views_folded_seq"), std::to_string(max_seq));
  // Schema 3: employee counts in millionths (the golden by=employee answers check they read as
  // the same whole numbers), and the defective units column, 0 for what 0.1.0 folded.
  EXPECT_EQ(Scalar(path, "SELECT SUM(transactions) FROM dims_day WHERE dim = 1"),
            1'000'000 * Scalar(path, "SELECT SUM(transactions) FROM measures_day"));
  EXPECT_EQ(Scalar(path, "SELECT SUM(defective_units) FROM measures_15m"), 0);
  // The labour column is there, 0 in every row: no labour event existed before.
  EXPECT_EQ(Scalar(path, "SELECT COUNT(*) FROM measures_day WHERE labour_staff_s != 0"), 0);
  EXPECT_GT(Scalar(path, "SELECT COUNT(*) FROM measures_day"), 0);
  ExpectOrdersSeededUnsettled(path);
  ExpectCustomerChannelsRefolded(path);
  ExpectEdgeAnswersAsIn010(dir.path());
}

TEST(SchemaUpgradeTest, ACentralDatabaseOf010IsUpgradedInPlaceAndAnswersAsBefore) {
  TempDir dir;
  CopyFixture("central.db", dir);
  const std::string path = central::CentralDatabasePath(dir.path());
  ASSERT_EQ(Meta(path, "schema_version"), "1");
  const int64_t max_rowid = Scalar(path, "SELECT MAX(rowid) FROM events");
  ASSERT_EQ(max_rowid, 824);
  {
    auto store = central::CentralStore::Open(dir.path(), true);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ((*store)->Streams().size(), 2u);
  }
  EXPECT_EQ(Meta(path, "schema_version"), std::to_string(kCentralVersion));
  EXPECT_EQ(Meta(path, "views_folded_rowid"), std::to_string(max_rowid));
  EXPECT_EQ(Scalar(path, "SELECT SUM(transactions) FROM dims_15m WHERE dim = 1"),
            1'000'000 * Scalar(path, "SELECT SUM(transactions) FROM measures_15m"));
  EXPECT_EQ(Scalar(path, "SELECT COUNT(*) FROM dims_15m WHERE labour_staff_s != 0"), 0);
  ExpectOrdersSeededUnsettled(path);
  ExpectCustomerChannelsRefolded(path);
  ExpectCentralAnswersAsIn010(dir.path());  // from the exact sets: the views are not filled yet
  {  // What central's start does with the stores file: the customer views, then the same answers.
    auto directory = central::StoreDirectory::Load(kFixtures + "/stores.csv");
    ASSERT_TRUE(directory.ok());
    std::vector<common::CustomerStore> stores;
    for (const auto& entry : (*directory)->stores()) {
      stores.push_back({entry.store, entry.region, &entry.zone});
    }
    auto store = central::CentralStore::Open(dir.path(), true);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->FillViews(stores).ok());
  }
  EXPECT_EQ(Scalar(path, "SELECT COUNT(*) FROM customer_sketch") > 0, true);
  // Schema 3's region and network day rows: the stores' own, summed (read by network queries).
  EXPECT_EQ(Scalar(path, "SELECT SUM(gross_sales) FROM scope_measures_day WHERE scope = 'network'"),
            Scalar(path, "SELECT SUM(gross_sales) FROM measures_day"));
  EXPECT_EQ(Scalar(path, "SELECT COUNT(*) FROM meta WHERE key = 'scope_measures_fill'"), 0);
  ExpectCentralAnswersAsIn010(dir.path());
}

// Once upgraded, opening writes nothing: the log stays empty while the store is open.
TEST(SchemaUpgradeTest, ASecondOpenOfAnUpgradedDatabaseWritesNothing) {
  TempDir dir;
  CopyFixture("edge.db", dir);
  CopyFixture("central.db", dir);
  const std::string edge_path = edge::EdgeDatabasePath(dir.path());
  const std::string central_path = central::CentralDatabasePath(dir.path());
  {
    auto edge = edge::EventStore::Open(dir.path(), "S1", Paris(), edge::Durability::kFull);
    ASSERT_TRUE(edge.ok()) << edge.status().message();
    auto central = central::CentralStore::Open(dir.path(), true);
    ASSERT_TRUE(central.ok()) << central.status().message();
    EXPECT_GT(WalBytes(edge_path), 0) << "the upgrade wrote nothing";
    EXPECT_GT(WalBytes(central_path), 0) << "the upgrade wrote nothing";
  }
  {
    auto edge = edge::EventStore::Open(dir.path(), "S1", Paris(), edge::Durability::kFull);
    ASSERT_TRUE(edge.ok()) << edge.status().message();
    auto central = central::CentralStore::Open(dir.path(), true);
    ASSERT_TRUE(central.ok()) << central.status().message();
    EXPECT_EQ(WalBytes(edge_path), 0);
    EXPECT_EQ(WalBytes(central_path), 0);
  }
  EXPECT_EQ(Meta(edge_path, "schema_version"), std::to_string(kEdgeVersion));
  EXPECT_EQ(Meta(edge_path, "views_folded_seq"), "451");
  EXPECT_EQ(Meta(central_path, "views_folded_rowid"), "824");
  ExpectEdgeAnswersAsIn010(dir.path());
  ExpectCentralAnswersAsIn010(dir.path());
}

TEST(SchemaUpgradeTest, AFreshDatabaseGetsTheCurrentVersion) {
  TempDir dir;
  {
    auto edge = edge::EventStore::Open(dir.path(), "S1", Paris(), edge::Durability::kFull);
    ASSERT_TRUE(edge.ok()) << edge.status().message();
    auto central = central::CentralStore::Open(dir.path(), true);
    ASSERT_TRUE(central.ok()) << central.status().message();
  }
  EXPECT_EQ(Meta(edge::EdgeDatabasePath(dir.path()), "schema_version"),
            std::to_string(kEdgeVersion));
  EXPECT_EQ(Meta(central::CentralDatabasePath(dir.path()), "schema_version"),
            std::to_string(kCentralVersion));
}

// The fixture as a newer storepulse might leave it: schema version 99, checkpointed.
std::string MakeNewer(const std::string& name, const TempDir& dir) {
  CopyFixture(name, dir);
  {
    SQLite::Database db(dir.File(name), SQLite::OPEN_READWRITE);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  return dir.File(name);
}

// What an operator reads: the file, its version, the newest this build reads, what to do.
void ExpectRefusal(const std::string& message, const std::string& path, int newest) {
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("schema version 99"), std::string::npos) << message;
  EXPECT_NE(message.find("up to " + std::to_string(newest)), std::string::npos) << message;
  EXPECT_NE(message.find("upgrade storepulse or restore the file you had"), std::string::npos)
      << message;
}

// The daemon exits at once with the refusal in its log, and leaves the file as it was.
void ExpectDaemonRefuses(const std::vector<std::string>& argv, const std::string& path,
                         int newest) {
  const std::string before = ReadBytes(path);
  auto run = RunProcess(argv, std::chrono::seconds(20));
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_FALSE(run->timed_out) << "the daemon started on a newer database; its log:\n" << run->err;
  EXPECT_EQ(run->exit_status, 1) << run->err;
  ExpectRefusal(run->err, path, newest);
  EXPECT_EQ(ReadBytes(path), before) << "the refused file was changed";
  EXPECT_EQ(WalBytes(path), 0);
}

TEST(SchemaUpgradeTest, TheEdgeDaemonRefusesADatabaseOfANewerVersion) {
  TempDir dir;
  const std::string path = MakeNewer("edge.db", dir);
  {
    auto refused = edge::EventStore::Open(dir.path(), "S1", Paris(), edge::Durability::kFull);
    EXPECT_EQ(refused.status().code(), common::StatusCode::kFailedPrecondition);
    ExpectRefusal(refused.status().message(), path, kEdgeVersion);
  }
  auto ports = FreeTcpPorts(2);
  ExpectDaemonRefuses(
      {STOREPULSE_EDGE_BIN, "--store", "S1", "--timezone", "Europe/Paris", "--data-dir", dir.path(),
       "--http-listen", "127.0.0.1:" + std::to_string(ports[0]), "--ingest-endpoint",
       "tcp://127.0.0.1:" + std::to_string(ports[1]), "--min-free-bytes", "0"},
      path, kEdgeVersion);
}

TEST(SchemaUpgradeTest, TheCentralDaemonRefusesADatabaseOfANewerVersion) {
  TempDir dir;
  const std::string path = MakeNewer("central.db", dir);
  {
    auto refused = central::CentralStore::Open(dir.path(), true);
    EXPECT_EQ(refused.status().code(), common::StatusCode::kFailedPrecondition);
    ExpectRefusal(refused.status().message(), path, kCentralVersion);
  }
  MakeKeys(dir.path(), "central");
  auto ports = FreeTcpPorts(2);
  ExpectDaemonRefuses({STOREPULSE_CENTRAL_BIN, "--data-dir", dir.path(), "--listen",
                       "tcp://127.0.0.1:" + std::to_string(ports[0]), "--http-listen",
                       "127.0.0.1:" + std::to_string(ports[1]), "--secret-key-file",
                       dir.File("central.key"), "--stores-file", kFixtures + "/stores.csv"},
                      path, kCentralVersion);
}

}  // namespace
}  // namespace storepulse::test_support
