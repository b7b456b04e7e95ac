// The one ingest path behind HTTP, ZeroMQ, the connectors and the CLI: validates each decoded
// event, tells the source registry which tills and counters sent (on arrival: a device whose
// events cannot be stored is still alive), hands the good ones to the group-commit writer and
// reports per event — accepted, duplicate or rejected with its reason — once the good ones are
// durable. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/event_codec.h"
#include "common/event_validator.h"
#include "common/status.h"
#include "common/time_util.h"
#include "edge/group_commit_writer.h"
#include "edge/source_registry.h"

namespace storepulse::edge {

struct Rejection {
  size_t index = 0;  // position in the batch, from 0
  std::string id;
  std::string error;
};

struct IngestResult {
  int64_t accepted = 0;
  int64_t duplicates = 0;
  std::vector<Rejection> rejected;
  common::Status status;  // non-OK when the good events could not be stored (disk full, I/O)

  // {"accepted":N,"duplicates":N,"rejected":[{"index":i,"id":"…","error":"…"}]} (SPEC §6);
  // with "error" added when status is not OK.
  nlohmann::json ToJson() const;
};

class IngestService {
 public:
  // `sources` (may be null) learns the tills and counters of every valid batch as it arrives.
  IngestService(GroupCommitWriter& writer, std::string store, const common::Clock& clock,
                SourceRegistry* sources = nullptr)
      : writer_(writer), store_(std::move(store)), clock_(clock), sources_(sources) {}

  // `done` runs once, on the writer thread (or at once when nothing needs writing).
  void Ingest(std::vector<common::DecodedEvent> batch, std::function<void(IngestResult)> done);
  IngestResult IngestBlocking(std::vector<common::DecodedEvent> batch);

 private:
  GroupCommitWriter& writer_;
  std::string store_;
  const common::Clock& clock_;
  SourceRegistry* sources_;
};

}  // namespace storepulse::edge
