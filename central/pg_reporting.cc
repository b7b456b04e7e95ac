#include "central/pg_reporting.h"

#include <set>

#include "common/kpi/dimensions.h"

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
// moved into the table in one upsert that adds each measure to the row already there. The sum of
// two bigints that leaves the range is SQLSTATE 22003, which fails the statement.
class StagedTable {
 public:
  StagedTable(std::string staging, std::string table, const std::string& keys,
              std::vector<common::Measure> measures)
      : table_(std::move(table)), measures_(std::move(measures)) {
    std::string columns = keys;
    for (common::Measure m : measures_) columns += ", " + std::string(Name(m));
    copy_sql_ = "COPY " + staging + "(" + columns + ") FROM STDIN";
    upsert_sql_ = "WITH moved AS (DELETE FROM " + staging + " RETURNING *) INSERT INTO " + table_ +
                  " AS t(" + columns + ") SELECT " + columns + " FROM moved " + "ON CONFLICT(" +
                  keys + ") DO UPDATE SET ";
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
    ASSIGN_OR_RETURN(PgResult added,
                     db.Exec(upsert_sql_, "add the day figures of " + stores + " to " + table_));
    (void)added;
    return common::OkStatus();
  }

 private:
  static std::string_view Name(common::Measure m) {
    return common::kMeasureNames[static_cast<size_t>(m)];
  }
  std::string table_;
  std::vector<common::Measure> measures_;
  std::string copy_sql_, upsert_sql_;
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
  ASSIGN_OR_RETURN(PgResult created,
                   db.Exec("CREATE TEMP TABLE incoming_day (LIKE storepulse.store_day);"
                           "CREATE TEMP TABLE incoming_sku (LIKE storepulse.store_sku_day)",
                           "create the staging tables of the day figures"));
  (void)created;
  return common::OkStatus();
}

common::Status PgReportingDeltas::Fold(const std::string& store, const common::TimeZone& zone,
                                       const std::vector<const common::Event*>& events) {
  common::MeasureDeltas buckets;
  common::DimensionDeltas dimensions;
  for (const common::Event* event : events) {
    RETURN_IF_ERROR(common::FoldEvent(*event, &buckets));
    RETURN_IF_ERROR(common::FoldEventDimensions(*event, &dimensions));
  }
  // A day holds the buckets that start in it (common/store/measure_table.cc).
  for (const auto& [key, m] : buckets) {
    const int64_t day = zone.LocalDayOf(key.bucket * common::kBucketMs);
    if (common::Status added = days_[DayKey{store, day, key.channel}].Add(m); !added.ok()) {
      return RowOverflow(store, day, "channel " + std::string(common::ChannelName(key.channel)),
                         added);
    }
  }
  for (const auto& [key, m] : dimensions) {
    if (key.dimension != common::Dimension::kSku) continue;
    const int64_t day = zone.LocalDayOf(key.bucket * common::kBucketMs);
    if (common::Status added = skus_[SkuKey{store, day, key.key}].Add(m); !added.ok()) {
      return RowOverflow(store, day, "SKU " + key.key, added);
    }
  }
  return common::OkStatus();
}

common::Status PgReportingDeltas::Flush(PgConnection& db) {
  static const StagedTable days("incoming_day", "storepulse.store_day", "store, day, channel",
                                DayMeasures());
  static const StagedTable skus("incoming_sku", "storepulse.store_sku_day", "store, day, sku",
                                SkuMeasures());
  if (!days_.empty()) {
    copy_.clear();
    for (const auto& [key, m] : days_) {
      AppendCopyText(key.store, &copy_);
      copy_.append("\t" + common::TimeZone::FormatLocalDate(key.day) + "\t");
      copy_.append(common::ChannelName(key.channel));
      days.AppendMeasures(m, &copy_);
    }
    RETURN_IF_ERROR(days.Write(db, copy_, StoresOf(days_)));
  }
  if (!skus_.empty()) {
    copy_.clear();
    for (const auto& [key, m] : skus_) {
      AppendCopyText(key.store, &copy_);
      copy_.append("\t" + common::TimeZone::FormatLocalDate(key.day) + "\t");
      AppendCopyText(key.sku, &copy_);
      skus.AppendMeasures(m, &copy_);
    }
    RETURN_IF_ERROR(skus.Write(db, copy_, StoresOf(skus_)));
  }
  Clear();
  return common::OkStatus();
}

void PgReportingDeltas::Clear() {
  days_.clear();
  skus_.clear();
}

}  // namespace storepulse::central
