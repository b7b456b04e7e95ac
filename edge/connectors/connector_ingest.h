// Runs a connector on a request and stores what it maps through the one ingest path
// (IngestService: the decoder, the validator, the group-commit writer), in batches within the
// limits of POST /api/v1/events. The answer is that of POST /api/v1/events, per source record:
//
//   {"events":N, "accepted":N, "duplicates":N,
//    "rejected":[{"index":record, "source":"transaction 1042 (till 3)", "id":"…", "error":"…"}],
//    "skipped":[{"index":record, "source":"…", "reason":"voided"}]}
//
// listing the first 1000 rejections and the first 1000 skips ("rejected_unlisted":N and
// "skipped_unlisted":N count the others, when there are any), with "error" added, and a 5xx status,
// when the good events could not all be stored (they are answered as for POST /api/v1/events: send
// the request again). A connector's requests run one at a time, so a stateful connector reads the
// state its previous request kept. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "edge/connectors/connector.h"
#include "edge/connectors/connector_state.h"
#include "edge/ingest_service.h"

namespace storepulse::edge {

struct ConnectorAnswer {
  int http_status = 200;
  nlohmann::json body;
  int64_t accepted = 0, duplicates = 0, rejected = 0, skipped = 0;  // all, listed or not
};

// What one connector did since the edge started: for /metrics and /api/v1/status.
struct ConnectorCounts {
  int64_t requests = 0;
  int64_t refused = 0;  // requests refused whole (400, 401) or not fully stored (5xx)
  int64_t accepted = 0, duplicates = 0, rejected = 0, skipped = 0;
  int64_t last_request_ms = 0;  // 0: none yet
};

class ConnectorIngest {
 public:
  ConnectorIngest(IngestService& ingest, ConnectorState& state, const common::Clock& clock)
      : ingest_(ingest), state_(state), clock_(clock) {}

  // `request.state` is filled in here, from this connector's kept state.
  ConnectorAnswer Run(const Connector& connector, ConnectorRequest request);

  // By connector name; only connectors that had a request.
  std::map<std::string, ConnectorCounts> Counts() const;

 private:
  struct PerConnector {
    std::mutex serial;       // held for a whole request
    ConnectorCounts counts;  // guarded by locks_mu_
  };
  PerConnector& For(std::string_view connector);
  ConnectorAnswer RunSerially(const Connector& connector, ConnectorRequest request);
  void Count(PerConnector& per, const ConnectorAnswer& answer);

  IngestService& ingest_;
  ConnectorState& state_;
  const common::Clock& clock_;
  mutable std::mutex locks_mu_;
  std::map<std::string, std::unique_ptr<PerConnector>, std::less<>> connectors_;
};

}  // namespace storepulse::edge
