#include "common/kpi/customer_loyalty.h"

#include <bit>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace storepulse::common {

namespace {

constexpr int64_t kHourMs = 3600 * 1000;

// What one row gathers: each person's channels in its period, and the persons of its previous
// period.
struct LoyaltyRow {
  std::unordered_map<std::string, uint8_t> channels;  // person -> bit per Channel
  std::unordered_set<std::string> previous;
};

// The start of the previous period of store `p`'s rows: a row over a period compares with the
// same length just before it (whole local days when it is whole local days), a day row with the
// local day before, an hour row with the hour before.
int64_t PreviousFrom(GroupBy by, const StorePeriod& p) {
  const TimeZone& zone = *p.source->zone;
  if (by == GroupBy::kDay) return zone.LocalDayStartMs(zone.LocalDayOf(p.from_ms) - 1);
  if (by == GroupBy::kHour) return zone.LocalHourStartMs(p.from_ms) - kHourMs;
  if (p.Aligned()) return zone.LocalDayStartMs(p.first_day - (p.end_day - p.first_day));
  return p.from_ms - (p.to_ms - p.from_ms);
}

// The key of the row whose previous period holds instant `t` of store `s`.
std::string NextRowKey(GroupBy by, const StorePeriod& p, int64_t t) {
  const StoreSource& s = *p.source;
  if (by == GroupBy::kDay) return TimeZone::FormatLocalDate(s.zone->LocalDayOf(t) + 1);
  if (by == GroupBy::kHour) return RowKey(by, s, s.zone->LocalHourStartMs(t) + kHourMs);
  return RowKey(by, s, p.from_ms);
}

Status Gather(GroupBy by, const StorePeriod& p, const Persons& persons,
              std::unordered_map<std::string, LoyaltyRow>* rows) {
  const StoreSource& s = *p.source;
  const int64_t previous_from = PreviousFrom(by, p);
  const bool rolling = by == GroupBy::kDay || by == GroupBy::kHour;  // a row's previous is a row
  return s.customers->ReadChannels(
      BucketOf(previous_from + kBucketMs - 1), BucketOf(p.to_ms + kBucketMs - 1),
      [&](int64_t bucket, const std::string& customer, Channel channel) {
        const int64_t t = bucket * kBucketMs;
        const std::string& person = persons.Resolve(customer);
        if (t >= p.from_ms && t < p.to_ms) {
          (*rows)[RowKey(by, s, t)].channels[person] |= uint8_t(1u << static_cast<int>(channel));
        }
        if (rolling || t < p.from_ms) (*rows)[NextRowKey(by, p, t)].previous.insert(person);
      });
}

}  // namespace

Status AddLoyaltyFigures(const KpiRequest& request, const std::vector<StorePeriod>& periods,
                         const QueryPersons& persons, std::vector<KpiRow>* rows) {
  std::unordered_map<std::string, LoyaltyRow> gathered;
  for (const StorePeriod& p : periods) {
    RETURN_IF_ERROR(Gather(request.by, p, persons.For(*p.source), &gathered));
  }
  for (KpiRow& row : *rows) {
    int64_t persons_seen = 0, omnichannel = 0, previous = 0, retained = 0;
    auto it = gathered.find(row.key);
    if (it != gathered.end()) {
      const LoyaltyRow& r = it->second;
      persons_seen = static_cast<int64_t>(r.channels.size());
      for (const auto& [person, channels] : r.channels) omnichannel += std::popcount(channels) >= 2;
      previous = static_cast<int64_t>(r.previous.size());
      for (const std::string& person : r.previous) retained += r.channels.contains(person);
    }
    row[Kpi::kOmnichannelCustomers] = KpiValue::Integer(omnichannel);
    row[Kpi::kOmnichannelShare] =
        persons_seen == 0 ? KpiValue() : KpiValue::Real(double(omnichannel) / persons_seen);
    row[Kpi::kRetentionRate] =
        previous == 0 ? KpiValue() : KpiValue::Real(double(retained) / previous);
  }
  return OkStatus();
}

}  // namespace storepulse::common
