// Where the simulator's generators put events: it keeps those inside the window being generated
// ([from, to)), names them from their numbers (sim_ids.h), and hands them out sorted by
// (ts, number) — a total order, so that any split of a period into windows yields the same
// sequence. Not thread-safe; one per generation call.
#pragma once

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

  // Sorts what was added by (ts, number) and rewinds MoveBefore.
  void Sort();
  // After Sort: moves the next events with ts < until_ms into `target`, numbers kept.
  void MoveBefore(int64_t until_ms, EventSink* target);
  // Sorts and moves everything to the end of `out`; the sink is empty afterwards.
  void DrainSortedTo(std::vector<Event>* out);

  size_t size() const { return keys_.size(); }

 private:
  struct Key {
    int64_t ts_ms;
    uint64_t number;
    size_t index;  // into events_
  };

  const SimModel& model_;
  int64_t from_ms_;
  int64_t to_ms_;
  std::vector<Event> events_;
  std::vector<Key> keys_;
  size_t cursor_ = 0;  // next key MoveBefore hands out
};

}  // namespace storepulse::common::sim
