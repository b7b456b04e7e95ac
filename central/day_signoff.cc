#include "central/day_signoff.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "central/central_day_figures.h"
#include "central/pg_day_store.h"
#include "common/event_codec.h"
#include "common/event_validator.h"
#include "common/log.h"
#include "common/protocol/message_rules.h"
#include "common/time_zone.h"

namespace storepulse::central {

namespace wire = common::wire;

namespace {

// As for the stream (central/replication_server.cc): a week of edge clock skew on top of 24 h.
constexpr int64_t kEdgeClockSkewMs = 7LL * 24 * 3600 * 1000;
constexpr int64_t kDefaultDays = 7;
constexpr int64_t kMaxDays = 366;

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

nlohmann::json FiguresJson(const common::DayFigures& f) {
  return {{"events", f.events}, {"totals", f.totals}, {"ids_hash", f.ids_hash}};
}

nlohmann::json Time(int64_t ms) {
  return ms > 0 ? nlohmann::json(common::FormatRfc3339Utc(ms)) : nlohmann::json(nullptr);
}

}  // namespace

DayDecision DecideDay(const std::optional<DayRecord>& previous, const std::string& store,
                      const std::string& day, const common::DayFigures& edge,
                      const common::DayFigures& central, int64_t now_ms) {
  DayRecord r = previous.value_or(DayRecord{});
  r.store = store;
  r.day = day;
  // The edge's figures of a certified day moved: a late event re-opened it.
  const bool reopened = previous && previous->status == "certified" && previous->edge != edge;
  if (reopened) {
    ++r.reopened;
    r.reopened_ms = now_ms;
  }
  r.edge = edge;
  r.central = central;
  r.received_ms = now_ms;
  const std::vector<std::string> differences = common::DescribeDayDifferences(edge, central);
  if (differences.empty()) {
    r.status = "certified";
    r.certified_ms = now_ms;
    r.resend_requested = false;
    r.detail.clear();
    return {r, "certified"};
  }
  r.detail = Join(differences);
  if (previous && previous->resend_requested) {  // the edge sent the day again: still different
    r.status = "differs";
    r.resend_requested = false;  // a later certificate (the edge's figures changed) tries again
    return {r, "differs"};
  }
  r.resend_requested = true;
  r.status = reopened || (previous && previous->status == "reopened") ? "reopened" : "pending";
  return {r, "resend"};
}

DaySignoff::DaySignoff(DaySignoffOptions options, DirectoryFn directory, BatchApplier& applier,
                       Fleet& fleet, Refusals& refusals, const common::Clock& clock)
    : options_(std::move(options)),
      directory_(std::move(directory)),
      applier_(applier),
      fleet_(fleet),
      refusals_(refusals),
      clock_(clock) {}

DaySignoff::~DaySignoff() { Stop(); }

common::Status DaySignoff::Start() {
  if (options_.pg_conninfo.empty()) {
    ASSIGN_OR_RETURN(store_, SqliteDayStore::Open(options_.days_db));
  } else {
    ASSIGN_OR_RETURN(store_, PgDayStore::Open(options_.pg_conninfo));
  }
  ASSIGN_OR_RETURN(std::vector<DayRecord> records, store_->List("", "", ""));
  std::string last;
  for (const DayRecord& r : records) {
    if (r.store != last) Publish(r.store);
    last = r.store;
  }
  thread_ = std::thread([this] { Run(); });
  return common::OkStatus();
}

void DaySignoff::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool DaySignoff::Handle(const std::string& peer, const std::string& store,
                        const wire::Message& message, const Reply& reply) {
  if (const auto* events = std::get_if<wire::DayEvents>(&message)) {
    HandleEvents(peer, store, *events, reply);
    return true;
  }
  const auto* certificate = std::get_if<wire::DayCertificate>(&message);
  if (certificate == nullptr) return false;
  if (common::Status valid = wire::CheckDayCertificate(*certificate); !valid.ok()) {
    // Counted, not answered: the edge sends it again later (as an absurd heartbeat).
    refusals_.Record({"malformed", "", store, "", valid.message(), 0, 0}, clock_.NowMs());
    return true;
  }
  {
    std::lock_guard lock(mu_);
    if (jobs_.size() >= options_.max_queued) return true;  // the edge asks again after a minute
    jobs_.push_back(Job{peer, store, *certificate, reply});
  }
  wake_.notify_one();
  return true;
}

void DaySignoff::HandleEvents(const std::string& peer, const std::string& store,
                              const wire::DayEvents& m, const Reply& reply) {
  const int64_t now = clock_.NowMs();
  auto refuse = [&](const std::string& why) {
    refusals_.Record({"malformed", "", store, "", why, 0, 0}, now);
    reply(peer, wire::Error{"malformed", why, m.tag, 0});
  };
  if (common::Status valid = wire::CheckDayEvents(m); !valid.ok()) return refuse(valid.message());
  auto directory = directory_();
  const StoreEntry* entry = directory->FindByStore(store);
  if (entry == nullptr) return;  // removed from the stores file meanwhile
  StreamBatch batch{{store, m.tag}, m.first_seq, {}, 0, &entry->zone};
  batch.events.reserve(m.events.size());
  for (const std::string& body : m.events) {
    auto event = common::DecodeStored(body);
    if (!event.ok()) return refuse("undecodable event: " + event.status().message());
    if (!event->store.empty() && event->store != store) {
      return refuse("event " + event->id + " names store " + event->store + "; nothing stored");
    }
    common::Status valid = common::ValidateEvent(*event, {store, now, kEdgeClockSkewMs});
    if (!valid.ok()) return refuse("invalid event " + event->id + ": " + valid.message());
    batch.events.push_back(std::move(event).value());
  }
  const std::string day = m.day;
  const std::string tag = m.tag;
  applier_.Submit(std::move(batch), [reply, peer, directory, store, day,
                                     tag](common::StatusOr<ApplyOutcome> outcome) {
    if (!outcome.ok() || outcome->gap || outcome->busy || !outcome->diverged.empty()) {
      const std::string why = !outcome.ok()   ? outcome.status().message()
                              : outcome->gap  ? "a part of the resend is missing"
                              : outcome->busy ? "another central is applying it"
                                              : outcome->diverged;
      reply(peer,
            wire::DayVerdict{day, "resend", "central could not apply the resent events: " + why});
      return;
    }
    if (outcome->applied > 0) {
      common::LogWarning("day sign-off: store " + store + " re-sent " + day + ": " +
                         std::to_string(outcome->applied) +
                         " of its events were missing at central and are now counted");
    }
    reply(peer, wire::Ack{tag, outcome->acked_seq});
  });
}

void DaySignoff::Run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Compare(job);
  }
}

