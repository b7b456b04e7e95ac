// Helpers for connector tests: fixture files, and a connector run on a body the way the edge runs
// it, with what it kept before given as a map.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "edge/connectors/connector.h"

namespace storepulse::edge::test_util {

// tests/connectors/fixtures/<name>, whole; the test fails when it cannot be read.
inline std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(STOREPULSE_FIXTURES) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "no fixture " << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A request as the edge makes it; `kept` answers request.state and must outlive the request.
inline ConnectorRequest Request(std::string_view body, const common::TimeZone& zone, int64_t now_ms,
                                const std::map<std::string, std::string>* kept,
                                std::map<std::string, std::string> params = {}) {
  ConnectorRequest request;
  request.body = body;
  request.params = std::move(params);
  request.store = "S1";
  request.zone = &zone;
  request.now_ms = now_ms;
  request.state = [kept](const std::string& key) -> std::optional<std::string> {
    if (kept == nullptr) return std::nullopt;
    auto it = kept->find(key);
    return it == kept->end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  return request;
}

}  // namespace storepulse::edge::test_util
