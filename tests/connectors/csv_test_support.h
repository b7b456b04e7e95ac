// What the CSV connectors' tests share: their fixtures (tests/connectors/fixtures) and a request
// as the edge builds it, for store S1 in Europe/Paris (UTC+1 in December).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "common/time_zone.h"
#include "edge/connectors/connector.h"
#include "tests/connectors/connector_test_util.h"

namespace storepulse::edge::csv_test {

inline std::string FixturePath(const std::string& name) {
  return std::string(STOREPULSE_FIXTURES) + "/" + name;
}

inline std::string ReadFixture(const std::string& name) { return test_util::Fixture(name); }

inline const common::TimeZone& Paris() {
  static const common::TimeZone zone = *common::TimeZone::Load("Europe/Paris");
  return zone;
}

inline ConnectorRequest RequestFor(std::string_view body) {
  ConnectorRequest request;
  request.body = body;
  request.store = "S1";
  request.zone = &Paris();
  request.now_ms = 1796378400000;  // 2026-12-04T10:00:00Z
  request.state = [](const std::string&) { return std::optional<std::string>(); };
  return request;
}

// 2026-12-04 at hh:mm in Paris, as UTC ms.
inline int64_t ParisDec4(int hour, int minute) {
  return 1796378400000 + ((hour - 11) * 60 + minute) * 60'000LL;
}

}  // namespace storepulse::edge::csv_test