void DaySignoff::Compare(const Job& job) {
  const wire::DayCertificate& c = job.certificate;
  auto directory = directory_();
  const StoreEntry* entry = directory->FindByStore(job.store);
  auto day = common::TimeZone::ParseLocalDate(c.day);
  if (entry == nullptr || !day.ok()) return;
  if (options_.catch_up) options_.catch_up();
  common::StatusOr<common::DayFigures> central = common::Unavailable("not read");
  try {
    if (!central_) {
      central_ =
          std::make_unique<SQLite::Database>(options_.central_db, SQLite::OPEN_READONLY, 5000);
    }
    central = ReadCentralDayFigures(*central_, job.store, entry->zone, *day);
  } catch (const std::exception& e) {
    central = common::Unavailable(e.what());
  }
  if (!central.ok()) {  // unanswered: the edge sends the certificate again
    central_.reset();
    common::LogWarning("day sign-off: cannot read " + c.day + " of store " + job.store + ": " +
                       central.status().message());
    return;
  }
  auto previous = store_->Get(job.store, c.day);
  if (!previous.ok()) {
    common::LogWarning("day sign-off: " + previous.status().message());
    return;
  }
  const common::DayFigures edge{c.events, c.totals, c.ids_hash};
  DayDecision decision = DecideDay(*previous, job.store, c.day, edge, *central, clock_.NowMs());
  if (common::Status put = store_->Put(decision.record); !put.ok()) {
    common::LogWarning("day sign-off: " + put.message());
    return;
  }
  Publish(job.store);
  if (decision.verdict == "resend") {
    common::LogWarning("day sign-off: store " + job.store + ", " + c.day +
                       ": central's figures differ from the edge's (" + decision.record.detail +
                       "); asking the edge to send that day's events again");
  } else if (decision.verdict == "differs") {
    common::LogError("day sign-off: store " + job.store + ", " + c.day +
                     " still differs after the edge sent its events again: " +
                     decision.record.detail + " (alert day_differs)");
  }
  job.reply(job.peer, wire::DayVerdict{c.day, decision.verdict, decision.record.detail});
}

