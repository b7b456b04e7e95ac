// Head office's SQL (docs/SQL.md) on a real PostgreSQL: a chain whose central keeps its log in
// PostgreSQL, varied events through real edges, then the example queries of docs/SQL.md — read
// from the page itself, so that it cannot drift — run as a login role that holds only
// storepulse_reader, must equal the API's answers exactly. And the reader cannot write; an event
// sent again (a replayed batch, a new incarnation) is not counted again; a day total past the
// bigint range fails its batch and stores nothing of it.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>

#include "common/event_codec.h"
#include "common/kpi/kpi_catalogue.h"
#include "common/time_zone.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/mixed_events.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

namespace wire = common::wire;

// The ```sql block of docs/SQL.md whose first line is `-- example: <name>`.
std::string ExampleSql(const std::string& name) {
  std::ifstream in(std::string(STOREPULSE_SOURCE_DIR) + "/docs/SQL.md");
  std::stringstream page;
  page << in.rdbuf();
  const std::string text = page.str();
  const std::string start = "```sql\n-- example: " + name + "\n";
  const size_t at = text.find(start);
  if (at == std::string::npos) return "";
  const size_t end = text.find("```", at + start.size());
  return text.substr(at + start.size(), end - at - start.size());
}

// A psql query with variables (:'day') as a statement with parameters ($1), given their values.
struct BoundQuery {
  std::string sql;
  std::vector<std::string> values;
};
BoundQuery Bind(const std::string& sql, const std::map<std::string, std::string>& variables) {
  BoundQuery bound;
  std::map<std::string, int> numbers;
  const std::regex variable(":'([a-z_]+)'");
  size_t copied = 0;
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), variable);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    if (!numbers.contains(name)) {
      numbers[name] = static_cast<int>(numbers.size()) + 1;
      bound.values.push_back(variables.at(name));
    }
    bound.sql += sql.substr(copied, it->position() - copied) + "$" + std::to_string(numbers[name]);
    copied = it->position() + it->length();
  }
  bound.sql += sql.substr(copied);
  return bound;
}

