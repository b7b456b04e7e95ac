// How the simulator addresses time and names what it generates.
//
// Time is cut into 15-minute UTC slots (slot = floor(ts / 15 min)), the unit the simulator
// generates and the unit of the KPI buckets. Every simulated event has a number,
// slot × 10^6 + seq, unique per store: seq [0, 900000) are the events a slot generates itself
// (footfall, labour, sales, returns, stock, feedback, in a fixed layout), seq [900000, 10^6) the
// life of the orders created in that slot (8 numbers per order; its events may fall in later
// slots). Ids are "<store>-<number, 13 digits>" ("S1-1970000000123"): stable for (store, seed),
// whatever window they were generated in. Pure functions; thread-safe.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace storepulse::common::sim {

inline constexpr int64_t kSlotMs = 15 * 60 * 1000;
inline constexpr int64_t kMinuteMs = 60 * 1000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

inline int64_t SlotOf(int64_t utc_ms) {
  return utc_ms >= 0 ? utc_ms / kSlotMs : -((-utc_ms + kSlotMs - 1) / kSlotMs);
}
inline int64_t SlotStart(int64_t slot) { return slot * kSlotMs; }

inline constexpr uint64_t kSeqPerSlot = 1'000'000;
inline constexpr uint64_t kFootfallSeq = 0;     // + door index
inline constexpr uint64_t kLabourSeq = 15;      // the slot's staff on the floor
inline constexpr uint64_t kSaleSeq = 16;        // + sale index; then returns, stock, feedback
inline constexpr uint64_t kOrderSeq = 900'000;  // + 8 × order index + step
inline constexpr uint64_t kSeqPerOrder = 8;
inline constexpr uint64_t kMaxOrdersPerSlot = (kSeqPerSlot - kOrderSeq) / kSeqPerOrder;

inline uint64_t EventNumber(int64_t slot, uint64_t seq) {
  return static_cast<uint64_t>(slot) * kSeqPerSlot + seq;
}

// Appends `number` zero-padded to 13 digits.
inline void AppendNumber(uint64_t number, std::string* out) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  const size_t length = static_cast<size_t>(end - digits);
  if (length < 13) out->append(13 - length, '0');
  out->append(digits, length);
}

// "<prefix><number>", e.g. ("S1-", 1970000000123) → "S1-1970000000123".
inline void FormatId(const std::string& prefix, uint64_t number, std::string* out) {
  out->reserve(prefix.size() + 13);
  out->assign(prefix);
  AppendNumber(number, out);
}

}  // namespace storepulse::common::sim
