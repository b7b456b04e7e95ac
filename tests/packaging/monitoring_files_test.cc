// The Grafana dashboard and the Prometheus rules of packaging/ (docs/OPERATIONS.md, "Metrics"):
// every query of the dashboard parses as PromQL (promtool), and every storepulse series the
// dashboard and the rules use is one docs/OPERATIONS.md lists — the list that
// MetricsTest checks against what the daemons export. The rules' own checks and unit tests run
// from CTest (prometheus_rules_check, prometheus_rules_test).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::packaging_test {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Source(const std::string& name) {
  return std::string(STOREPULSE_SOURCE_DIR) + "/" + name;
}

// Every `expr` of the dashboard's panels (rows hold none).
std::vector<std::string> DashboardQueries() {
  const auto dashboard =
      nlohmann::json::parse(ReadFile(Source("packaging/grafana/storepulse.json")));
  std::vector<std::string> queries;
  for (const auto& panel : dashboard.at("panels")) {
    for (const auto& target : panel.value("targets", nlohmann::json::array())) {
      queries.push_back(target.at("expr").get<std::string>());
    }
  }
  return queries;
}

// The storepulse_* and process_* names in `text`, histogram suffixes taken off.
std::set<std::string> SeriesNames(const std::string& text) {
  static const std::regex kName(R"(\b(storepulse|process)_[a-z_]+)");
  std::set<std::string> names;
  for (std::sregex_iterator it(text.begin(), text.end(), kName), end; it != end; ++it) {
    std::string name = it->str();
    if (name.ends_with("_")) continue;  // a family named in prose (storepulse_edge_replication_*)
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        name.resize(name.size() - suffix.size());
      }
    }
    names.insert(name);
  }
  return names;
}

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

TEST(MonitoringFilesTest, DashboardQueriesAreValidPromql) {
  const std::vector<std::string> queries = DashboardQueries();
  ASSERT_GE(queries.size(), 10u);
  if (!HavePromtool()) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus; scripts/test installs it)";
  }
  // Each query as a recording rule, the dashboard's variables as "match anything".
  std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
  for (size_t i = 0; i < queries.size(); ++i) {
    std::string query = std::regex_replace(queries[i], std::regex(R"(\$(region|store))"), ".*");
    rules += "      - record: dashboard_query_" + std::to_string(i) +
             "\n        expr: " + nlohmann::json(query).dump() + "\n";
  }
  test_support::TempDir dir;
  const std::string file = dir.Write("dashboard-rules.yml", rules);
  auto result = test_support::RunProcess({"promtool", "check", "rules", file});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->exit_status, 0) << result->out << result->err << rules;
}

TEST(MonitoringFilesTest, DashboardAndRulesUseOnlyDocumentedSeries) {
  const std::string operations = ReadFile(Source("docs/OPERATIONS.md"));
  std::string used = ReadFile(Source("packaging/prometheus/storepulse-rules.yml"));
  for (const std::string& query : DashboardQueries()) used += query + "\n";
  const std::set<std::string> names = SeriesNames(used);
  EXPECT_GE(names.size(), 10u);
  for (const std::string& name : names) {
    EXPECT_NE(operations.find("`" + name + "`"), std::string::npos)
        << name << " is used by packaging/ but not listed in docs/OPERATIONS.md";
  }
}

}  // namespace
}  // namespace storepulse::packaging_test