// A login role of its own holding only storepulse_reader, as an operator makes one for an
// analyst (docs/SQL.md); dropped at the end.
class Analyst {
 public:
  explicit Analyst(TestDatabase& database)
      : database_(database), role_(database.name() + "_analyst") {
    Admin("CREATE ROLE " + role_ + " LOGIN; GRANT storepulse_reader TO " + role_);
    connection_ = std::make_unique<pqxx::connection>(
        "postgresql://" + role_ + "@" + database.server().host_port + "/" + database.name());
  }
  ~Analyst() {
    connection_.reset();
    try {
      Admin("DROP ROLE IF EXISTS " + role_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  // Runs the example `name` of docs/SQL.md with its variables.
  pqxx::result Example(const std::string& name,
                       const std::map<std::string, std::string>& variables) {
    const std::string sql = ExampleSql(name);
    EXPECT_FALSE(sql.empty()) << "no example " << name << " in docs/SQL.md";
    BoundQuery bound = Bind(sql, variables);
    pqxx::read_transaction work(*connection_);
    return work.exec_params(bound.sql, pqxx::prepare::make_dynamic_params(bound.values));
  }
  pqxx::result Run(const std::string& sql) {
    pqxx::work work(*connection_);
    pqxx::result result = work.exec(sql);
    work.commit();
    return result;
  }
  void Admin(const std::string& sql) {
    pqxx::connection admin(database_.url());
    pqxx::nontransaction(admin).exec(sql);
  }

 private:
  TestDatabase& database_;
  std::string role_;
  std::unique_ptr<pqxx::connection> connection_;
};

// Every column of `row` named as a KPI equals the API row's figure: integers exactly, rates to
// the bit, NULL as null. `what` names the row in failures.
void ExpectApiFigures(const pqxx::row& row, const nlohmann::json& api, const std::string& what) {
  int compared = 0;
  for (const pqxx::field& field : row) {
    const std::string name = field.name();
    if (!common::FindKpi(name)) continue;
    ++compared;
    ASSERT_TRUE(api.contains(name)) << what << ": the API has no " << name;
    const nlohmann::json& expected = api[name];
    if (field.is_null()) {
      EXPECT_TRUE(expected.is_null()) << what << " " << name << ": SQL NULL, API " << expected;
    } else if (expected.is_number_integer()) {
      EXPECT_EQ(field.as<int64_t>(), expected.get<int64_t>()) << what << " " << name;
    } else if (expected.is_number_float()) {
      EXPECT_EQ(field.as<double>(), expected.get<double>()) << what << " " << name;
    } else {
      ADD_FAILURE() << what << " " << name << ": SQL " << field.c_str() << ", API " << expected;
    }
  }
  EXPECT_GE(compared, 5) << what;
}

nlohmann::json ApiRows(Chain& chain, const std::string& query) {
  auto answer = GetJson(chain.central().http_port(), "/api/v1/kpi?" + query);
  EXPECT_TRUE(answer && answer->contains("rows")) << query;
  return answer ? (*answer)["rows"] : nlohmann::json::array();
}

std::string Date(int64_t day) { return common::TimeZone::FormatLocalDate(day); }

// "2026-11-01" → "2026-12-01".
std::string NextMonth(const std::string& first) {
  int year = std::stoi(first.substr(0, 4)), month = std::stoi(first.substr(5, 2)) + 1;
  if (month == 13) year += 1, month = 1;
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-01", year, month);
  return out;
}

// A click & collect order ready an hour after its creation (10:00 + 1 h, promised by 10:30: late)
// and a ship-from-store one delivered 2.5 h after it (promised by 13:00: kept), each fulfilment
// sent before its creation.
std::vector<common::Event> LifecycleOrders(int64_t ten_am) {
  auto order = [&](std::string id, std::string order, common::OrderKind kind,
                   common::OrderStatus status, int64_t at, std::optional<int64_t> promised) {
    common::Event e;
    e.id = std::move(id);
    e.type = common::EventType::kOrder;
    e.order = std::move(order);
    e.order_kind = kind;
    e.status = status;
    e.ts_ms = ten_am + at;
    if (promised) e.promised_ms = ten_am + *promised;
    return e;
  };
  constexpr int64_t kMin = 60'000;
  using common::OrderKind;
  using common::OrderStatus;
  return {order("lc-r", "LC1", OrderKind::kClickCollect, OrderStatus::kReady, 60 * kMin, {}),
          order("lc-d", "LC2", OrderKind::kShipFromStore, OrderStatus::kDelivered, 150 * kMin, {}),
          order("lc-c1", "LC1", OrderKind::kClickCollect, OrderStatus::kCreated, 0, 30 * kMin),
          order("lc-c2", "LC2", OrderKind::kShipFromStore, OrderStatus::kCreated, 0, 180 * kMin)};
}

const std::vector<StoreSpec> kStores = {{"PAR1", "north", "Europe/Paris"},
                                        {"PAR2", "north", "Europe/Paris"},
                                        {"NYC1", "west", "America/New_York"},
                                        {"KOL1", "east", "Asia/Kolkata"}};

// Labour intervals of every store (issue 15): 30 a store over the last three days, some across
// local midnight, as staff or as hours, so the staffing KPIs of the examples have hours to divide
// by and days to share them among.
std::vector<common::Event> LabourEvents(const std::string& store, int64_t now) {
  std::vector<common::Event> events;
  for (int i = 0; i < 30; ++i) {
    common::Event e;
    e.id = store + "-labour-" + std::to_string(i);
    e.type = common::EventType::kLabour;
    e.period_s = 1800 + 600 * (i % 20);
    e.ts_ms = now - 3 * 86'400'000LL + i * 8'640'000LL + i * 7;  // every 2.4 h, off the second
    if (i % 2) {
      e.staff = 1 + i % 5;
    } else {
      e.hours_s = e.period_s * (2 + i % 3) - i;
    }
    events.push_back(e);
  }
  return events;
}

TEST(ReportingSqlTest, DocumentedExamplesEqualTheApi) {
  Chain chain(kStores, {}, Backend::kPostgres);
  ASSERT_NE(chain.database(), nullptr);
  ASSERT_TRUE(chain.StartAll());
  const int64_t now = NowMs();
  // Two days ago in UTC: every store's own local day of that date lies inside the events' 4 days.
  const int64_t day = common::TimeZone::Load("UTC")->LocalDayOf(now - 2 * 86'400'000LL);
  for (size_t i = 0; i < kStores.size(); ++i) {
    auto events = MixedEvents(kStores[i].store, 500, 11 + static_cast<uint32_t>(i), now);
    const auto labour = LabourEvents(kStores[i].store, now);
    events.insert(events.end(), labour.begin(), labour.end());
    Ingest(chain.edge(i), events);
    // Whole orders on that day (10:00–12:30 UTC, the same local date in every store's zone), their
    // fulfilment arriving before their creation: the order figures are not left to chance.
    Ingest(chain.edge(i), LifecycleOrders(day * 86'400'000LL + 10 * 3'600'000LL));
    // Sent again: the edge keeps one of each, central counts each once.
    auto reply = PostBody(chain.edge(i).http_port(), "/api/v1/events",
                          common::EncodeJsonLines({events.begin(), events.begin() + 100}));
    ASSERT_TRUE(reply && reply->status == 200);
  }
  for (size_t i = 0; i < kStores.size(); ++i) ASSERT_GT(chain.WaitCaughtUp(i), 0);
  ASSERT_TRUE(chain.WaitViewsFolded());
  Analyst analyst(*chain.database());
  const std::string d = Date(day), next = Date(day + 1);
  pqxx::result network = analyst.Example("network_day", {{"day", d}});
  ASSERT_EQ(network.size(), 1u);
  ASSERT_GT(network[0]["gross_sales"].as<int64_t>(), 0);
  // Orders judged once each, as the API does (docs/KPIS.md): compared below, and present.
  EXPECT_FALSE(network[0]["promise_kept_rate"].is_null());
  EXPECT_FALSE(network[0]["avg_ready_minutes"].is_null());
  ExpectApiFigures(network[0],
                   ApiRows(chain, "scope=network&by=total&from=" + d + "&to=" + next)[0],
                   "network day " + d);

  const std::string month = d.substr(0, 8) + "01";
  pqxx::result region = analyst.Example("region_month", {{"region", "north"}, {"month", month}});
  ASSERT_EQ(region.size(), 1u);
  ASSERT_GT(region[0]["net_sales"].as<int64_t>(), 0);
  EXPECT_FALSE(region[0]["avg_late_minutes"].is_null());
  EXPECT_FALSE(region[0]["avg_delivery_hours"].is_null());
  ASSERT_GT(region[0]["labour_hours"].as<double>(), 0);
  ExpectApiFigures(
      region[0],
      ApiRows(chain, "scope=region:north&by=total&from=" + month + "&to=" + NextMonth(month))[0],
      "region north, month " + month);

  for (auto [from, to] : {std::pair{Date(day - 2), Date(day + 2)},
                          std::pair{std::string("2000-01-01"), std::string("2100-01-01")}}) {
    pqxx::result ranking = analyst.Example("store_ranking", {{"from", from}, {"to", to}});
    nlohmann::json rows = ApiRows(chain, "scope=network&by=store&from=" + from + "&to=" + to);
    ASSERT_EQ(ranking.size(), kStores.size());
    ASSERT_EQ(rows.size(), kStores.size());
    std::map<std::string, nlohmann::json> by_store;
    for (const auto& row : rows) by_store[row["key"]] = row;
    int64_t previous = INT64_MAX;
    for (const pqxx::row& row : ranking) {
      const std::string store = row["store"].as<std::string>();
      ASSERT_TRUE(by_store.contains(store)) << store;
      ExpectApiFigures(row, by_store[store], "store " + store + " " + from + ".." + to);
      EXPECT_LE(row["net_sales"].as<int64_t>(), previous) << "ranked by net sales";
      previous = row["net_sales"].as<int64_t>();
    }
  }

  pqxx::result skus = analyst.Example("day_skus", {{"day", d}});
  nlohmann::json sku_rows = ApiRows(chain, "scope=network&by=sku&from=" + d + "&to=" + next);
  ASSERT_GT(skus.size(), 5u);
  ASSERT_EQ(skus.size(), sku_rows.size());
  std::map<std::string, nlohmann::json> by_sku;
  for (const auto& row : sku_rows) by_sku[row["key"]] = row;
  for (const pqxx::row& row : skus) {
    const std::string sku = row["sku"].as<std::string>();
    ASSERT_TRUE(by_sku.contains(sku)) << sku;
    ExpectApiFigures(row, by_sku[sku], "SKU " + sku + " on " + d);
  }
}

TEST(ReportingSqlTest, ReaderRoleReadsTheViewsAndCannotWrite) {
  Chain chain({kStores[0]}, {}, Backend::kPostgres);
  ASSERT_NE(chain.database(), nullptr);
  ASSERT_TRUE(chain.StartCentral());
  Analyst analyst(*chain.database());
  pqxx::result fleet =
      analyst.Run("SELECT store, region, listed, incarnations FROM reporting.fleet");
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0]["store"].as<std::string>(), "PAR1");
  EXPECT_EQ(fleet[0]["region"].as<std::string>(), "north");
  EXPECT_TRUE(fleet[0]["listed"].as<bool>());
  EXPECT_EQ(fleet[0]["incarnations"].as<int64_t>(), 0);
  for (const std::string sql :
       {"INSERT INTO storepulse.store_day(store, day, channel) VALUES('PAR1', '2026-11-22', "
        "'store')",
        "SELECT count(*) FROM storepulse.events",
        "INSERT INTO reporting.stores VALUES('X', 'x', 'x', 'UTC', NULL, true)",
        "UPDATE reporting.stores SET name = 'mine'", "DELETE FROM reporting.stores",
        "CREATE TABLE reporting.mine(x int)"}) {
    EXPECT_THROW(analyst.Run(sql), pqxx::insufficient_privilege) << sql;
  }
}

// The day figures of PAR1: transactions and gross sales over every row.
std::pair<int64_t, int64_t> DayTotals(Analyst& analyst) {
  pqxx::result sums = analyst.Run(
      "SELECT coalesce(sum(transactions), 0), coalesce(sum(gross_sales), 0) "
      "FROM reporting.store_day WHERE store = 'PAR1'");
  return {sums[0][0].as<int64_t>(), sums[0][1].as<int64_t>()};
}

TEST(ReportingSqlTest, EventsSentAgainAreCountedOnce) {
  Chain chain({kStores[0]}, {}, Backend::kPostgres);
  ASSERT_NE(chain.database(), nullptr);
  ASSERT_TRUE(chain.StartCentral());
  Analyst analyst(*chain.database());
  WireClient client = chain.Wire(0);
  const auto events = Sales("r", 15);
  auto send = [&](const std::string& incarnation, int first, int last) {
    client.Send(wire::Batch{incarnation, first,
                            StoredBodies({events.begin() + first - 1, events.begin() + last})});
    auto reply = client.Receive();
    EXPECT_TRUE(reply && std::holds_alternative<wire::Ack>(*reply));
    return reply && std::holds_alternative<wire::Ack>(*reply)
               ? std::get<wire::Ack>(*reply).acked_seq
               : -1;
  };
  client.Send(wire::Hello{"PAR1", "inc-1", 15, "test"});
  ASSERT_TRUE(client.Receive());
  EXPECT_EQ(send("inc-1", 1, 10), 10);
  EXPECT_EQ(DayTotals(analyst),
            std::make_pair(int64_t{10}, GrossValue({events.begin(), events.begin() + 10})));
  EXPECT_EQ(send("inc-1", 1, 10), 10);  // replayed
  EXPECT_EQ(send("inc-1", 5, 15), 15);  // overlapping
  // A new incarnation of the edge (its database rebuilt) sends every id central has.
  client.Send(wire::Hello{"PAR1", "inc-2", 15, "test"});
  ASSERT_TRUE(client.Receive());
  EXPECT_EQ(send("inc-2", 1, 15), 15);
  EXPECT_EQ(DayTotals(analyst), std::make_pair(int64_t{15}, GrossValue(events)));
  EXPECT_EQ(CentralTransactions(chain), 15);
  pqxx::result fleet = analyst.Run(
      "SELECT incarnations, incarnation, acked_seq, last_applied IS NOT NULL FROM reporting.fleet");
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0][0].as<int64_t>(), 2);
  EXPECT_EQ(fleet[0][1].as<std::string>(), "inc-2");
  EXPECT_EQ(fleet[0][2].as<int64_t>(), 15);
  EXPECT_TRUE(fleet[0][3].as<bool>());
}

