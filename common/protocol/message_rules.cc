#include "common/protocol/message_rules.h"

#include <cctype>
#include <cstdint>
#include <string>

#include "common/event_limits.h"
#include "common/time_zone.h"
#include "common/utf8.h"

namespace storepulse::common::wire {

namespace {

constexpr int64_t kMaxClockMs = 4'102'444'800'000;  // 2100-01-01T00:00:00Z
constexpr size_t kMaxVersionBytes = 64;

Status Refused(const char* message, const char* field, const std::string& rule,
               const std::string& got) {
  return InvalidArgument(std::string(message) + " field '" + field + "': " + rule + ", got " + got);
}

Status AtLeastZero(const char* message, const char* field, int64_t value) {
  if (value >= 0) return OkStatus();
  return Refused(message, field, "must be 0 or more", std::to_string(value));
}

Status CheckClock(const char* message, int64_t clock_ms) {
  if (clock_ms >= kMinTsMs && clock_ms < kMaxClockMs) return OkStatus();
  return Refused(message, "clock", "must be a Unix time in ms between 2000 and 2100",
                 std::to_string(clock_ms));
}

Status CheckVersion(const char* message, const std::string& version) {
  if (version.size() > kMaxVersionBytes) {
    return Refused(message, "version", "must be at most 64 bytes",
                   std::to_string(version.size()) + " bytes");
  }
  for (char c : version) {
    if (c < 0x20 || c > 0x7e) {
      return Refused(message, "version", "must be printable ASCII", "a control or non-ASCII byte");
    }
  }
  return OkStatus();
}

// At most this many silent sources in one heartbeat: an edge follows at most 1,000
// (edge/source_registry.h).
constexpr size_t kMaxSilentSources = 1000;

Status CheckSilentSource(const SilentSource& s) {
  bool plain_kind = !s.kind.empty() && s.kind.size() <= 16;
  for (char c : s.kind) plain_kind = plain_kind && ((c >= 'a' && c <= 'z') || c == '_');
  if (!plain_kind) {
    return Refused("heartbeat", "silent_sources.kind", "must be 1 to 16 letters a-z or '_'",
                   std::to_string(s.kind.size()) + " bytes");
  }
  if (s.id.empty() || s.id.size() > kMaxTextBytes || !IsValidUtf8(s.id) ||
      s.id.find('\0') != std::string::npos) {
    return Refused("heartbeat", "silent_sources.id",
                   "must be 1 to " + std::to_string(kMaxTextBytes) + " bytes of UTF-8 without NUL",
                   std::to_string(s.id.size()) + " bytes");
  }
  if (s.last_seen_ms < kMinTsMs || s.last_seen_ms >= kMaxClockMs) {
    return Refused("heartbeat", "silent_sources.last_seen_ms",
                   "must be a Unix time in ms between 2000 and 2100",
                   std::to_string(s.last_seen_ms));
  }
  if (s.silent_since_ms < s.last_seen_ms || s.silent_since_ms >= kMaxClockMs) {
    return Refused("heartbeat", "silent_sources.silent_since_ms",
                   "must be at or after last_seen_ms, before 2100",
                   std::to_string(s.silent_since_ms));
  }
  return OkStatus();
}

}  // namespace

namespace {

Status CheckDocumentKind(const char* message, const std::string& kind) {
  bool plain = !kind.empty() && kind.size() <= 32;
  for (char c : kind) plain = plain && ((c >= 'a' && c <= 'z') || c == '_');
  if (plain) return OkStatus();
  return Refused(message, "kind", "must be 1 to 32 letters a-z or '_'",
                 std::to_string(kind.size()) + " bytes");
}

Status CheckDocumentVersion(const char* message, const char* field, const std::string& version,
                            bool may_be_empty) {
  if (may_be_empty && version.empty()) return OkStatus();
  bool hex = version.size() == 16;
  for (char c : version) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (hex) return OkStatus();
  return Refused(message, field, "must be 16 lower-case hex digits",
                 std::to_string(version.size()) + " bytes");
}

Status CheckDocumentKey(const std::string& key) {
  if (!key.empty() && key.size() <= 256 && IsValidUtf8(key) &&
      key.find('\0') == std::string::npos) {
    return OkStatus();
  }
  return Refused("document", "key", "must be 1 to 256 bytes of UTF-8 without NUL",
                 std::to_string(key.size()) + " bytes");
}

}  // namespace

// Incarnations are shown and stored as text: letters, digits, '-' and '_' (edges make hex).
Status CheckIncarnation(const char* message, const std::string& incarnation) {
  bool plain = !incarnation.empty() && incarnation.size() <= kMaxIdBytes;
  for (char c : incarnation) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) ||
                                               c == '-' || c == '_');
  if (plain) return OkStatus();
  return Refused(message, "incarnation", "must be 1 to 64 letters, digits, '-' or '_'",
                 std::to_string(incarnation.size()) + " bytes");
}

