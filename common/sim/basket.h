// What a simulated customer buys and who serves them: basket lines (1–8, quantities mostly 1–2,
// occasional discounts, SKUs by popularity), customer ids (anonymous, a known customer with
// repeat visits, or a first-time one) and the employee on the floor. Pure functions of the random
// stream they are given; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/sim/day_plan.h"
#include "common/sim/sim_model.h"
#include "common/sim/sim_random.h"

namespace storepulse::common::sim {

// Expected units of one basket (mean lines × mean quantity).
double MeanUnitsPerSale();

// Fills `lines` with a basket.
void DrawLines(const SimModel& model, SimRandom& rng, std::vector<Line>* lines);

// A customer id for a sale numbered `number` (a first-time customer is named after it), or
// leaves `out` empty for an anonymous store sale. Online buyers are always identified.
// With `account`, a customer of the store's base is named by its web/app account
// ("<prefix>A000123") instead of its loyalty card ("<prefix>C000123"): one person, two ids, which
// the customer_link events of AddCustomerLinks join.
void DrawCustomer(const SimModel& model, SimRandom& rng, bool always_identified, uint64_t number,
                  std::string* out, bool account = false);

// The two ids of one customer of the store's base, drawn as a repeat customer is: its loyalty
// card and its web/app account.
void DrawLinkedIds(const SimModel& model, SimRandom& rng, std::string* card, std::string* account);

// The employee serving at `ts`: about 40% of the staff are on the floor, a morning and an
// afternoon shift that rotate by day, the first on the rota selling the most.
const std::string& DrawEmployee(const SimModel& model, const DayPlan& plan, int64_t ts,
                                SimRandom& rng);

inline const std::string& DrawTill(const SimModel& model, SimRandom& rng) {
  return model.tills[rng.Below(model.tills.size())];
}

}  // namespace storepulse::common::sim