// A day figure never stops the log of record: a day row whose total would leave the bigint range
// keeps its value and says so; the events are stored, acknowledged and in the API's figures.
TEST(ReportingSqlTest, ADayTotalPastBigintIsLeftOutAndTheEventsAreStillAcknowledged) {
  Chain chain({kStores[0]}, {}, Backend::kPostgres);
  ASSERT_NE(chain.database(), nullptr);
  ASSERT_TRUE(chain.StartCentral());
  Analyst analyst(*chain.database());
  const auto sale = Sales("big", 1);
  const std::string day = Date(common::TimeZone::Load("Europe/Paris")->LocalDayOf(sale[0].ts_ms));
  analyst.Admin(
      "INSERT INTO storepulse.store_day(store, day, channel, gross_sales) "
      "VALUES('PAR1', '" +
      day + "', 'store', 9223372036854775800)");
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"PAR1", "inc-1", 2, "test"});
  ASSERT_TRUE(client.Receive());
  // Another day's sale in the same batch is added to its own row.
  auto other = Sales("other", 1, sale[0].ts_ms - 2 * 86'400'000LL);
  client.Send(wire::Batch{"inc-1", 1, StoredBodies({sale[0], other[0]})});
  auto reply = client.Receive();
  ASSERT_TRUE(reply && std::holds_alternative<wire::Ack>(*reply));
  EXPECT_EQ(std::get<wire::Ack>(*reply).acked_seq, 2);
  pqxx::connection admin(chain.database()->url());
  pqxx::nontransaction look(admin);
  EXPECT_EQ(look.exec("SELECT count(*) FROM storepulse.events")[0][0].as<int64_t>(), 2);
  EXPECT_EQ(
      look.exec("SELECT gross_sales FROM storepulse.store_day WHERE day = '" + day + "'")[0][0]
          .as<int64_t>(),
      9223372036854775800);
  EXPECT_EQ(
      look.exec("SELECT transactions FROM storepulse.store_day WHERE day <> '" + day + "'")[0][0]
          .as<int64_t>(),
      1);
  EXPECT_NE(chain.central().Log().find("left out"), std::string::npos) << chain.central().Log();
}

