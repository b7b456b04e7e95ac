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

}  // namespace storepulse::common::wire
