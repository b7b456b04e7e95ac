#include "edge/document_receiver.h"

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "common/protocol/message_rules.h"

namespace storepulse::edge {

namespace wire = common::wire;

DocumentReceiver::DocumentReceiver(DocumentLimits limits, std::map<std::string, std::string> held)
    : limits_(limits), held_(std::move(held)) {}

int64_t DocumentReceiver::staged_bytes() const {
  int64_t bytes = 0;
  for (const auto& [kind, staging] : staging_) bytes += staging.bytes;
  return bytes;
}

wire::DocumentAck DocumentReceiver::Refuse(const std::string& kind, const std::string& version,
                                           const std::string& why, int64_t now_ms) {
  staging_.erase(kind);
  status_.refused++;
  status_.last_refusal = kind + " version " + version + " refused: " + why;
  status_.last_refusal_ms = now_ms;
  common::LogWarning("reference documents: " + status_.last_refusal);
  const auto held = held_.find(kind);
  return {kind, held == held_.end() ? "" : held->second, why.substr(0, 4096)};
}

std::optional<wire::DocumentAck> DocumentReceiver::OnDocument(const wire::Document& part,
                                                              DocumentSink& sink, int64_t now_ms) {
  if (common::Status valid = wire::CheckDocument(part); !valid.ok()) {
    if (!wire::CheckDocumentAck({part.kind, "", ""}).ok()) {  // no kind to answer about
      status_.refused++;
      status_.last_refusal = "a document refused: " + valid.message();
      status_.last_refusal_ms = now_ms;
      common::LogWarning("reference documents: " + status_.last_refusal);
      return std::nullopt;
    }
    return Refuse(part.kind, part.version, valid.message(), now_ms);
  }
  if (part.part == 0) {
    staging_[part.kind] = Staging{part.version, part.base_version, 0, 0, {}, {}};
  }
  auto found = staging_.find(part.kind);
  if (found == staging_.end() || found->second.version != part.version ||
      found->second.base_version != part.base_version || found->second.next_part != part.part) {
    // Out of order or of another version: start again when central resends from part 0.
    if (found != staging_.end()) staging_.erase(found);
    status_.restarts++;
    return std::nullopt;
  }
  Staging& staging = found->second;
  if (part.part + 1 > limits_.max_parts) {
    return Refuse(part.kind, part.version,
                  "more than " + std::to_string(limits_.max_parts) + " parts", now_ms);
  }
  for (const auto& [key, text] : part.rows) {
    staging.bytes += static_cast<int64_t>(key.size() + text.size());
    if (staging.bytes > limits_.max_bytes) {
      return Refuse(part.kind, part.version,
                    "larger than " + std::to_string(limits_.max_bytes) + " bytes", now_ms);
    }
    nlohmann::json row = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (row.is_discarded()) {
      return Refuse(part.kind, part.version, "the row of key '" + key + "' is not JSON", now_ms);
    }
    staging.rows.insert_or_assign(key, std::move(row));
  }
  for (const std::string& key : part.removals) {
    staging.bytes += static_cast<int64_t>(key.size());
    staging.removals.push_back(key);
  }
  if (static_cast<int64_t>(staging.rows.size() + staging.removals.size()) > limits_.max_rows) {
    return Refuse(part.kind, part.version,
                  "more than " + std::to_string(limits_.max_rows) + " rows", now_ms);
  }
  if (!part.last) {
    staging.next_part++;
    return std::nullopt;
  }
  Staging whole = std::move(staging);
  staging_.erase(found);
  common::Status stored;
  if (whole.base_version.empty()) {
    stored = sink.StoreSnapshot(part.kind, whole.version, whole.rows);
  } else {
    common::DocumentDelta delta{std::move(whole.rows), std::move(whole.removals)};
    std::sort(delta.removals.begin(), delta.removals.end());
    delta.removals.erase(std::unique(delta.removals.begin(), delta.removals.end()),
                         delta.removals.end());
    stored = sink.StoreDelta(part.kind, whole.base_version, whole.version, delta);
  }
  if (!stored.ok()) return Refuse(part.kind, part.version, stored.message(), now_ms);
  held_[part.kind] = whole.version;
  status_.stored++;
  return wire::DocumentAck{part.kind, whole.version, ""};
}

}  // namespace storepulse::edge
