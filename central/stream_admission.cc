#include "central/stream_admission.h"

#include "common/event_codec.h"
#include "common/event_validator.h"
#include "common/log.h"
#include "common/protocol/message_rules.h"

namespace storepulse::central {

namespace wire = common::wire;

namespace {
constexpr int64_t kEdgeClockSkewMs = 7LL * 24 * 3600 * 1000;

// Decodes one replicated event of `store`'s stream, or says why central refuses it (nothing of
// the batch is then stored). The edge validated it already; central checks again so that a
// hostile edge can neither store garbage nor overflow the sums. The edge's clock may run ahead of
// central's: a week of skew is allowed on top of the 24 h rule (refusing would stall the stream).
Refusal Vet(const std::string& body, const std::string& store, int64_t now_ms,
            common::Event* out) {
  auto event = common::DecodeStored(body);
  if (!event.ok()) return {"malformed", "", "", "", "undecodable event: " + event.status().message()};
  if (!event->store.empty() && event->store != store) {
    return {"wrong_store", "", "", "",
            "event " + event->id + " names store " + event->store + "; nothing stored"};
  }
  common::Status valid = common::ValidateEvent(*event, {store, now_ms, kEdgeClockSkewMs});
  if (!valid.ok()) {
    return {"malformed", "", "", "", "invalid event " + event->id + ": " + valid.message()};
  }
  *out = std::move(event).value();
  return {};
}

// The stream's position moved past seqs from…to that the edge pruned before sending them.
void LogPassedPruned(const std::string& store, const std::string& incarnation, int64_t from,
                     int64_t to) {
  common::LogWarning(
      "store " + store + ", incarnation " + incarnation + ": seqs " + std::to_string(from) + "-" +
      std::to_string(to) +
      " were pruned at the edge (retention) before this stream delivered them; central moved past "
      "them. Expected when the edge started a new incarnation (central holds them from the "
      "earlier one); otherwise central's database is older than the edge's retention (restored "
      "from a backup) and lacks them.");
}
}  // namespace

StreamAdmission::StreamAdmission(DirectoryFn directory, const LogStore& store, Fleet& fleet,
                                 Refusals& refusals, StorageState& storage)
    : directory_(std::move(directory)),
      store_(store),
      fleet_(fleet),
      refusals_(refusals),
      storage_(storage) {}

wire::Message StreamAdmission::Undecodable(const std::string& user, const common::Status& why,
                                           int64_t now) {
  const bool version = why.code() == common::StatusCode::kFailedPrecondition;
  return Refuse(user, version ? "version" : "malformed", why.message(), "", 0, now);
}

wire::Message StreamAdmission::Unexpected(const std::string& user, int64_t now) {
  return Refuse(user, "malformed", "unexpected message type from an edge", "", 0, now);
}

std::optional<wire::Message> StreamAdmission::OnHello(const std::string& peer,
                                                      const std::string& user,
                                                      const wire::Hello& m, int64_t now) {
  if (m.store != user) {
    return Refuse(user, "wrong_store",
                  "the key of store " + user + " cannot send for store " + m.store, m.incarnation,
                  0, now);
  }
  if (common::Status valid = wire::CheckHello(m); !valid.ok()) {
    return Refuse(user, "malformed", valid.message(), "", 0, now);
  }
  auto directory = directory_();
  const StoreEntry* entry = directory->FindByStore(user);
  if (entry == nullptr) {
    return Refuse(user, "unknown_stream", "store not in the stores file", m.incarnation, 0, now);
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {  // one live session per store
    it = it->second.stream.store == user ? sessions_.erase(it) : std::next(it);
  }
  StreamKey stream{user, m.incarnation};
  sessions_[peer] = Session{stream, &entry->zone, directory};
  fleet_.Hello(user, m, now);
  // The welcome tells the edge where to resume: never a position central could not read now (a
  // stale one would make the edge resend, or take central for behind what it acknowledged).
  // Unanswered, the edge says hello again, here or to the next central.
  const std::optional<int64_t> position = store_.FreshAckedSeq(stream);
  if (!position) {
    if (!hellos_unanswered_) {  // once per outage, not per hello
      common::LogWarning("hellos not answered while the streams' positions cannot be read (store " +
                         user + " first); the edges say hello again");
    }
    hellos_unanswered_ = true;
    return std::nullopt;
  }
  hellos_unanswered_ = false;
  const int64_t acked = *position;
  if (m.last_seq < acked) {  // the edge starts a new incarnation on this welcome (SPEC §4)
    RolledBack(user,
               "the edge's database ends at seq " + std::to_string(m.last_seq) +
                   " but central acknowledged seq " + std::to_string(acked) + " of incarnation " +
                   m.incarnation,
               now);
  }
  fleet_.Applied(user, acked, 0, now);
  return wire::Welcome{m.incarnation, acked, now, {}};
}

std::variant<AdmittedBatch, wire::Message> StreamAdmission::OnBatch(const std::string& peer,
                                                                    const std::string& user,
                                                                    const wire::Batch& m,
                                                                    int64_t now) {
  auto session = sessions_.find(peer);
  if (session == sessions_.end() || session->second.stream.incarnation != m.incarnation) {
    return Refuse(user, "unknown_stream", "batch before hello: say hello again", m.incarnation, 0,
                  now);
  }
  const Session& live = session->second;
  if (common::Status valid = wire::CheckBatch(m); !valid.ok()) {
    return Refuse(user, "malformed", valid.message(), m.incarnation, store_.AckedSeq(live.stream),
                  now);
  }
  // Central's disk is full: turned away before decoding, the edge waits and sends it again.
  if (std::string full = storage_.TurnAway(now); !full.empty()) {
    return wire::Error{"retry", full, m.incarnation, 0};
  }
  AdmittedBatch admitted{{live.stream, m.first_seq, {}, m.pruned_to, live.zone}, live.directory};
  admitted.batch.events.reserve(m.events.size());
  for (const std::string& body : m.events) {
    common::Event event;
    if (Refusal why = Vet(body, user, now, &event); !why.reason.empty()) {
      return Refuse(user, why.reason, why.detail, m.incarnation, store_.AckedSeq(live.stream),
                    now);
    }
    admitted.batch.events.push_back(std::move(event));
  }
  return admitted;
}

std::optional<wire::Message> StreamAdmission::OnHeartbeat(const std::string& peer,
                                                          const std::string& user,
                                                          const wire::Heartbeat& m, int64_t now) {
  if (common::Status valid = wire::CheckHeartbeat(m); !valid.ok()) {
    // Counted, not shown and not answered: an edge whose clock is off must keep streaming.
    refusals_.Record({"malformed", "", user, "", valid.message() + "; not shown in the fleet", 0,
                      0},
                     now);
    return std::nullopt;
  }
  fleet_.Heartbeat(user, m, now);
  wire::Heartbeat answer;
  answer.clock_ms = now;
  auto session = sessions_.find(peer);
  if (session != sessions_.end()) {
    const StreamKey& stream = session->second.stream;
    // Below what the edge was acknowledged, the record lost commits (restored from a backup, a
    // PostgreSQL failover, recreated): a gap makes the edge resend from the record's position.
    // An idle edge would otherwise never find out.
    const std::optional<int64_t> record = store_.FreshAckedSeq(stream);
    if (record && *record < m.acked_seq) {
      common::LogWarning("store " + user + ", incarnation " + stream.incarnation +
                         ": the database holds the stream up to seq " + std::to_string(*record) +
                         " but the edge was acknowledged seq " + std::to_string(m.acked_seq) +
                         ": asking it to resend from there");
      return wire::Error{"gap", "central's database is behind what it acknowledged",
                         stream.incarnation, *record};
    }
    answer.acked_seq = record ? *record : store_.AckedSeq(stream);
  }
  return answer;
}

wire::Message StreamAdmission::OnApplied(const std::string& user, const std::string& incarnation,
                                         int64_t pruned_to,
                                         const common::StatusOr<ApplyOutcome>& outcome,
                                         int64_t now) {
  if (!outcome.ok()) {
    ApplyFailed(user, outcome.status(), now);
    return wire::Error{"retry", "central is not storing: " + outcome.status().message(),
                       incarnation, 0};
  }
  if (outcome->applied > 0) {
    if (std::string ended = storage_.Stored(now); !ended.empty()) common::LogInfo(ended);
  }
  fleet_.Applied(user, outcome->acked_seq, outcome->applied, now);
  if (outcome->passed_pruned > 0) {
    LogPassedPruned(user, incarnation, pruned_to - outcome->passed_pruned + 1, pruned_to);
  }
  if (!outcome->diverged.empty()) {
    RolledBack(user, outcome->diverged, now);
    refusals_.Record({"diverged", "", user, "", outcome->diverged, 0, 0}, now);
    return wire::Error{"diverged", outcome->diverged + "; start a new incarnation", incarnation,
                       outcome->acked_seq};
  }
  if (outcome->busy) {  // another central has it: resend in a moment, here or there
    return wire::Error{"retry", "another central is applying this store's stream", incarnation,
                       outcome->acked_seq};
  }
  if (outcome->gap) {
    return wire::Error{"gap", "resume after the acknowledged seq", incarnation,
                       outcome->acked_seq};
  }
  return wire::Ack{incarnation, outcome->acked_seq};
}

wire::Message StreamAdmission::Refuse(const std::string& store, const std::string& code,
                                      const std::string& detail, const std::string& incarnation,
                                      int64_t acked, int64_t now) {
  refusals_.Record({code, "", store, "", detail, 0, 0}, now);
  return wire::Error{code, detail, incarnation, acked};
}

void StreamAdmission::RolledBack(const std::string& store, const std::string& detail,
                                 int64_t now) {
  common::LogWarning("store " + store + ": its stream went backwards: " + detail +
                     ". Its edge lost commits (restored backup, torn WAL, power cut) and starts a "
                     "new incarnation; the events central acknowledged stay counted.");
  fleet_.StreamRolledBack(store, detail, now);
}

void StreamAdmission::ApplyFailed(const std::string& store, const common::Status& status,
                                  int64_t now) {
  // Every edge sends again while it lasts: each distinct failure once, not once per batch.
  if (storage_.Failed(status, now)) {
    common::LogError("cannot apply a batch of store " + store + ": " + status.message() +
                     ". Central is not storing: the edges keep their events and send them again "
                     "until a write succeeds (said once while it lasts)");
  }
}

}  // namespace storepulse::central
