// StoreSimulator: realistic, seeded traffic of one store for the demo, the tests and the
// benchmarks (SPEC §7) — footfall per door and 15 minutes with a diurnal curve in the store's
// local opening hours, in-store sales converting 20–30% of visitors, web and mobile sales, returns,
// stock receipts, counts and shrink, click & collect and ship-from-store orders, feedback.
// docs/SIMULATOR.md describes the distributions.
//
// Generate(from, to) is a pure function of (store, seed, options, period): the events are the
// same whether a period is generated in one call or as consecutive windows of any size (a live
// feeder asks for the last second every second), and ids ("S1-1970000000123") are stable. Every
// event passes ValidateEvent for the store with a clock at `to` or later.
//
// Immutable after Create; copies share the model. Generate is const and thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/event.h"
#include "common/sim/sim_options.h"
#include "common/status.h"

namespace storepulse::common {

namespace sim {
struct SimModel;
}

class StoreSimulator {
 public:
  // InvalidArgument when the store id is empty or longer than 40 bytes, the size is not in
  // (0, 1000], or an option is out of range (the message names it).
  static StatusOr<StoreSimulator> Create(const SimStore& store, const SimOptions& options = {});

  // The events with ts in [from_ms, to_ms), sorted by (ts, id number).
  std::vector<Event> Generate(int64_t from_ms, int64_t to_ms) const;
  // The events of one local day of the store (TimeZone day numbering).
  std::vector<Event> GenerateDay(int64_t local_day) const;

  const std::string& store() const;
  const TimeZone& zone() const;
  // Rough number of events of an average day, to size buffers.
  double EventsPerDay() const;

 private:
  explicit StoreSimulator(std::shared_ptr<const sim::SimModel> model) : model_(std::move(model)) {}
  std::shared_ptr<const sim::SimModel> model_;
};

}  // namespace storepulse::common
