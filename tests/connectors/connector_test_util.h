// Helpers for connector tests: fixture files, and a connector run on a body the way the edge runs
// it, with what it kept before given as a map.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "common/time_util.h"
#include "edge/connectors/connector.h"
#include "edge/connectors/connector_ingest.h"
#include "edge/connectors/connector_state.h"
#include "edge/disk_guard.h"
#include "edge/event_store.h"
#include "edge/group_commit_writer.h"
#include "edge/ingest_service.h"

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

// The edge's ingest path over a directory, as the daemon builds it: the event store, the writer,
// the validator, connectors.db and the connector runner. Store S1; `zone` and `clock` outlive it.
struct IngestPipeline {
  IngestPipeline(const std::string& dir, const common::TimeZone& zone, const common::Clock& clock)
      : store(std::move(EventStore::Open(dir, "S1", zone, Durability::kNormal)).value()),
        disk(dir, 0, 0.0, clock),
        writer(*store, disk, clock),
        ingest(writer, "S1", clock),
        state(std::move(ConnectorState::Open(dir)).value()),
        runner(ingest, *state, clock) {}

  std::unique_ptr<EventStore> store;
  DiskGuard disk;
  GroupCommitWriter writer;
  IngestService ingest;
  std::unique_ptr<ConnectorState> state;
  ConnectorIngest runner;
};

}  // namespace storepulse::edge::test_util
