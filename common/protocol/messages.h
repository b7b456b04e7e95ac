// The replication protocol between an edge (DEALER) and central (ROUTER), version 1.
// Every ZeroMQ message is one frame (after the ROUTER's identity frame): a msgpack array
//   [protocol_version, message_type, fields…]
// with the fields of each struct below, in order. docs/PROTOCOL.md tells the exchange and what
// happens on each failure; this header is the field-level reference.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace storepulse::common::wire {

inline constexpr int64_t kProtocolVersion = 1;

// edge → central, first message on every (re)connection.
struct Hello {
  std::string store;
  std::string incarnation;  // the edge database's random id: one stream per incarnation
  int64_t last_seq = 0;     // highest seq the edge has stored
  std::string version;      // software version
};

// central → edge: where the stream stands at central; the edge resumes at acked_seq + 1.
struct Welcome {
  std::string incarnation;
  int64_t acked_seq = 0;
  int64_t clock_ms = 0;  // central's clock
  // Optional 4th field, sent by centrals that have some: what this central understands beyond
  // the six first message types (kCapabilityDayCertificates). An older edge ignores it; an older
  // central never sends it, and then the edge sends none of those messages.
  std::vector<std::string> capabilities;
};

// The capability of a central that certifies days (DayCertificate, DayVerdict, DayEvents).
inline constexpr std::string_view kCapabilityDayCertificates = "day_certificates";
// The capability of a central that sends reference documents (Document, DocumentAck, and the
// heartbeat's `documents`). docs/PROTOCOL.md, "Reference documents".
inline constexpr std::string_view kCapabilityDocuments = "documents";
// The capability of a central that answers StockRequest (the network's stock at the store).
inline constexpr std::string_view kCapabilityNetworkStock = "network_stock";

// edge → central: events first_seq, first_seq + 1, … (contiguous), each in the stored encoding
// (common/event_codec.h: EncodeStored).
struct Batch {
  std::string incarnation;
  int64_t first_seq = 0;
  std::vector<std::string> events;
  // Optional 4th field, sent only when > 0: the edge holds no event at or below this seq any more
  // (retention pruned them), so central may move its position up to it. Below first_seq.
  int64_t pruned_to = 0;
};

// central → edge: every event up to acked_seq is committed at central (cumulative).
struct Ack {
  std::string incarnation;
  int64_t acked_seq = 0;
};

// A till or people counter the edge finds silent (edge/source_health.h): known, and nothing from it
// for longer than the edge's threshold of opening hours.
struct SilentSource {
  std::string kind;             // "till" or "counter" (a later edge may send other kinds)
  std::string id;               // the till's or the sensor's id
  int64_t last_seen_ms = 0;     // when the edge last received something from it
  int64_t silent_since_ms = 0;  // when it became silent
  bool operator==(const SilentSource&) const = default;
};

// both ways when idle; central only fills clock_ms and acked_seq.
struct Heartbeat {
  int64_t clock_ms = 0;
  int64_t last_seq = 0;
  int64_t acked_seq = 0;
  int64_t backlog_events = 0;       // stored at the edge, not yet acknowledged
  int64_t backlog_value = 0;        // gross sales value of those, minor units
  int64_t oldest_unsent_age_ms = 0; // how long the oldest of them has waited
  int64_t disk_free_bytes = 0;
  bool disk_accepting = true;       // false: the edge refuses new events (disk nearly full)
  std::string version;
  // Optional 10th field, sent only when not empty, as an array of
  // [kind, id, last_seen_ms, silent_since_ms]: the edge's silent sources. An older central reads
  // the first nine fields and ignores it; an older edge never sends it (none silent).
  std::vector<SilentSource> silent_sources;
  // Optional 11th field, sent by an edge that understands reference documents to a central whose
  // welcome has kCapabilityDocuments — then always, even empty, and the 10th field with it (an
  // empty array when none is silent): kind → version of each document the edge holds. Absent: an
  // edge that takes no document (central sends it none). An older central reads the first ten
  // fields and ignores it.
  std::optional<std::map<std::string, std::string>> documents;
};

// central → edge: the message was refused. `acked_seq` tells where to resume for a gap.
struct Error {
  std::string code;  // "gap", "retry", "diverged", "unknown_stream", "wrong_store", "version",
                     // "malformed", "overflow" (a store total would leave the int64 range)
  std::string message;
  std::string incarnation;
  int64_t acked_seq = 0;
};

// edge → central, to a central whose welcome has kCapabilityDayCertificates: the figures of one
// closed local day of the store (common/kpi/day_figures.h), once central acknowledged all its
// events. docs/PROTOCOL.md, "Day sign-off".
struct DayCertificate {
  std::string day;  // local date, YYYY-MM-DD
  int64_t events = 0;
  std::map<std::string, int64_t> totals;  // base measure name → the day's total, zeros left out
  std::string ids_hash;                   // 64 lower-case hex digits
};

// central → edge: what central made of a certificate.
struct DayVerdict {
  std::string day;
  std::string verdict;  // "certified", "resend" (send the day's events again), "differs"
  std::string detail;   // what differs, for people ("" when certified)
};

// edge → central, after a "resend" verdict: the day's events again, in parts of at most a batch.
// Central applies them as a stream of their own named `tag` (seqs from 1 per resend) — an event
// id it holds already is skipped — and answers each part with an Ack (or Error) of that tag.
struct DayEvents {
  std::string tag;  // "day:<day>:<edge clock ms>": one per resend
  std::string day;
  int64_t first_seq = 0;
  std::vector<std::string> events;  // stored encoding, as in Batch
};

// central → edge, to an edge whose heartbeat has `documents`: one part of a version of a
// reference document (common/reference/reference_document.h). A snapshot (base_version empty)
// replaces what the edge holds of `kind`; a delta turns base_version into version. Parts are
// numbered from 0 and sent in order; the edge stores the document when the part with `last`
// arrives, and answers a DocumentAck. docs/PROTOCOL.md, "Reference documents".
struct Document {
  std::string kind;          // catalogue, targets, context, reports (a later central may add)
  std::string version;       // common::DocumentVersion of the whole result
  std::string base_version;  // "" for a snapshot
  int64_t part = 0;
  bool last = true;
  std::vector<std::pair<std::string, std::string>> rows;  // key, row as JSON text (upserts)
  std::vector<std::string> removals;                      // keys removed (deltas only)
};

// edge → central: what the edge holds of `kind` after a document's last part — `version` is the
// one just stored when `detail` is empty; otherwise the document was refused (`detail` says why)
// and `version` is what the edge still holds ("" for nothing).
struct DocumentAck {
  std::string kind;
  std::string version;
  std::string detail;
};

// edge → central, to a central with kCapabilityNetworkStock: where else is this SKU?
struct StockRequest {
  int64_t request_id = 0;  // the edge's, echoed in the answer
  std::string sku;
};

// central → edge: central's GET /api/v1/stock?sku= for the request's SKU.
struct StockAnswer {
  int64_t request_id = 0;
  int64_t status = 200;  // the HTTP status central's own endpoint would give
  std::string body;      // its JSON body, as text
};

using Message =
    std::variant<Hello, Welcome, Batch, Ack, Heartbeat, Error, DayCertificate, DayVerdict,
                 DayEvents, Document, DocumentAck, StockRequest, StockAnswer>;

std::string Encode(const Message& message);
// InvalidArgument for bytes that are not a well-formed message of this version.
StatusOr<Message> Decode(std::string_view bytes);

}  // namespace storepulse::common::wire