TEST(ReportingSqlTest, StoresTableFollowsTheStoresFileOnSighup) {
  Chain chain({kStores[0], kStores[2]}, {}, Backend::kPostgres);
  ASSERT_NE(chain.database(), nullptr);
  ASSERT_TRUE(chain.StartCentral());
  Analyst analyst(*chain.database());
  auto stores = [&] {
    std::string out;
    for (const pqxx::row& row : analyst.Run("SELECT store, region, timezone, area_m2, listed "
                                            "FROM reporting.stores ORDER BY store")) {
      for (const pqxx::field& field : row) {
        out += (field.is_null() ? std::string("NULL") : field.c_str()) + " ";
      }
      out += "| ";
    }
    return out;
  };
  EXPECT_EQ(stores(), "NYC1 west America/New_York 1000 t | PAR1 north Europe/Paris 1000 t | ");
  // PAR1 moves to region south and loses its area; NYC1 leaves the file.
  std::string text = chain.StoresFileText();
  text = text.substr(0, text.find("\nNYC1") + 1);
  text.replace(text.find(",north,"), 7, ",south,");
  text.replace(text.rfind(",1000"), 5, ",");
  std::ofstream(chain.dir().File("stores.csv")) << text;
  chain.central().Signal(SIGHUP);
  const std::string expected =
      "NYC1 west America/New_York 1000 f | PAR1 south Europe/Paris NULL t | ";
  EXPECT_TRUE(WaitUntil([&] { return stores() == expected; })) << stores();
}