void DaySignoff::Publish(const std::string& store) {
  auto records = store_->List(store, "", "");
  if (!records.ok()) return;
  std::string last_certified;
  nlohmann::json differs = nlohmann::json::array();
  for (const DayRecord& r : *records) {
    if (r.status == "certified") last_certified = r.day;  // listed by day
    if (r.status == "differs") differs.push_back({{"day", r.day}, {"detail", r.detail}});
  }
  fleet_.SetDaySignoff(
      store, {{"last_certified_day",
               last_certified.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_certified)},
              {"differs", differs}});
}

common::StatusOr<nlohmann::json> DaySignoff::Days(const std::string& store, const std::string& from,
                                                  const std::string& to, int64_t now_ms) {
  auto directory = directory_();
  std::vector<const StoreEntry*> stores;
  if (!store.empty()) {
    const StoreEntry* entry = directory->FindByStore(store);
    if (entry == nullptr) return common::NotFound("no store " + store + " in the stores file");
    stores.push_back(entry);
  } else {
    for (const StoreEntry& entry : directory->stores()) stores.push_back(&entry);
  }
  std::optional<int64_t> from_day, to_day;
  if (!from.empty()) {
    auto parsed = common::TimeZone::ParseLocalDate(from);
    if (!parsed.ok()) return common::InvalidArgument("from: " + parsed.status().message());
    from_day = *parsed;
  }
  if (!to.empty()) {
    auto parsed = common::TimeZone::ParseLocalDate(to);
    if (!parsed.ok()) return common::InvalidArgument("to: " + parsed.status().message());
    to_day = *parsed;
  }
  // Only the rows that can be shown: without `from`, a day of slack for the stores' zones.
  const std::string lower = from_day
                                ? from
                                : common::TimeZone::FormatLocalDate(
                                      (to_day ? *to_day : now_ms / 86'400'000) - kDefaultDays - 2);
  ASSIGN_OR_RETURN(std::vector<DayRecord> records, store_->List(store, lower, to));
  std::map<std::pair<std::string, std::string>, const DayRecord*> by_day;
  for (const DayRecord& r : records) by_day[{r.store, r.day}] = &r;
  nlohmann::json rows = nlohmann::json::array();
  std::map<std::string, int64_t> counts;
  for (const StoreEntry* entry : stores) {
    const int64_t yesterday = entry->zone.LocalDayOf(now_ms) - 1;
    const int64_t last = to_day.value_or(yesterday);
    const int64_t first = from_day.value_or(last - kDefaultDays + 1);
    if (last < first) return common::InvalidArgument("from is after to");
    if (last - first + 1 > kMaxDays) {
      return common::InvalidArgument("at most 366 days at once");
    }
    for (int64_t d = first; d <= last; ++d) {
      const std::string date = common::TimeZone::FormatLocalDate(d);
      nlohmann::json row = {{"store", entry->store}, {"day", date}};
      auto it = by_day.find({entry->store, date});
      if (it == by_day.end()) {
        row["status"] = "not_certified";
        ++counts["not_certified"];
        rows.push_back(row);
        continue;
      }
      const DayRecord& r = *it->second;
      row["status"] = r.status;
      ++counts[r.status];
      row["events"] = r.edge.events;
      row["received"] = Time(r.received_ms);
      row["certified"] = Time(r.certified_ms);
      row["reopened"] = r.reopened;
      row["last_reopened"] = Time(r.reopened_ms);
      if (r.status != "certified") {
        row["detail"] = r.detail;
        row["edge"] = FiguresJson(r.edge);
        row["central"] = FiguresJson(r.central);
      }
      rows.push_back(row);
    }
  }
  nlohmann::json summary = nlohmann::json::object();
  for (const char* s : {"certified", "differs", "pending", "reopened", "not_certified"}) {
    summary[s] = counts[s];
  }
  return nlohmann::json{{"days", rows}, {"summary", summary}};
}

}  // namespace storepulse::central
