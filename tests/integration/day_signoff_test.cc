// The day sign-off with real daemons (docs/OPERATIONS.md, "Day sign-off"): an edge with no grace
// certifies its closed days at once; central certifies a day it holds whole, has a day it lacks
// events of sent again and then certifies it, raises day_differs for a day that still differs
// after that, and re-certifies a day a late event re-opened.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "central/pg_connection.h"
#include "common/event_codec.h"
#include "common/time_zone.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/process.h"

namespace storepulse::test_support {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
}

class DaySignoff : public testing::TestWithParam<Backend> {
 protected:
  DaySignoff()
      : chain_({{"PAR1", "north", "Europe/Paris"}}, {"--alert-interval-s", "1"}, GetParam()) {
    std::vector<std::string> args = chain_.ReplicationArgs(0);
    args.insert(args.end(), {"--day-close-grace-minutes", "0"});
    chain_.ResetEdge(0, args);
    zone_ = *common::TimeZone::Load("Europe/Paris");
    day_ = zone_.LocalDayOf(NowMs()) - 2;  // the day before yesterday: closed
    date_ = common::TimeZone::FormatLocalDate(day_);
  }

  // `count` sales at noon of the day, ids prefix-0…
  std::vector<common::Event> SalesOfTheDay(const std::string& prefix, int count) {
    return Sales(prefix, count, zone_.LocalDayStartMs(day_) + 12 * kHourMs);
  }

  // The day's row of GET /api/v1/days once `done` holds for it (bounded wait); the last seen.
  nlohmann::json WaitDay(const std::function<bool(const nlohmann::json&)>& done) {
    nlohmann::json row;
    WaitUntil(
        [&] {
          auto answer = GetJson(chain_.central().http_port(),
                                "/api/v1/days?store=PAR1&from=" + date_ + "&to=" + date_);
          if (!answer || !(*answer).contains("days") || (*answer)["days"].empty()) return false;
          row = (*answer)["days"][0];
          return done(row);
        },
        std::chrono::seconds(30));
    return row;
  }
  static bool Certified(const nlohmann::json& row) {
    return row.value("status", "") == "certified";
  }

  std::string CentralDb() { return chain_.dir().File("central") + "/central.db"; }

  Chain chain_;
  common::TimeZone zone_ = *common::TimeZone::Load("UTC");
  int64_t day_ = 0;
  std::string date_;
};
INSTANTIATE_TEST_SUITE_P(Backends, DaySignoff, kBothBackends, BackendName);

