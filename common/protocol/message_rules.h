// Value rules for what a replication peer says about itself (Decode checks only the shape): the
// fleet view shows these figures to ops, so an absurd one — a negative backlog, a clock 2^63 ms
// off, a megabyte "version" — is refused with the field named, like a bad event (SPEC §2).
// Stateless; thread-safe.
#pragma once

#include "common/protocol/messages.h"
#include "common/status.h"

namespace storepulse::common::wire {

// OK, or InvalidArgument "<message> field 'x': rule, got value".
Status CheckHello(const Hello& hello);
Status CheckBatch(const Batch& batch);
Status CheckHeartbeat(const Heartbeat& heartbeat);
Status CheckWelcome(const Welcome& welcome);
// The day sign-off (docs/PROTOCOL.md, "Day sign-off"): a date YYYY-MM-DD, counts ≥ 0, measure
// names of letters and '_', a 64-hex-digit ids hash, a known verdict, a tag like an incarnation.
Status CheckDayCertificate(const DayCertificate& certificate);
Status CheckDayVerdict(const DayVerdict& verdict);
Status CheckDayEvents(const DayEvents& day_events);

// Reference documents (docs/PROTOCOL.md, "Reference documents"): a kind of 1 to 32 letters a-z or
// '_', versions of 16 lower-case hex digits (none: ""), keys of 1 to 256 bytes of UTF-8 without
// NUL, at most kMaxDocumentPartRows rows and as many removals in one part.
inline constexpr size_t kMaxDocumentPartRows = 4000;
inline constexpr int64_t kMaxDocumentParts = 100'000;
Status CheckDocument(const Document& document);
Status CheckDocumentAck(const DocumentAck& ack);
// A request id ≥ 1 and a SKU of 1 to 64 bytes of UTF-8 without NUL; an answer's status an HTTP
// status and its body at most 1 MiB.
Status CheckStockRequest(const StockRequest& request);
Status CheckStockAnswer(const StockAnswer& answer);

}  // namespace storepulse::common::wire
