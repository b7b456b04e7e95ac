#include "common/kpi/customer_rows.h"

#include <cmath>

namespace storepulse::common {

StorePeriod StorePeriod::Split(const StoreSource& s, int64_t from_ms, int64_t to_ms) {
  const TimeZone& zone = *s.zone;
  StorePeriod p;
  p.source = &s;
  p.from_ms = from_ms;
  p.to_ms = to_ms;
  int64_t first = zone.LocalDayOf(from_ms);
  if (zone.LocalDayStartMs(first) < from_ms) ++first;  // the first whole day
  const int64_t end = zone.LocalDayOf(to_ms);          // the day holding `to` is at most partial
  if (first < end) {
    p.first_day = first;
    p.end_day = end;
    const int64_t first_ms = zone.LocalDayStartMs(first), end_ms = zone.LocalDayStartMs(end);
    if (from_ms < first_ms) p.pieces.push_back({first - 1, from_ms, first_ms});
    if (end_ms < to_ms) p.pieces.push_back({end, end_ms, to_ms});
    return p;
  }
  p.first_day = p.end_day = first;
  // No whole day: the period lies in one local day or straddles one midnight.
  int64_t day = zone.LocalDayOf(from_ms);
  for (int64_t at = from_ms; at < to_ms && p.pieces.size() < 3; ++day) {
    const int64_t next = std::min(to_ms, zone.LocalDayStartMs(day + 1));
    p.pieces.push_back({day, at, next});
    at = next;
  }
  return p;
}

void CustomerRow::Touch(const StoreSource* s, int64_t from_day, int64_t to_day) {
  if (store == nullptr) {
    store = s;
    day = from_day;
  }
  many_stores = many_stores || store != s;
  many_days = many_days || day != from_day || to_day != from_day + 1;
}

int64_t CustomerRow::Customers() const {
  if (exact()) return static_cast<int64_t>(seen.size()) + counted;
  return std::llround(sketch.Estimate());
}

std::string RowKey(GroupBy by, const StoreSource& s, int64_t utc_ms) {
  switch (by) {
    case GroupBy::kDay:
      return TimeZone::FormatLocalDate(s.zone->LocalDayOf(utc_ms));
    case GroupBy::kHour:
      return s.zone->FormatLocal(s.zone->LocalHourStartMs(utc_ms));
    case GroupBy::kStore:
      return s.store;
    case GroupBy::kRegion:
      return s.region;
    default:
      return "total";
  }
}

CustomerRow& CustomerRows::Keyed(std::string key) {
  auto [it, fresh] = rows_.try_emplace(std::move(key));
  if (fresh) it->second.sketches = sketches_;
  return it->second;
}

// A month of 1,000 stores looks a row up 30,000 times: by its day, or by its store.
CustomerRow& CustomerRows::At(const StoreSource& s, int64_t day) {
  CustomerRow*& row = by_ == GroupBy::kDay ? day_rows_[day] : store_rows_[&s];
  if (row == nullptr) {
    row = &Keyed(by_ == GroupBy::kDay ? TimeZone::FormatLocalDate(day) : RowKey(by_, s, 0));
  }
  return *row;
}

CustomerRow& CustomerRows::AtInstant(const StoreSource& s, int64_t utc_ms) {
  if (by_ == GroupBy::kHour) return Keyed(RowKey(by_, s, utc_ms));
  return At(s, s.zone->LocalDayOf(utc_ms));
}

void CustomerRows::Plan(const StorePeriod& p) {
  const StoreSource* s = p.source;
  if (by_ == GroupBy::kDay) {
    for (int64_t day = p.first_day; day < p.end_day; ++day) At(*s, day).Touch(s, day, day + 1);
  } else if (p.first_day < p.end_day) {
    At(*s, p.first_day).Touch(s, p.first_day, p.end_day);
  }
  for (const StorePeriod::Piece& piece : p.pieces) {
    At(*s, piece.day).Touch(s, piece.day, piece.day + 1);
  }
}

const CustomerRow* CustomerRows::Find(const std::string& key) const {
  auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

}  // namespace storepulse::common