// A database of PostgreSQL central's first schema: its events are kept and served by the API,
// and the upgrade says that the views start without them.
TEST(ReportingSqlTest, UpgradeFromVersion2SaysTheViewsStartEmpty) {
  Chain chain({kStores[0]}, {}, Backend::kPostgres);
  ASSERT_NE(chain.database(), nullptr);
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("v1", 7));
  ASSERT_EQ(chain.WaitCaughtUp(0), 7);
  chain.edge(0).Stop();
  ASSERT_EQ(chain.central().Stop(), 0);
  Analyst analyst(*chain.database());
  // What version 2 had: the log, the streams, the meta, fleet and shared_state tables.
  analyst.Admin(
      "DROP SCHEMA reporting CASCADE; DROP TABLE storepulse.store_day, "
      "storepulse.store_sku_day, storepulse.stores, storepulse.days, storepulse.orders; "
      "UPDATE storepulse.meta SET "
      "value = "
      "'2' WHERE key = 'schema_version'");
  ASSERT_TRUE(chain.StartAll());
  EXPECT_NE(chain.central().Log().find("7 events were stored before schema version 3"),
            std::string::npos)
      << chain.central().Log();
  Ingest(chain.edge(0), Sales("v2", 3));
  ASSERT_EQ(chain.WaitCaughtUp(0), 10);
  EXPECT_EQ(DayTotals(analyst).first, 3);
  EXPECT_EQ(CentralTransactions(chain), 10);
}

}  // namespace
}  // namespace storepulse::test_support
