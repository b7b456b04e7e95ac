// The bodies of POST /api/v1/alerts/ack and /silence, and the storepulse_alert gauges
// (central/alert_requests.h), on hand-written inputs.
#include "central/alert_requests.h"

#include <gtest/gtest.h>

namespace storepulse::central {
namespace {

constexpr int64_t kNow = 1'795'000'000'000;  // 2026-11-18T11:06:40Z

TEST(AlertRequestsTest, ReadsAnAcknowledgement) {
  auto ack = ParseAckRequest(R"({"id":"store_offline/S1","by":"alice","comment":"on it"})");
  ASSERT_TRUE(ack.ok()) << ack.status().message();
  EXPECT_EQ(ack->id, "store_offline/S1");
  EXPECT_EQ(ack->by, "alice");
  EXPECT_EQ(ack->comment, "on it");
  for (const char* bad : {"", "{", "[]", R"({"by":"a"})", R"({"id":"x"})", R"({"id":1,"by":"a"})",
                          R"({"id":"x","by":""})", R"({"id":"x","by":"a","comment":3})"}) {
    auto parsed = ParseAckRequest(bad);
    EXPECT_EQ(parsed.status().code(), common::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(AlertRequestsTest, ReadsASilenceForAWhileOrUntilATime) {
  auto hours = ParseSilenceRequest(R"({"id":"x","by":"a","for_s":7200})", kNow);
  ASSERT_TRUE(hours.ok());
  EXPECT_EQ(hours->until_ms, kNow + 7'200'000);
  auto until = ParseSilenceRequest(R"({"id":"x","by":"a","until":"2026-11-19T08:00:00+01:00"})",
                                   kNow);
  ASSERT_TRUE(until.ok()) << until.status().message();
  EXPECT_EQ(until->until_ms, 1'795'071'600'000);  // 2026-11-19T07:00:00Z
  for (const char* bad :
       {R"({"id":"x","by":"a"})", R"({"id":"x","by":"a","for_s":60,"until":"2030-01-01T00:00:00Z"})",
        R"({"id":"x","by":"a","for_s":0})", R"({"id":"x","by":"a","for_s":1.5})",
        R"({"id":"x","by":"a","for_s":"60"})", R"({"id":"x","by":"a","until":"tomorrow"})",
        R"({"id":"x","by":"a","until":"2026-11-18T11:06:40Z"})",
        R"({"id":"x","by":"a","for_s":99999999})"}) {
    EXPECT_EQ(ParseSilenceRequest(bad, kNow).status().code(),
              common::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(AlertRequestsTest, GaugesCountTheRaisedAlertsByKindStoreAndSeverity) {
  const nlohmann::json answer = {
      {"alerts",
       {{{"kind", "store_offline"}, {"store", "S1"}, {"severity", "critical"}},
        {{"kind", "source_silent"}, {"store", "S2"}, {"severity", "warning"}},
        {{"kind", "source_silent"}, {"store", "S2"}, {"severity", "warning"}}}}};
  EXPECT_EQ(AlertGauges(answer),
            "# HELP storepulse_alert Alerts raised now, by kind, store and severity (GET "
            "/api/v1/alerts): 1, or the number of silent sources for source_silent.\n"
            "# TYPE storepulse_alert gauge\n"
            "storepulse_alert{kind=\"source_silent\",store=\"S2\",severity=\"warning\"} 2\n"
            "storepulse_alert{kind=\"store_offline\",store=\"S1\",severity=\"critical\"} 1\n");
}

}  // namespace
}  // namespace storepulse::central