Status CheckHello(const Hello& hello) {
  RETURN_IF_ERROR(CheckIncarnation("hello", hello.incarnation));
  RETURN_IF_ERROR(AtLeastZero("hello", "last_seq", hello.last_seq));
  return CheckVersion("hello", hello.version);
}

Status CheckBatch(const Batch& batch) {
  const auto events = static_cast<int64_t>(batch.events.size());
  if (batch.first_seq < 1 || batch.first_seq > INT64_MAX - events) {
    return Refused("batch", "first_seq", "must be 1 or more (and its last seq an int64)",
                   std::to_string(batch.first_seq));
  }
  if (batch.pruned_to < 0 || batch.pruned_to >= batch.first_seq) {
    return Refused("batch", "pruned_to", "must be 0 or more and below first_seq",
                   std::to_string(batch.pruned_to));
  }
  return OkStatus();
}

Status CheckHeartbeat(const Heartbeat& beat) {
  RETURN_IF_ERROR(CheckClock("heartbeat", beat.clock_ms));
  RETURN_IF_ERROR(AtLeastZero("heartbeat", "last_seq", beat.last_seq));
  RETURN_IF_ERROR(AtLeastZero("heartbeat", "acked_seq", beat.acked_seq));
  RETURN_IF_ERROR(AtLeastZero("heartbeat", "backlog_events", beat.backlog_events));
  RETURN_IF_ERROR(AtLeastZero("heartbeat", "backlog_value", beat.backlog_value));
  RETURN_IF_ERROR(AtLeastZero("heartbeat", "disk_free_bytes", beat.disk_free_bytes));
  if (beat.oldest_unsent_age_ms < 0 || beat.oldest_unsent_age_ms > beat.clock_ms - kMinTsMs) {
    return Refused("heartbeat", "oldest_unsent_age_ms", "must be 0 or more and not before 2000",
                   std::to_string(beat.oldest_unsent_age_ms));
  }
  RETURN_IF_ERROR(CheckVersion("heartbeat", beat.version));
  if (beat.silent_sources.size() > kMaxSilentSources) {
    return Refused("heartbeat", "silent_sources", "must list at most 1000 sources",
                   std::to_string(beat.silent_sources.size()));
  }
  for (const SilentSource& source : beat.silent_sources) {
    RETURN_IF_ERROR(CheckSilentSource(source));
  }
  if (beat.documents) {
    if (beat.documents->size() > 64) {
      return Refused("heartbeat", "documents", "must list at most 64 kinds",
                     std::to_string(beat.documents->size()));
    }
    for (const auto& [kind, version] : *beat.documents) {
      RETURN_IF_ERROR(CheckDocumentKind("heartbeat", kind));
      RETURN_IF_ERROR(CheckDocumentVersion("heartbeat", "documents.version", version, false));
    }
  }
  return OkStatus();
}

Status CheckWelcome(const Welcome& welcome) {
  RETURN_IF_ERROR(CheckClock("welcome", welcome.clock_ms));
  return AtLeastZero("welcome", "acked_seq", welcome.acked_seq);
}

namespace {

Status CheckDay(const char* message, const std::string& day) {
  if (day.size() == 10 && TimeZone::ParseLocalDate(day).ok()) return OkStatus();
  return Refused(message, "day", "must be a date YYYY-MM-DD",
                 std::to_string(day.size()) + " bytes");
}

}  // namespace

Status CheckDayCertificate(const DayCertificate& certificate) {
  RETURN_IF_ERROR(CheckDay("day_certificate", certificate.day));
  RETURN_IF_ERROR(AtLeastZero("day_certificate", "events", certificate.events));
  for (const auto& [name, value] : certificate.totals) {
    // Measure names (common/kpi/measures.h); a later edge may sum more of them.
    bool plain = !name.empty() && name.size() <= 64;
    for (char c : name) plain = plain && ((c >= 'a' && c <= 'z') || c == '_');
    if (!plain) {
      return Refused("day_certificate", "totals", "names must be 1 to 64 letters a-z or '_'",
                     std::to_string(name.size()) + " bytes");
    }
  }
  bool hex = certificate.ids_hash.size() == 64;
  for (char c : certificate.ids_hash)
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!hex) {
    return Refused("day_certificate", "ids_hash", "must be 64 lower-case hex digits",
                   std::to_string(certificate.ids_hash.size()) + " bytes");
  }
  return OkStatus();
}

