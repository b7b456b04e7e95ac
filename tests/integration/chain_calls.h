// Calls the integration tests make of a Chain's first edge and of central: ingest over HTTP, the
// edge's status, central's transaction count for one store, a gauge of /metrics.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {

// Posts `events` to the edge and expects every one accepted.
inline void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
  ASSERT_EQ(reply->body["accepted"], events.size()) << reply->body.dump();
}

// KPI rows less sales_per_m2: the sales area is known from central's stores file only, so an
// edge's rows and central's differ there.
inline nlohmann::json WithoutArea(nlohmann::json rows) {
  for (auto& row : rows) row.erase("sales_per_m2");
  return rows;
}

// GET /api/v1/status of the chain's first edge ({} when it does not answer).
inline nlohmann::json EdgeStatus(Chain& chain) {
  return GetJson(chain.edge(0).http_port(), "/api/v1/status").value_or(nlohmann::json::object());
}

// The transactions central counts for `store` over today.
inline int64_t CentralTransactions(Chain& chain, const std::string& store = "PAR1") {
  nlohmann::json rows = chain.CentralKpis("store:" + store);
  return rows.empty() ? 0 : rows[0].value("transactions", int64_t{0});
}

// The value of an unlabelled gauge of a daemon's /metrics; -1 when it does not answer.
inline int64_t Metric(int port, const std::string& name) {
  auto reply = HttpGet("127.0.0.1", port, "/metrics");
  if (!reply || reply->status != 200) return -1;
  std::istringstream lines(reply->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stoll(line.substr(name.size() + 1));
  }
  return -1;
}

}  // namespace storepulse::test_support
