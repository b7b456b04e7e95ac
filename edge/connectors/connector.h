// A connector maps one source's own format — a till's POSLog export, a web shop's webhook, a
// people counter's push — to storepulse events (SPEC §2). It only maps: the events it returns go
// through the one decoder, validator and writer like those of POST /api/v1/events
// (connector_ingest.h), so a connector can never store what a producer could not send.
//
// Connectors are pure: given the request and what they kept from earlier requests (`state`), they
// return events as JSON objects, per-record rejections and skips, and the state to keep once the
// events are durable. Event ids derive from the source's own identifiers (event_ids.h), never
// from arrival order, so a record sent twice maps to the same id and is answered `duplicate`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::edge {

// The largest body a connector takes. A connector holds its request's parse tree and mapped
// events at once: a 4 MiB export of 152,000 counter rows peaks at about 125 MB
// (docs/CONNECTORS.md), so a larger export is sent in parts (by day or by till).
inline constexpr size_t kMaxConnectorBodyBytes = 4 * 1024 * 1024;

// Rejections, and skips, a request keeps and its answer lists; the others are only counted. A
// 4 MiB body of two-byte CSV rows, each rejected, answered 178 MB and peaked at 1.4 GB, and no
// one reads past the first reasons.
inline constexpr size_t kMaxListedNotes = 1000;

struct ConnectorRequest {
  std::string_view body;
  // Header values by lower-case name ("x-shopify-hmac-sha256"); query parameters by name.
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> params;
  std::string store;             // the edge's store id
  const common::TimeZone* zone;  // the store's zone, for source times without an offset
  int64_t now_ms = 0;
  int money_digits = 2;  // digits after the point in the network's currency ("12.50" → 1250)
  // What this connector kept under `key` at an earlier request, if anything.
  std::function<std::optional<std::string>(const std::string& key)> state;
};

// One source record that yields no event: rejected (it could not be mapped; the answer says why)
// or skipped (mapped to nothing on purpose: a voided transaction, training mode).
struct RecordNote {
  size_t record = 0;    // the record's position in the request, from 0
  std::string source;   // what names it in the source: "transaction 1042 (till 3)"
  std::string reason;
};

// A request's notes of one kind: the first kMaxListedNotes kept, every one counted.
class RecordNotes {
 public:
  void push_back(RecordNote note) {
    if (kept_.size() < kMaxListedNotes) kept_.push_back(std::move(note));
    ++count_;
  }
  size_t count() const { return count_; }  // every note, kept or not
  // The notes kept.
  size_t size() const { return kept_.size(); }
  bool empty() const { return kept_.empty(); }
  const RecordNote& operator[](size_t i) const { return kept_[i]; }
  std::vector<RecordNote>::const_iterator begin() const { return kept_.begin(); }
  std::vector<RecordNote>::const_iterator end() const { return kept_.end(); }

 private:
  std::vector<RecordNote> kept_;
  size_t count_ = 0;
};

struct MappedEvent {
  MappedEvent(size_t record, std::string source, const nlohmann::json& event);

  size_t record = 0;   // the source record it came from
  std::string source;  // as in RecordNote
  // The event object of SPEC §2 as compact JSON: kept as text, so a request of many records holds
  // about their size, not a JSON tree each. Empty when not_utf8 is not.
  std::string json;
  // Why the event cannot be sent, naming its field: text that is not UTF-8 (a till's export in
  // Latin-1 that does not say so). The event is rejected with this reason: written with its bytes
  // replaced by U+FFFD, sales numbered "\xe91042" and "\xe81042" took one id, the second
  // answered a duplicate and lost.
  std::string not_utf8;

  nlohmann::json event() const { return nlohmann::json::parse(json); }
};

struct ConnectorOutput {
  std::vector<MappedEvent> events;
  RecordNotes rejected;
  RecordNotes skipped;
  // Kept (key → value) once every event above is stored; a key of this connector only.
  std::map<std::string, std::string> state;
};

class Connector {
 public:
  virtual ~Connector() = default;
  // The name in POST /api/v1/connectors/<name> and `storepulse ingest --format <name>`.
  virtual std::string_view name() const = 0;
  // True for a connector that authenticates its requests itself (a signed webhook): the
  // producer token is then not asked for.
  virtual bool authenticates_itself() const { return false; }
  // A non-OK status refuses the whole request: InvalidArgument (400) when the body cannot be read
  // as this format at all, PermissionDenied (401) when it is not authentic. Thread-safe.
  virtual common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const = 0;
};

}  // namespace storepulse::edge
