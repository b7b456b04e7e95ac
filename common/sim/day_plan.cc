#include "common/sim/day_plan.h"

#include <algorithm>
#include <string>

#include "common/sim/sim_random.h"
#include "common/sim/traffic_curves.h"

namespace storepulse::common::sim {
namespace {

// The zone's UTC offset at `utc_ms`, read from the "+02:00" that FormatLocal ends with.
int64_t UtcOffsetMs(const TimeZone& zone, int64_t utc_ms) {
  const std::string local = zone.FormatLocal(utc_ms);
  const std::string_view tail = std::string_view(local).substr(local.size() - 6);
  const int64_t minutes =
      ((tail[1] - '0') * 10 + (tail[2] - '0')) * 60 + (tail[4] - '0') * 10 + (tail[5] - '0');
  return (tail[0] == '-' ? -minutes : minutes) * kMinuteMs;
}

// UTC instant of local wall-clock minute `minute` of the day [start_ms, end_ms).
int64_t WallToUtc(const TimeZone& zone, int64_t day, int64_t start_ms, int64_t end_ms, int minute) {
  const int64_t guess = start_ms + minute * kMinuteMs;
  if (end_ms - start_ms == kDayMs) return guess;  // no transition on this day
  const int64_t local = day * kDayMs + minute * kMinuteMs;
  const int64_t first = local - UtcOffsetMs(zone, guess);
  return local - UtcOffsetMs(zone, first);
}

bool IsHoliday(int64_t day) {
  const std::string date = TimeZone::FormatLocalDate(day);  // "2026-12-25"
  const std::string_view month_day = std::string_view(date).substr(date.size() - 5);
  return month_day == "01-01" || month_day == "05-01" || month_day == "12-25";
}

int64_t CeilToSlot(int64_t ms) { return SlotStart(SlotOf(ms + kSlotMs - 1)); }

void SetOpeningHours(const SimModel& model, DayPlan* plan) {
  const int open_min = model.options.hours.open_min[plan->weekday];
  const int close_min = model.options.hours.close_min[plan->weekday];
  if (open_min >= close_min) return;
  if (model.options.closed_on_holidays && IsHoliday(plan->day)) return;
  const int64_t open_exact =
      WallToUtc(model.zone, plan->day, plan->start_ms, plan->end_ms, open_min);
  plan->open_ms = CeilToSlot(open_exact);
  plan->close_ms =
      SlotStart(SlotOf(WallToUtc(model.zone, plan->day, plan->start_ms, plan->end_ms, close_min)));
  plan->open = plan->close_ms > plan->open_ms;
  plan->open_wall_min = open_min + static_cast<int>((plan->open_ms - open_exact) / kMinuteMs);
  if (!plan->open) return;
  for (int64_t s = plan->open_ms; s < plan->close_ms; s += kSlotMs) {
    plan->curve_total += FootfallCurve(plan->open_wall_min + (s - plan->open_ms) / kMinuteMs + 7.5);
  }
  if (plan->weekday <= 5 && plan->open_ms - kHourMs >= plan->start_ms) {
    plan->delivery_ms = plan->open_ms - kHourMs;
  }
  if (plan->weekday == 0 && plan->open_ms - 90 * kMinuteMs >= plan->start_ms) {
    plan->count_ms = plan->open_ms - 90 * kMinuteMs;
  }
}

DayPlan BuildPlan(const SimModel& model, int64_t day) {
  DayPlan plan;
  plan.day = day;
  plan.weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  plan.start_ms = model.zone.LocalDayStartMs(day);
  plan.end_ms = model.zone.LocalDayStartMs(day + 1);
  SetOpeningHours(model, &plan);
  SimRandom rng(StreamKey(model.key, Stream::kDay, day));
  plan.visitors =
      model.visitors_per_day * kWeekdayFootfall[plan.weekday] * rng.LogNormalFactor(0.08);
  plan.conversion = model.options.conversion * (0.9 + 0.2 * rng.Uniform());
  plan.online_factor = kWeekdayOnline[plan.weekday] * rng.LogNormalFactor(0.10);
  return plan;
}

}  // namespace

double DayPlan::FootfallShare(int64_t slot_start) const {
  if (curve_total <= 0) return 0;
  return FootfallCurve(open_wall_min + (slot_start - open_ms) / kMinuteMs + 7.5) / curve_total;
}

int DayPlan::Quarter(int64_t slot_start) const {
  return static_cast<int>(
      std::clamp<int64_t>((slot_start - start_ms) / kSlotMs, 0, kQuartersPerDay - 1));
}

const DayPlan& PlanCache::ForDay(int64_t local_day) {
  auto found = by_day_.find(local_day);
  if (found != by_day_.end()) return found->second;
  const DayPlan& plan = by_day_.emplace(local_day, BuildPlan(model_, local_day)).first->second;
  by_start_.emplace(plan.start_ms, &plan);
  return plan;
}

const DayPlan& PlanCache::ForInstant(int64_t utc_ms) {
  auto after = by_start_.upper_bound(utc_ms);
  if (after != by_start_.begin()) {
    const DayPlan& plan = *std::prev(after)->second;
    if (utc_ms < plan.end_ms) return plan;
  }
  return ForDay(model_.zone.LocalDayOf(utc_ms));
}

int64_t NextOpen(PlanCache& plans, int64_t t) {
  for (int days = 0; days < 15; ++days) {
    const DayPlan& plan = plans.ForInstant(t);
    if (plan.open && t < plan.close_ms) return std::max(t, plan.open_ms);
    t = plan.end_ms;
  }
  return -1;
}

int64_t AddOpenMinutes(PlanCache& plans, int64_t t, int64_t minutes) {
  int64_t remaining = minutes * kMinuteMs;
  for (int days = 0; days < 30; ++days) {
    t = NextOpen(plans, t);
    if (t < 0) return -1;
    const int64_t available = plans.ForInstant(t).close_ms - t;
    if (remaining < available) return t + remaining;
    remaining -= available;
    t += available;
  }
  return -1;
}

}  // namespace storepulse::common::sim
