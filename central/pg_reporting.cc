#include "central/pg_reporting.h"

#include <set>

#include "central/pg_orders.h"
#include "common/kpi/dimensions.h"
#include "common/log.h"

namespace storepulse::central {

namespace {

std::vector<common::Measure> DayMeasures() {
  std::vector<common::Measure> all;
  for (size_t i = 0; i < common::kMeasureCount; ++i) all.push_back(static_cast<common::Measure>(i));
  return all;
}

std::vector<common::Measure> SkuMeasures() {
  return {common::kSkuMeasures.begin(), common::kSkuMeasures.end()};
}

// A day table and its session's staging table: rows are copied into the staging table, then
// added into the table in one upsert that adds each measure to the row already there, and the
// staging table is emptied. The sum of
// two bigints that leaves the range is SQLSTATE 22003, which fails the statement.
class StagedTable {
 public:
  StagedTable(std::string staging, std::string table, const std::string& keys,
              std::vector<common::Measure> measures)
      : table_(std::move(table)), measures_(std::move(measures)) {
    std::string columns = keys;
    for (common::Measure m : measures_) columns += ", " + std::string(Name(m));
    copy_sql_ = "COPY " + staging + "(" + columns + ") FROM STDIN";
    upsert_sql_ = "INSERT INTO " + table_ + " AS t(" + columns + ") SELECT " + columns + " FROM " +
                  staging + " ON CONFLICT(" + keys + ") DO UPDATE SET ";
    truncate_sql_ = "TRUNCATE " + staging;
    for (size_t i = 0; i < measures_.size(); ++i) {
      const std::string name(Name(measures_[i]));
      upsert_sql_ += (i ? ", " : "") + name + " = t." + name + " + excluded." + name;
    }
  }
  // Ends a row of COPY text whose key columns are written.
  void AppendMeasures(const common::Measures& m, std::string* out) const {
    for (common::Measure measure : measures_) out->append("\t" + std::to_string(m[measure]));
    out->push_back('\n');
  }
  common::Status Write(PgConnection& db, std::string_view rows, const std::string& stores) const {
    RETURN_IF_ERROR(db.CopyIn(copy_sql_, rows, "copy the day figures of " + stores));
    RETURN_IF_ERROR(
        db.Exec(upsert_sql_, "add the day figures of " + stores + " to " + table_).status());
    // Emptied for the next write of this transaction (a savepoint's row by row); a TRUNCATE
    // costs less than deleting each row.
    RETURN_IF_ERROR(db.Exec(truncate_sql_, "empty a staging table").status());
    return common::OkStatus();
  }

