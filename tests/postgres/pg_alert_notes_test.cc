// Two centrals over one PostgreSQL (issue 12): one evaluates the alerts, both answer them, and an
// acknowledgement or a silence made at either one reaches the leader (the other forwards it
// through the database) so that both show it.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/integration/chain.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

std::optional<json> Offline(CentralNode& central) {
  auto answer = GetJson(central.http_port(), "/api/v1/alerts");
  if (!answer) return std::nullopt;
  for (const json& alert : answer->value("alerts", json::array())) {
    if (alert["id"] == "store_offline/PAR1") return alert;
  }
  return std::nullopt;
}

TEST(PgAlertNotesTest, AnAcknowledgementOrSilenceAtEitherCentralIsShownByBoth) {
  // PAR1 never runs: once the centrals have watched for the online window, it is offline.
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--alert-interval-s", "1", "--alert-disk-free-bytes", "0"}, Backend::kPostgres);
  ASSERT_EQ(chain.AddCentral(), 1u);
  ASSERT_TRUE(chain.central(0).Start());
  ASSERT_TRUE(chain.central(1).Start());
  ASSERT_TRUE(WaitUntil([&] { return Offline(chain.central(0)) && Offline(chain.central(1)); }));

  for (size_t k : {0u, 1u}) {  // one of the two follows the leader
    const std::string by = "oncall-" + std::to_string(k);
    auto ack = PostBody(chain.central(k).http_port(), "/api/v1/alerts/ack",
                        json{{"id", "store_offline/PAR1"}, {"by", by}}.dump());
    ASSERT_TRUE(ack);
    ASSERT_EQ(ack->status, 200) << ack->body.dump();
    EXPECT_EQ(ack->body["acknowledged"]["by"], by);
    std::optional<json> a, b;
    ASSERT_TRUE(WaitUntil([&] {
      a = Offline(chain.central(0));
      b = Offline(chain.central(1));
      return a && b && (*a)["acknowledged"].is_object() && (*a)["acknowledged"]["by"] == by &&
             (*b)["acknowledged"].is_object() && (*b)["acknowledged"]["by"] == by;
    })) << (a ? a->dump() : "none") << "\n" << (b ? b->dump() : "none");
  }
  auto silence = PostBody(chain.central(1).http_port(), "/api/v1/alerts/silence",
                          R"({"id":"store_offline/PAR1","by":"x","for_s":3600})");
  ASSERT_TRUE(silence);
  ASSERT_EQ(silence->status, 200) << silence->body.dump();
  ASSERT_TRUE(WaitUntil([&] {
    auto a = Offline(chain.central(0));
    auto b = Offline(chain.central(1));
    return a && b && (*a)["silenced_until"].is_string() && (*b)["silenced_until"].is_string();
  }));
}

}  // namespace
}  // namespace storepulse::test_support
