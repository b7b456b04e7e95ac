// The webhook body of an alert change (central/alertmanager_payload.h) and the retry schedule of
// its delivery (central/alert_delivery.h), against expectations written by hand: Alertmanager's
// webhook format, version 4, and Prometheus's label fingerprint (FNV-1a 64).
#include <gtest/gtest.h>

#include "central/alert_delivery.h"
#include "central/alertmanager_payload.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

constexpr int64_t kSince = 1'795'000'000'000;  // 2026-11-18T11:06:40Z

AlertChange Offline(bool firing) {
  Finding f;
  f.id = "store_offline/S042";
  f.kind = "store_offline";
  f.store = "S042";
  f.region = "north";
  f.severity = "critical";
  f.value = 1000;
  f.threshold = 900;
  f.unit = "seconds";
  f.message = "Store S042 has not been heard from for 16m 40s (critical above 15m): its edge is "
              "down.";
  return AlertChange{firing, f, kSince, kSince + 60'000};
}

TEST(AlertmanagerPayloadTest, FingerprintIsPrometheusFnv1aOfTheSortedLabels) {
  EXPECT_EQ(AlertFingerprint({}), "cbf29ce484222325");  // FNV-1a 64's offset basis
  EXPECT_EQ(AlertFingerprint({{"a", "b"}}), "d2b371819297f98a");
  EXPECT_EQ(AlertFingerprint({{"alertname", "store_offline"},
                              {"store", "S042"},
                              {"region", "north"},
                              {"severity", "critical"}}),
            "ffb99d6b10f98324");
}

TEST(AlertmanagerPayloadTest, AFiringAlertIsAlertmanagersWebhookVersion4) {
  const json labels = {{"alertname", "store_offline"},
                       {"region", "north"},
                       {"severity", "critical"},
                       {"store", "S042"}};
  const json annotations = {
      {"summary", "Store S042 has not been heard from for 16m 40s (critical above 15m)"},
      {"description", Offline(true).finding.message},
      {"id", "store_offline/S042"},
      {"value", "1000"},
      {"threshold", "900"},
      {"unit", "seconds"}};
  const json expected = {
      {"version", "4"},
      {"groupKey", "{}:{alertname=\"store_offline\", store=\"S042\"}"},
      {"truncatedAlerts", 0},
      {"status", "firing"},
      {"receiver", "storepulse"},
      {"groupLabels", {{"alertname", "store_offline"}, {"store", "S042"}}},
      {"commonLabels", labels},
      {"commonAnnotations", annotations},
      {"externalURL", "http://central.example:8600/"},
      {"alerts",
       {{{"status", "firing"},
         {"labels", labels},
         {"annotations", annotations},
         {"startsAt", "2026-11-18T11:06:40.000Z"},
         {"endsAt", "0001-01-01T00:00:00Z"},
         {"generatorURL", "http://central.example:8600/#store-S042"},
         {"fingerprint", "ffb99d6b10f98324"}}}}};
  EXPECT_EQ(AlertmanagerPayload(Offline(true), "http://central.example:8600/"), expected);
}

TEST(AlertmanagerPayloadTest, AResolvedAlertEndsWhenCentralSawItClear) {
  const json body = AlertmanagerPayload(Offline(false), "http://c/");
  EXPECT_EQ(body["status"], "resolved");
  EXPECT_EQ(body["alerts"][0]["status"], "resolved");
  EXPECT_EQ(body["alerts"][0]["startsAt"], "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(body["alerts"][0]["endsAt"], "2026-11-18T11:07:40.000Z");
  EXPECT_EQ(body["alerts"][0]["fingerprint"], "ffb99d6b10f98324");  // the same alert
}

TEST(AlertmanagerPayloadTest, ASilentSourceIsAnAlertOfItsOwnPerSource) {
  AlertChange change = Offline(true);
  change.finding.kind = "source_silent";
  change.finding.source_kind = "counter";
  change.finding.source_id = "2";
  const json body = AlertmanagerPayload(change, "http://c/");
  EXPECT_EQ(body["alerts"][0]["labels"]["source"], "counter:2");
  EXPECT_EQ(body["alerts"][0]["fingerprint"],
            AlertFingerprint({{"alertname", "source_silent"},
                              {"store", "S042"},
                              {"region", "north"},
                              {"severity", "critical"},
                              {"source", "counter:2"}}));
}

TEST(AlertRetryTest, RetriesDoubleFromOneSecondUpToTheCap) {
  std::vector<int64_t> delays;
  for (int64_t failures = 1; failures <= 12; ++failures) {
    delays.push_back(RetryDelayMs(failures, 1000, 300'000));
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000,
                                          256000, 300000, 300000, 300000}));
  EXPECT_EQ(RetryDelayMs(1'000'000, 1000, 300'000), 300'000);  // no overflow after many
  EXPECT_EQ(RetryDelayMs(3, 1000, 1000), 1000);
}

TEST(AlertRetryTest, TakesHttpAndHttpsWebhooksOnly) {
  EXPECT_TRUE(CheckWebhookUrl("http://127.0.0.1:9093/api/v2/webhook").ok());
  EXPECT_TRUE(CheckWebhookUrl("https://hooks.example.com/storepulse").ok());
  EXPECT_TRUE(CheckWebhookUrl("http://relay:8080").ok());
  EXPECT_FALSE(CheckWebhookUrl("ftp://relay/").ok());
  EXPECT_FALSE(CheckWebhookUrl("relay:8080/hook").ok());
  EXPECT_FALSE(CheckWebhookUrl("http:///hook").ok());
}

}  // namespace
}  // namespace storepulse::central
