#include "common/sim/event_sink.h"

#include "common/sim/sim_ids.h"

namespace storepulse::common::sim {

void EventSink::Name(EventType type, uint64_t number, int64_t ts_ms, Event* event) const {
  FormatId(model_.id_prefix, number, &event->id);
  event->type = type;
  event->ts_ms = ts_ms;
  if (model_.options.set_store_field) event->store = model_.store;
}

Event& EventSink::Add(EventType type, uint64_t number, int64_t ts_ms) {
  keys_.push_back(Key{ts_ms, number, events_.size()});
  Event& event = events_.emplace_back();
  Name(type, number, ts_ms, &event);
  return event;
}

void EventSink::Sort() {
  std::sort(keys_.begin(), keys_.end(), [](const Key& a, const Key& b) {
    return a.ts_ms != b.ts_ms ? a.ts_ms < b.ts_ms : a.number < b.number;
  });
  cursor_ = 0;
}

void EventSink::MoveBefore(int64_t until_ms, EventSink* target) {
  for (; cursor_ < keys_.size() && keys_[cursor_].ts_ms < until_ms; ++cursor_) {
    const Key& key = keys_[cursor_];
    target->keys_.push_back(Key{key.ts_ms, key.number, target->events_.size()});
    target->events_.push_back(std::move(events_[key.index]));
  }
}

void EventSink::Clear() {
  keys_.clear();
  events_.clear();
  cursor_ = 0;
}

}  // namespace storepulse::common::sim
