#include "central/pg_fleet_sync.h"

#include "common/log.h"

namespace storepulse::central {

namespace {
// The records another central committed within this margin before the last merge are read
// again: a transaction that took the server's time before ours may commit after it.
constexpr int64_t kMergeMarginMs = 5000;
}  // namespace

PgFleetSync::PgFleetSync(std::string conninfo, std::string central, Fleet& fleet,
                         Refusals& refusals, int64_t interval_ms)
    : conninfo_(std::move(conninfo)),
      central_(std::move(central)),
      fleet_(fleet),
      refusals_(refusals),
      interval_ms_(interval_ms) {}

PgFleetSync::~PgFleetSync() { Stop(); }

void PgFleetSync::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PgFleetSync::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PgFleetSync::Run() {
  std::string last_error;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    common::Status synced = Sync();
    if (!synced.ok() && synced.message() != last_error) {
      common::LogWarning("fleet not shared with the other centrals: " + synced.message());
    }
    last_error = synced.ok() ? "" : synced.message();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; });
  }
}

common::Status PgFleetSync::Sync() {
  if (db_ == nullptr || !db_->ok()) {
    ASSIGN_OR_RETURN(db_, PgConnection::Connect(conninfo_));
  }
  for (const auto& [store, record] : fleet_.TakeChanged()) {
    // A failed write loses nothing for long: the store's next heartbeat changes it again.
    RETURN_IF_ERROR(
        db_->Exec("INSERT INTO storepulse.fleet VALUES($1, $2, "
                  "(extract(epoch from clock_timestamp()) * 1000)::bigint, $3, $4::jsonb) "
                  "ON CONFLICT(store) DO UPDATE SET seen_ms = excluded.seen_ms, "
                  "written_ms = excluded.written_ms, central = excluded.central, "
                  "record = excluded.record WHERE excluded.seen_ms >= storepulse.fleet.seen_ms",
                  PgParams()
                      .text(store)
                      .integer(record.value("last_seen_ms", int64_t{0}))
                      .text(central_)
                      .text(record.dump()),
                  "publish a fleet record")
            .status());
  }
  ASSIGN_OR_RETURN(
      PgResult rows,
      db_->Exec("SELECT store, record::text, (extract(epoch from clock_timestamp()) * 1000)::bigint "
                "FROM storepulse.fleet WHERE central <> $1 AND written_ms > $2",
                PgParams().text(central_).integer(merged_to_ms_), "read the others' fleet records"));
  for (int r = 0; r < rows.rows(); ++r) {
    auto record = nlohmann::json::parse(rows.text(r, 1), nullptr, /*allow_exceptions=*/false);
    fleet_.Merge(std::string(rows.text(r, 0)), record);
  }
  if (rows.rows() > 0) {
    merged_to_ms_ = rows.integer(0, 2) - kMergeMarginMs;
  } else {
    ASSIGN_OR_RETURN(PgResult now,
                     db_->Exec("SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint",
                               "read the server's clock"));
    merged_to_ms_ = now.integer(0, 0) - kMergeMarginMs;
  }
  return SyncRefusals();
}

common::Status PgFleetSync::SyncRefusals() {
  // Published when they change, and at least every minute: the others show the refusals of the
  // centrals that published in the last 5 minutes, so a central stopped for good drops out.
  std::string own = refusals_.OwnJson().dump();
  const auto now = std::chrono::steady_clock::now();
  if (own != published_refusals_ || now - published_at_ > std::chrono::minutes(1)) {
    RETURN_IF_ERROR(db_->Exec("INSERT INTO storepulse.shared_state VALUES($1, $2::jsonb, "
                              "(extract(epoch from clock_timestamp()) * 1000)::bigint, $3) "
                              "ON CONFLICT(name) DO UPDATE SET value = excluded.value, "
                              "written_ms = excluded.written_ms",
                              PgParams().text("refusals/" + central_).text(own).text(central_),
                              "publish the refusals")
                        .status());
    published_refusals_ = std::move(own);
    published_at_ = now;
  }
  ASSIGN_OR_RETURN(PgResult others,
                   db_->Exec("SELECT central, value::text FROM storepulse.shared_state WHERE "
                             "name LIKE 'refusals/%' AND central <> $1 AND written_ms > "
                             "(extract(epoch from clock_timestamp()) * 1000)::bigint - 300000",
                             PgParams().text(central_), "read the others' refusals"));
  std::map<std::string, nlohmann::json> by_central;
  for (int r = 0; r < others.rows(); ++r) {
    by_central[std::string(others.text(r, 0))] =
        nlohmann::json::parse(others.text(r, 1), nullptr, false);
  }
  refusals_.SetOthers(std::move(by_central));
  return common::OkStatus();
}

}  // namespace storepulse::central