Status CheckDayVerdict(const DayVerdict& verdict) {
  RETURN_IF_ERROR(CheckDay("day_verdict", verdict.day));
  if (verdict.verdict != "certified" && verdict.verdict != "resend" &&
      verdict.verdict != "differs") {
    return Refused("day_verdict", "verdict", "must be certified, resend or differs",
                   std::to_string(verdict.verdict.size()) + " bytes");
  }
  if (verdict.detail.size() > 4096 || !IsValidUtf8(verdict.detail)) {
    return Refused("day_verdict", "detail", "must be at most 4096 bytes of UTF-8",
                   std::to_string(verdict.detail.size()) + " bytes");
  }
  return OkStatus();
}

Status CheckDayEvents(const DayEvents& day_events) {
  RETURN_IF_ERROR(CheckIncarnation("day_events", day_events.tag));
  RETURN_IF_ERROR(CheckDay("day_events", day_events.day));
  const auto events = static_cast<int64_t>(day_events.events.size());
  if (day_events.first_seq < 1 || day_events.first_seq > INT64_MAX - events) {
    return Refused("day_events", "first_seq", "must be 1 or more (and its last seq an int64)",
                   std::to_string(day_events.first_seq));
  }
  return OkStatus();
}

Status CheckDocument(const Document& document) {
  RETURN_IF_ERROR(CheckDocumentKind("document", document.kind));
  RETURN_IF_ERROR(CheckDocumentVersion("document", "version", document.version, false));
  RETURN_IF_ERROR(CheckDocumentVersion("document", "base_version", document.base_version, true));
  if (document.part < 0 || document.part >= kMaxDocumentParts) {
    return Refused("document", "part", "must be 0 to 99999", std::to_string(document.part));
  }
  if (document.rows.size() > kMaxDocumentPartRows) {
    return Refused("document", "rows", "must be at most 4000 in one part",
                   std::to_string(document.rows.size()));
  }
  if (document.removals.size() > kMaxDocumentPartRows) {
    return Refused("document", "removals", "must be at most 4000 in one part",
                   std::to_string(document.removals.size()));
  }
  if (document.base_version.empty() && !document.removals.empty()) {
    return Refused("document", "removals", "must be none in a snapshot",
                   std::to_string(document.removals.size()));
  }
  for (const auto& [key, row] : document.rows) RETURN_IF_ERROR(CheckDocumentKey(key));
  for (const std::string& key : document.removals) RETURN_IF_ERROR(CheckDocumentKey(key));
  return OkStatus();
}

Status CheckDocumentAck(const DocumentAck& ack) {
  RETURN_IF_ERROR(CheckDocumentKind("document_ack", ack.kind));
  RETURN_IF_ERROR(CheckDocumentVersion("document_ack", "version", ack.version, true));
  if (ack.detail.size() > 4096 || !IsValidUtf8(ack.detail)) {
    return Refused("document_ack", "detail", "must be at most 4096 bytes of UTF-8",
                   std::to_string(ack.detail.size()) + " bytes");
  }
  return OkStatus();
}

Status CheckStockRequest(const StockRequest& request) {
  if (request.request_id < 1) {
    return Refused("stock_request", "request_id", "must be 1 or more",
                   std::to_string(request.request_id));
  }
  if (request.sku.empty() || request.sku.size() > kMaxIdBytes || !IsValidUtf8(request.sku) ||
      request.sku.find('\0') != std::string::npos) {
    return Refused("stock_request", "sku", "must be 1 to 64 bytes of UTF-8 without NUL",
                   std::to_string(request.sku.size()) + " bytes");
  }
  return OkStatus();
}

Status CheckStockAnswer(const StockAnswer& answer) {
  if (answer.request_id < 1) {
    return Refused("stock_answer", "request_id", "must be 1 or more",
                   std::to_string(answer.request_id));
  }
  if (answer.status < 100 || answer.status > 599) {
    return Refused("stock_answer", "status", "must be an HTTP status",
                   std::to_string(answer.status));
  }
  if (answer.body.size() > (1 << 20)) {
    return Refused("stock_answer", "body", "must be at most 1 MiB",
                   std::to_string(answer.body.size()) + " bytes");
  }
  return OkStatus();
}

}  // namespace storepulse::common::wire
