#include "edge/connectors/connector_ingest.h"

#include <malloc.h>

#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/event_limits.h"
#include "common/http/http_json.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

// Events per stored batch, and the bytes of their JSON: well inside POST /api/v1/events' limits.
constexpr size_t kChunkEvents = common::kMaxBatchEvents;
constexpr size_t kChunkBytes = common::kMaxBatchBytes / 2;
constexpr size_t kTrimAfterBytes = 256 * 1024;

json NoteJson(const RecordNote& note, const char* why) {
  return {{"index", note.record}, {"source", note.source}, {why, note.reason}};
}

ConnectorAnswer Refused(const common::Status& status) {
  ConnectorAnswer answer;
  answer.http_status = common::HttpStatusFor(status);
  answer.body = {{"error", status.message()}};
  return answer;
}

}  // namespace

ConnectorIngest::PerConnector& ConnectorIngest::For(std::string_view connector) {
  std::lock_guard lock(locks_mu_);
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) {
    it = connectors_.emplace(std::string(connector), std::make_unique<PerConnector>()).first;
  }
  return *it->second;
}

std::map<std::string, ConnectorCounts> ConnectorIngest::Counts() const {
  std::lock_guard lock(locks_mu_);
  std::map<std::string, ConnectorCounts> out;
  for (const auto& [name, per] : connectors_) out[name] = per->counts;
  return out;
}

void ConnectorIngest::Count(PerConnector& per, const ConnectorAnswer& answer) {
  std::lock_guard lock(locks_mu_);
  ConnectorCounts& c = per.counts;
  c.requests++;
  if (answer.http_status != 200) c.refused++;
  c.accepted += answer.accepted;
  c.duplicates += answer.duplicates;
  c.rejected += answer.rejected;
  c.skipped += answer.skipped;
  c.last_request_ms = clock_.NowMs();
}

ConnectorAnswer ConnectorIngest::Run(const Connector& connector, ConnectorRequest request) {
  PerConnector& per = For(connector.name());
  std::lock_guard serial(per.serial);
  const size_t body_bytes = request.body.size();
  ConnectorAnswer answer = RunSerially(connector, std::move(request));
  Count(per, answer);
  // A large request's parse tree and mapped events are freed by now: give that memory back to
  // the system, as the writer does after a burst (SPEC §8: the edge's RSS at steady state).
  if (body_bytes > kTrimAfterBytes) malloc_trim(0);
  return answer;
}

ConnectorAnswer ConnectorIngest::RunSerially(const Connector& connector, ConnectorRequest request) {
  const std::string name(connector.name());

  common::Status state_read;
  request.state = [&](const std::string& key) -> std::optional<std::string> {
    auto value = state_.Get(name, key);
    if (value.ok()) return *value;
    state_read = value.status();
    return std::nullopt;
  };
  common::StatusOr<ConnectorOutput> mapped = connector.Map(request);
  if (!state_read.ok()) return Refused(state_read);  // a guess from missing state could double count
  if (!mapped.ok()) return Refused(mapped.status());
  const ConnectorOutput& output = *mapped;

  ConnectorAnswer answer;
  json rejected = json::array();
  json skipped = json::array();
  for (const RecordNote& note : output.rejected) rejected.push_back(NoteJson(note, "error"));
  for (const RecordNote& note : output.skipped) skipped.push_back(NoteJson(note, "reason"));
  answer.rejected = static_cast<int64_t>(output.rejected.count());
  answer.skipped = static_cast<int64_t>(output.skipped.count());
  for (const MappedEvent& event : output.events) {
    if (event.not_utf8.empty()) continue;
    ++answer.rejected;
    if (rejected.size() < kMaxListedNotes) {
      rejected.push_back(
          {{"index", event.record}, {"source", event.source}, {"error", event.not_utf8}});
    }
  }

  common::Status stored;
  for (size_t next = 0; next < output.events.size() && stored.ok();) {
    std::string body = "[";
    std::vector<size_t> sent;  // the batch's events, by their place in output.events
    for (; next < output.events.size() && sent.size() < kChunkEvents && body.size() < kChunkBytes;
         ++next) {
      if (!output.events[next].not_utf8.empty()) continue;  // rejected above
      if (!sent.empty()) body.push_back(',');
      body += output.events[next].json;
      sent.push_back(next);
    }
    if (sent.empty()) break;
    body.push_back(']');
    auto decoded = common::DecodeJsonBatch(body);
    if (!decoded.ok()) {
      stored = common::Internal("a connector's batch could not be decoded: " +
                                decoded.status().message());
      break;
    }
    IngestResult result = ingest_.IngestBlocking(std::move(decoded).value());
    answer.accepted += result.accepted;
    answer.duplicates += result.duplicates;
    answer.rejected += static_cast<int64_t>(result.rejected.size());
    for (const Rejection& r : result.rejected) {
      if (rejected.size() == kMaxListedNotes) break;
      const MappedEvent& from = output.events[sent[r.index]];
      rejected.push_back(
          {{"index", from.record}, {"source", from.source}, {"id", r.id}, {"error", r.error}});
    }
    stored = result.status;
  }
  if (stored.ok()) stored = state_.Put(name, output.state, clock_.NowMs());

  const int64_t rejected_unlisted = answer.rejected - static_cast<int64_t>(rejected.size());
  const int64_t skipped_unlisted = answer.skipped - static_cast<int64_t>(skipped.size());
  answer.body = {{"events", output.events.size()}, {"accepted", answer.accepted},
                 {"duplicates", answer.duplicates}, {"rejected", std::move(rejected)},
                 {"skipped", std::move(skipped)}};
  if (rejected_unlisted > 0) answer.body["rejected_unlisted"] = rejected_unlisted;
  if (skipped_unlisted > 0) answer.body["skipped_unlisted"] = skipped_unlisted;
  if (!stored.ok()) {
    answer.http_status = common::HttpStatusFor(stored);
    answer.body["error"] = stored.message();
  }
  return answer;
}

}  // namespace storepulse::edge