 private:
  static std::string_view Name(common::Measure m) {
    return common::kMeasureNames[static_cast<size_t>(m)];
  }
  std::string table_;
  std::vector<common::Measure> measures_;
  std::string copy_sql_, upsert_sql_, truncate_sql_;
};

// "stores S1, S2": who a failed write concerns.
template <typename Map>
std::string StoresOf(const Map& rows) {
  std::set<std::string> stores;
  for (const auto& [key, m] : rows) stores.insert(key.store);
  std::string out;
  for (const std::string& store : stores) out += (out.empty() ? "" : ", ") + store;
  return "store" + std::string(stores.size() > 1 ? "s " : " ") + out;
}

common::Status RowOverflow(const std::string& store, int64_t day, const std::string& row,
                           const common::Status& added) {
  return common::OutOfRange("the day figures of store " + store + ", local day " +
                            common::TimeZone::FormatLocalDate(day) + ", " + row + ": " +
                            added.message());
}

}  // namespace

common::Status PgReportingDeltas::Prepare(PgConnection& db) {
  RETURN_IF_ERROR(  // Emptied at each commit: a temporary table is never vacuumed, so the space
                    // of the rows moved out would stay and every move would scan it.
      db.Exec("CREATE TEMP TABLE incoming_day (LIKE storepulse.store_day) "
              "ON COMMIT DELETE ROWS;"
              "CREATE TEMP TABLE incoming_sku (LIKE storepulse.store_sku_day) "
              "ON COMMIT DELETE ROWS",
              "create the staging tables of the day figures")
          .status());
  return common::OkStatus();
}

common::Status PgReportingDeltas::Fold(const std::string& store, const common::TimeZone& zone,
                                       const std::vector<const common::Event*>& events) {
  auto leave_out = [&](const common::Status& why) {
    common::LogWarning("day figures (docs/SQL.md): " + std::to_string(events.size()) +
                       " events of store " + store + " are left out: " + why.message() +
                       ". The log and the API count them.");
    return common::OkStatus();
  };
  common::MeasureDeltas buckets;
  common::DimensionDeltas dimensions;
  for (const common::Event* event : events) {
    if (auto folded = common::FoldEvent(*event, &buckets); !folded.ok()) return leave_out(folded);
    if (auto folded = common::FoldEventDimensions(*event, &dimensions); !folded.ok()) {
      return leave_out(folded);
    }
  }
  // The sums first, applied only when none overflows: the batch is in the figures or not at all.
  // A day holds the buckets that start in it (common/store/measure_table.cc).
  std::map<DayKey, common::Measures> days;
  std::map<SkuKey, common::Measures> skus;
  for (const auto& [key, m] : buckets) {
    const int64_t day = zone.LocalDayOf(key.bucket * common::kBucketMs);
    const DayKey row{store, day, key.channel};
    auto [sum, fresh] = days.try_emplace(row, days_[row]);
    if (common::Status added = sum->second.Add(m); !added.ok()) {
      return leave_out(RowOverflow(
          store, day, "channel " + std::string(common::ChannelName(key.channel)), added));
    }
  }
  for (const auto& [key, m] : dimensions) {
    if (key.dimension != common::Dimension::kSku) continue;
    const int64_t day = zone.LocalDayOf(key.bucket * common::kBucketMs);
    const SkuKey row{store, day, key.key};
    auto [sum, fresh] = skus.try_emplace(row, skus_[row]);
    if (common::Status added = sum->second.Add(m); !added.ok()) {
      return leave_out(RowOverflow(store, day, "SKU " + key.key, added));
    }
  }
  for (auto& [key, m] : days) days_[key] = m;
  for (auto& [key, m] : skus) skus_[key] = m;
  return common::OkStatus();
}

common::Status PgReportingDeltas::FoldOrders(PgConnection& db, const std::string& store,
                                             const common::TimeZone& zone,
                                             const std::vector<const common::Event*>& events) {
  common::MeasureDeltas buckets;
  common::Status folded = FoldPgOrders(db, store, events, &buckets);
  std::map<DayKey, common::Measures> days;
  for (const auto& [key, m] : buckets) {
    if (!folded.ok()) break;
    const int64_t day = zone.LocalDayOf(key.bucket * common::kBucketMs);
    const DayKey row{store, day, key.channel};
    auto [sum, fresh] = days.try_emplace(row, days_[row]);
    folded = sum->second.Add(m);
  }
  if (folded.code() == common::StatusCode::kOutOfRange) {
    common::LogWarning("day figures (docs/SQL.md): the orders of store " + store +
                       " in a batch are left out: " + folded.message() +
                       ". The log and the API count them.");
    return common::OkStatus();
  }
  RETURN_IF_ERROR(folded);
  for (auto& [key, m] : days) days_[key] = m;
  return common::OkStatus();
}

namespace {

const StagedTable& DayTable() {
  static const StagedTable days("incoming_day", "storepulse.store_day", "store, day, channel",
                                DayMeasures());
  return days;
}

const StagedTable& SkuTable() {
  static const StagedTable skus("incoming_sku", "storepulse.store_sku_day", "store, day, sku",
                                SkuMeasures());
  return skus;
}

void AppendRow(const auto& key, const common::Measures& m, std::string* out) {
  AppendCopyText(key.store, out);
  out->append("\t" + common::TimeZone::FormatLocalDate(key.day) + "\t");
  if constexpr (requires { key.channel; }) {
    out->append(common::ChannelName(key.channel));
    DayTable().AppendMeasures(m, out);
  } else {
    AppendCopyText(key.sku, out);
    SkuTable().AppendMeasures(m, out);
  }
}

// Writes each row on its own, within a savepoint: a row whose stored total would leave the
// bigint range is left out (and said), the others are added.
template <typename Map>
common::Status WriteRowByRow(PgConnection& db, const StagedTable& table, const Map& rows) {
  std::string copy;
  for (const auto& [key, m] : rows) {
    copy.clear();
    AppendRow(key, m, &copy);
    RETURN_IF_ERROR(db.Exec("SAVEPOINT day_row", "begin a day row").status());
    common::Status written = table.Write(db, copy, "store " + key.store);
    if (written.code() != common::StatusCode::kOutOfRange) {
      RETURN_IF_ERROR(written);
      RETURN_IF_ERROR(db.Exec("RELEASE SAVEPOINT day_row", "end a day row").status());
      continue;
    }
    RETURN_IF_ERROR(db.Exec("ROLLBACK TO SAVEPOINT day_row", "leave a day row out").status());
    common::LogWarning("day figures (docs/SQL.md): store " + key.store + ", local day " +
                       common::TimeZone::FormatLocalDate(key.day) + " left out: " +
                       written.message() + ". The log and the API count these events.");
  }
  return common::OkStatus();
}

}  // namespace

common::Status PgReportingDeltas::Flush(PgConnection& db) {
  // The fast way first: one COPY and one upsert per table. A stored total that would leave the
  // bigint range (~10^9 of the largest sales in one store, day and channel) fails it; then row by
  // row, so that only that row is left out: a day figure never stops the log of record.
  RETURN_IF_ERROR(db.Exec("SAVEPOINT day_figures", "begin the day figures").status());
  auto write = [&](const StagedTable& table, const auto& rows) -> common::Status {
    if (rows.empty()) return common::OkStatus();
    copy_.clear();
    for (const auto& [key, m] : rows) AppendRow(key, m, &copy_);
    return table.Write(db, copy_, StoresOf(rows));
  };
  common::Status written = write(DayTable(), days_);
  if (written.ok()) written = write(SkuTable(), skus_);
  if (written.code() == common::StatusCode::kOutOfRange) {
    RETURN_IF_ERROR(db.Exec("ROLLBACK TO SAVEPOINT day_figures", "undo the day figures").status());
    RETURN_IF_ERROR(WriteRowByRow(db, DayTable(), days_));
    RETURN_IF_ERROR(WriteRowByRow(db, SkuTable(), skus_));
  } else {
    RETURN_IF_ERROR(written);
  }
  RETURN_IF_ERROR(db.Exec("RELEASE SAVEPOINT day_figures", "end the day figures").status());
  Clear();
  return common::OkStatus();
}

void PgReportingDeltas::Clear() {
  days_.clear();
  skus_.clear();
}

}  // namespace storepulse::central
