// Where the simulator's generators put events: it keeps those inside the window being generated
// ([from, to)), names them from their numbers (sim_ids.h), and hands them out sorted by
// (ts, number) — a total order, so that any split of a period into windows yields the same
// sequence.
//
// Sales, the bulk of the traffic, may be deferred: only their (ts, number) is recorded, and the
// sale is built directly in the output when its turn comes, which saves moving each one.
// Not thread-safe; one per generation call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/sim/sim_model.h"

namespace storepulse::common::sim {

class EventSink {
 public:
  EventSink(const SimModel& model, int64_t from_ms, int64_t to_ms)
      : model_(model), from_ms_(from_ms), to_ms_(to_ms) {}
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;

  bool Wants(int64_t ts_ms) const { return ts_ms >= from_ms_ && ts_ms < to_ms_; }
  // A new event with its id, type, ts and store set. The reference is valid until the next Add.
  // REQUIRES: Wants(ts_ms).
  Event& Add(EventType type, uint64_t number, int64_t ts_ms);
  // Records sale `tag` of the slot, to be built by DrainSortedTo's `build`. REQUIRES: Wants(ts).
  void DeferSale(uint64_t number, int64_t ts_ms, uint64_t tag) {
    keys_.push_back(Key{ts_ms, number, tag | kDeferred});
  }

  // Sorts what was added by (ts, number) and rewinds MoveBefore.
  void Sort();
  // After Sort: moves the next events with ts < until_ms into `target`, numbers kept.
  // REQUIRES: nothing was deferred.
  void MoveBefore(int64_t until_ms, EventSink* target);
  // Sorts and appends everything to `out`; the sink is empty afterwards. A deferred sale is
  // built in place by `build(tag, Event*)`, its id, type, ts and store already set.
  template <typename Build>
  void DrainSortedTo(std::vector<Event>* out, Build&& build);
  void DrainSortedTo(std::vector<Event>* out) {
    DrainSortedTo(out, [](uint64_t, Event*) {});
  }

  size_t size() const { return keys_.size(); }

 private:
  static constexpr uint64_t kDeferred = 1ULL << 63;
  struct Key {
    int64_t ts_ms;
    uint64_t number;
    uint64_t index;  // into events_, or a deferred sale's tag | kDeferred
  };

  void Name(EventType type, uint64_t number, int64_t ts_ms, Event* event) const;
  void Clear();

  const SimModel& model_;
  int64_t from_ms_;
  int64_t to_ms_;
  std::vector<Event> events_;
  std::vector<Key> keys_;
  size_t cursor_ = 0;  // next key MoveBefore hands out
};

template <typename Build>
void EventSink::DrainSortedTo(std::vector<Event>* out, Build&& build) {
  Sort();
  for (const Key& key : keys_) {
    if ((key.index & kDeferred) == 0) {
      out->push_back(std::move(events_[key.index]));
      continue;
    }
    Event& sale = out->emplace_back();
    Name(EventType::kSale, key.number, key.ts_ms, &sale);
    build(key.index & ~kDeferred, &sale);
  }
  Clear();
}

}  // namespace storepulse::common::sim
