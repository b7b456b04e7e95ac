// Bad query parameters on every GET route that reads some, at both daemons (issue 8, failure 11):
// bytes that are not UTF-8, values no parser knows, repeated or unknown parameters, values longer
// than any valid one. Each is a 400 whose JSON error names the parameter — never a 500 with an
// empty body, nor a 503 blaming the database.
#include <gtest/gtest.h>

#include "tests/integration/chain.h"
#include "tests/support/http_probe.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

struct BadQuery {
  std::string target;     // path and query, percent-encoded as sent
  std::string parameter;  // the name the error must start with
};

const std::string kLong(300, 'x');
// 30 two-byte characters: any cut at a byte count (say 40) falls inside one.
const std::string kAccents = [] {
  std::string s;
  for (int i = 0; i < 30; ++i) s += "%C3%A9";
  return s;
}();

std::vector<BadQuery> KpiQueries(const std::string& path) {
  return {
      {path + "?from=%FF", "from"},
      {path + "?to=2026-11-22%C3", "to"},
      {path + "?by=%FF%FE", "by"},
      {path + "?compare=%C0%AF", "compare"},
      {path + "?from=" + kAccents, "from"},
      {path + "?by=" + kAccents, "by"},
      {path + "?compare=" + kAccents, "compare"},
      {path + "?from=2026-13-45", "from"},
      {path + "?to=yesterday", "to"},
      {path + "?by=week", "by"},
      {path + "?compare=last_week", "compare"},
      {path + "?from=2026-11-01&from=2026-11-02", "from"},
      {path + "?by=day&by=hour", "by"},
      {path + "?from=" + kLong, "from"},
      {path + "?by=%00", "by"},
      {path + "?form=2026-11-01", "form"},
      {path + "?%FF=1", "\\xff"},
  };
}

// Each query is a 400 with a JSON error that starts with the parameter's name.
void ExpectNamedRefusals(int port, const std::vector<BadQuery>& queries) {
  for (const BadQuery& query : queries) {
    auto reply = HttpGet("127.0.0.1", port, query.target, std::chrono::seconds(5));
    ASSERT_TRUE(reply) << query.target;
    EXPECT_EQ(reply->status, 400) << query.target << " -> " << reply->body;
    auto body = nlohmann::json::parse(reply->body, nullptr, false);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_string()) {
      ADD_FAILURE() << query.target << " -> " << reply->status << " \"" << reply->body << "\"";
      continue;
    }
    const std::string error = body["error"];
    EXPECT_EQ(error.rfind(query.parameter, 0), 0u) << query.target << " -> " << error;
  }
}

TEST(QueryParamTest, EdgeNamesEveryBadParameter) {
  TempDir dir;
  EdgeNode edge({"S1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  std::vector<BadQuery> queries = KpiQueries("/api/v1/kpi");
  queries.insert(
      queries.end(),
      {
          {"/api/v1/stock?sku=%FF", "sku"},
          {"/api/v1/stock?sku=" + kAccents + kAccents + kAccents + kAccents + kAccents, "sku"},
          {"/api/v1/stock?sku=A&sku=B", "sku"},
          {"/api/v1/stock?sku=A%0AB", "sku"},
          {"/api/v1/kpi?scope=network", "scope"},
          {"/api/v1/orders?status=%FF", "status"},
          {"/api/v1/orders?status=open", "status"},
          {"/api/v1/orders?limit=1&limit=2", "limit"},
          {"/api/v1/orders?limit=0", "limit"},
          {"/api/v1/orders?limit=" + kLong, "limit"},
          {"/api/v1/orders?scope=network", "scope"},
          {"/api/v1/targets?period=day", "period"},
          {"/api/v1/drivers?period=year", "period"},
          {"/api/v1/drivers?period=%FF", "period"},
          {"/api/v1/drivers?period=day&period=week", "period"},
          {"/api/v1/drivers?against=yesterday", "against"},
          {"/api/v1/drivers?against=" + kLong, "against"},
          {"/api/v1/drivers?scope=network", "scope"},
      });
  ExpectNamedRefusals(edge.http_port(), queries);
  EXPECT_EQ(HttpGet("127.0.0.1", edge.http_port(), "/api/v1/kpi?by=day")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", edge.http_port(), "/api/v1/stock?sku=A")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", edge.http_port(), "/api/v1/orders?limit=5")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", edge.http_port(), "/api/v1/targets")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", edge.http_port(), "/api/v1/drivers?period=week")->status, 200);
}

TEST(QueryParamTest, CentralNamesEveryBadParameter) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  std::vector<BadQuery> queries = KpiQueries("/api/v1/kpi");
  queries.insert(queries.end(), {
                                    {"/api/v1/kpi?scope=%FF", "scope"},
                                    {"/api/v1/kpi?scope=store:%FF", "scope"},
                                    {"/api/v1/kpi?scope=" + kAccents, "scope"},
                                    {"/api/v1/kpi?scope=store:" + kLong, "scope"},
                                    {"/api/v1/kpi?scope=network&scope=store:PAR1", "scope"},
                                    {"/api/v1/stock?sku=%FF", "sku"},
                                    {"/api/v1/stock?sku=" + kLong, "sku"},
                                    {"/api/v1/stock?sku=A&sku=B", "sku"},
                                    {"/api/v1/stock?sku=A&store=PAR1", "store"},
                                    {"/api/v1/orders?scope=%FF", "scope"},
                                    {"/api/v1/orders?status=late", "status"},
                                    {"/api/v1/orders?limit=-1", "limit"},
                                    {"/api/v1/orders?sku=A", "sku"},
                                    {"/api/v1/drivers?scope=%FF", "scope"},
                                    {"/api/v1/drivers?scope=store:" + kLong, "scope"},
                                    {"/api/v1/drivers?period=quarter", "period"},
                                    {"/api/v1/drivers?against=%C0%AF", "against"},
                                    {"/api/v1/drivers?sku=A", "sku"},
                                });
  const int port = chain.central().http_port();
  ExpectNamedRefusals(port, queries);
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/api/v1/kpi?scope=store:PAR1&by=day")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/api/v1/stock?sku=A")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/api/v1/orders?scope=store:PAR1")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/api/v1/drivers?scope=region:north&against=target")->status,
            200);
}

}  // namespace
}  // namespace storepulse::test_support