TEST_P(DaySignoff, AClosedDayIsCertifiedAndShownInTheFleet) {
  ASSERT_TRUE(chain_.StartAll());
  Ingest(chain_.edge(0), SalesOfTheDay("d", 30));
  Ingest(chain_.edge(0), Sales("today", 5));  // today is open: not certified
  ASSERT_EQ(chain_.WaitCaughtUp(0), 35);
  nlohmann::json row = WaitDay(Certified);
  ASSERT_EQ(row.value("status", ""), "certified") << row.dump() << chain_.central().Log();
  EXPECT_EQ(row["events"], 30);
  EXPECT_EQ(row["reopened"], 0);
  // Yesterday had no events: certified as empty. The day before the first day with events: not.
  auto days =
      GetJson(chain_.central().http_port(),
              "/api/v1/days?store=PAR1&from=" + common::TimeZone::FormatLocalDate(day_ - 1) +
                  "&to=" + common::TimeZone::FormatLocalDate(day_ + 1));
  ASSERT_TRUE(days);
  ASSERT_EQ((*days)["days"].size(), 3u) << days->dump();
  EXPECT_EQ((*days)["days"][0]["status"], "not_certified");
  EXPECT_TRUE(WaitDay([&](const nlohmann::json&) {
                auto again = GetJson(
                    chain_.central().http_port(),
                    "/api/v1/days?store=PAR1&from=" + common::TimeZone::FormatLocalDate(day_ + 1) +
                        "&to=" + common::TimeZone::FormatLocalDate(day_ + 1));
                return again && (*again)["days"][0]["status"] == "certified" &&
                       (*again)["days"][0]["events"] == 0;
              }).is_object());
  auto fleet = GetJson(chain_.central().http_port(), "/api/v1/fleet");
  ASSERT_TRUE(fleet);
  EXPECT_EQ((*fleet)["stores"][0]["day_signoff"]["differs"].size(), 0u) << fleet->dump();
  EXPECT_TRUE((*fleet)["stores"][0]["day_signoff"]["last_certified_day"].is_string());
  auto status = GetJson(chain_.edge(0).http_port(), "/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_TRUE((*status)["day_signoff"]["enabled"].get<bool>()) << status->dump();
  // `storepulse days` shows the same.
  auto cli = RunProcess({STOREPULSE_CLI_BIN, "days", "--central",
                         "http://127.0.0.1:" + std::to_string(chain_.central().http_port()),
                         "--store", "PAR1", "--from", date_, "--to", date_});
  ASSERT_TRUE(cli.ok());
  EXPECT_EQ(cli->exit_status, 0) << cli->out << cli->err;
  EXPECT_NE(cli->out.find("PAR1   " + date_ + "  certified"), std::string::npos) << cli->out;
  EXPECT_NE(cli->out.find("1 certified, 0 differ"), std::string::npos) << cli->out;
}

// An event deleted from central's database (or central restored from a backup that lacks them,
// beyond what the stream's tail check sees): it lacks three of the day's events. The edge
// certifies the day again after its restart, central asks for the
// day again, gets the three back, and certifies it.
TEST_P(DaySignoff, ADayCentralLacksEventsOfIsSentAgainThenCertified) {
  ASSERT_TRUE(chain_.StartAll());
  Ingest(chain_.edge(0), SalesOfTheDay("d", 40));
  // Then today's, so that the deleted events are not in the acknowledged tail the edge resends
  // after a welcome (PROTOCOL.md): that check would start a new stream and restore them itself.
  Ingest(chain_.edge(0), Sales("today", 150));
  ASSERT_EQ(chain_.WaitCaughtUp(0), 190);
  const nlohmann::json before = WaitDay(Certified);
  ASSERT_TRUE(Certified(before));
  chain_.edge(0).Stop();
  chain_.central().Stop();
  const std::string deleted = "store = 'PAR1' AND id IN ('d-3', 'd-17', 'd-39')";
  if (GetParam() == Backend::kPostgres) {  // from the log of record, and from the read model below
    auto pg = central::PgConnection::Connect(chain_.database()->url());
    ASSERT_TRUE(pg.ok()) << pg.status().message();
    auto done = (*pg)->Exec("DELETE FROM storepulse.events WHERE " + deleted, "delete events");
    ASSERT_TRUE(done.ok()) << done.status().message();
    EXPECT_EQ(done->affected(), 3);
  }
  {
    SQLite::Database db(CentralDb(), SQLite::OPEN_READWRITE);
    EXPECT_EQ(db.exec("DELETE FROM events WHERE " + deleted), 3);
  }
  ASSERT_TRUE(chain_.StartCentral());
  ASSERT_TRUE(chain_.StartEdge(0));
  // Certified again after the resend: central holds the 40 events once more.
  EXPECT_TRUE(WaitUntil([&] {
    SQLite::Database db(CentralDb(), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT COUNT(*) FROM events WHERE store = 'PAR1' AND id LIKE 'd-%'")
               .getInt64() == 40;
  })) << chain_.central().Log();
  EXPECT_TRUE(WaitUntil([&] {
    return chain_.central().Log().find("3 of its events were missing at central") !=
           std::string::npos;
  })) << chain_.central().Log();
  nlohmann::json row = WaitDay(
      [&](const nlohmann::json& r) { return Certified(r) && r["received"] != before["received"]; });
  EXPECT_TRUE(Certified(row)) << row.dump();
  EXPECT_EQ(row["events"], 40);
}

// Central holds an event of that day its edge never had (a hand-edited database): sending the day
// again cannot remove it, so the day differs, and the alert names what differs.
TEST_P(DaySignoff, ADayThatStillDiffersAfterTheResendRaisesAnAlertNamingTheDifference) {
  ASSERT_TRUE(chain_.StartAll());
  Ingest(chain_.edge(0), SalesOfTheDay("d", 10));
  ASSERT_EQ(chain_.WaitCaughtUp(0), 10);
  ASSERT_TRUE(Certified(WaitDay(Certified)));
  chain_.edge(0).Stop();
  chain_.central().Stop();
  common::Event ghost = SalesOfTheDay("ghost", 1)[0];
  ghost.store = "PAR1";
  std::string body;
  common::AppendStored(ghost, &body);
  if (GetParam() == Backend::kPostgres) {  // into the log of record, and the read model below
    auto pg = central::PgConnection::Connect(chain_.database()->url());
    ASSERT_TRUE(pg.ok()) << pg.status().message();
    auto done = (*pg)->Exec(
        "INSERT INTO storepulse.events(store, incarnation, seq, id, ts, body) "
        "VALUES('PAR1', 'by-hand', 1, $1, $2, $3)",
        central::PgParams().text(ghost.id).integer(ghost.ts_ms).bytes(body), "insert an event");
    ASSERT_TRUE(done.ok()) << done.status().message();
  }
  {
    SQLite::Database db(CentralDb(), SQLite::OPEN_READWRITE);
    SQLite::Statement insert(db,
                             "INSERT INTO events(store, incarnation, seq, id, ts, body) "
                             "VALUES('PAR1', 'by-hand', 1, ?, ?, ?)");
    insert.bind(1, ghost.id);
    insert.bind(2, ghost.ts_ms);
    insert.bind(3, body.data(), static_cast<int>(body.size()));
    insert.exec();
  }
  ASSERT_TRUE(chain_.StartCentral());
  ASSERT_TRUE(chain_.StartEdge(0));
  nlohmann::json row = WaitDay([](const nlohmann::json& r) { return r["status"] == "differs"; });
  ASSERT_EQ(row["status"], "differs") << row.dump() << chain_.central().Log();
  EXPECT_NE(row["detail"].get<std::string>().find("events: edge 10, central 11"), std::string::npos)
      << row.dump();
  EXPECT_NE(row["detail"].get<std::string>().find("gross_sales"), std::string::npos);
  EXPECT_NE(row["detail"].get<std::string>().find("ids hash"), std::string::npos);
  EXPECT_EQ(row["edge"]["events"], 10);
  EXPECT_EQ(row["central"]["events"], 11);
  nlohmann::json alert;
  EXPECT_TRUE(WaitUntil([&] {
    auto alerts = GetJson(chain_.central().http_port(), "/api/v1/alerts");
    if (!alerts) return false;
    for (const auto& a : (*alerts)["alerts"]) {
      if (a.value("kind", "") == "day_differs") alert = a;
    }
    return alert.is_object();
  })) << chain_.central().Log();
  EXPECT_EQ(alert.value("store", ""), "PAR1");
  EXPECT_NE(alert.value("message", "").find(date_), std::string::npos) << alert.dump();
  EXPECT_NE(alert.value("message", "").find("events: edge 10, central 11"), std::string::npos);
}

// A late event for a certified day: the edge re-opens the day and certifies it again.
TEST_P(DaySignoff, ALateEventReopensACertifiedDayWhichIsCertifiedAgain) {
  ASSERT_TRUE(chain_.StartAll());
  Ingest(chain_.edge(0), SalesOfTheDay("d", 20));
  ASSERT_EQ(chain_.WaitCaughtUp(0), 20);
  ASSERT_TRUE(Certified(WaitDay(Certified)));
  Ingest(chain_.edge(0), SalesOfTheDay("late", 1));
  nlohmann::json row =
      WaitDay([](const nlohmann::json& r) { return Certified(r) && r.value("events", 0) == 21; });
  EXPECT_EQ(row["status"], "certified") << row.dump() << chain_.edge(0).Log();
  EXPECT_EQ(row["events"], 21);
  EXPECT_EQ(row["reopened"], 1);
  EXPECT_FALSE(row["last_reopened"].is_null());
}

}  // namespace
}  // namespace storepulse::test_support
