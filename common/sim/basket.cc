#include "common/sim/basket.h"

#include <array>
#include <cmath>

#include "common/sim/sim_ids.h"

namespace storepulse::common::sim {
namespace {

// Lines per basket, 1–8: P = .45 .25 .12 .07 .05 .03 .02 .01 (mean 2.24).
constexpr std::array<double, 8> kLineCountCdf = {0.45, 0.70, 0.82, 0.89, 0.94, 0.97, 0.99, 1.00};
// Quantity of a line: 1 2 3 4 6 with P = .80 .14 .04 .01 .01 (mean 1.30).
constexpr std::array<int64_t, 5> kQuantities = {1, 2, 3, 4, 6};
constexpr std::array<double, 5> kQuantityCdf = {0.80, 0.94, 0.98, 0.99, 1.00};
constexpr double kDiscountedLineShare = 0.12;
// Discount of a discounted line, in percent of its gross value.
constexpr std::array<int64_t, 4> kDiscountPercents = {10, 20, 30, 50};
constexpr std::array<double, 4> kDiscountCdf = {0.40, 0.70, 0.90, 1.00};

constexpr uint64_t kChainCustomers = 2'000;  // customers known to every store of the chain
constexpr double kChainCustomerShare = 0.10;

double MeanOf(const std::array<double, 8>& cdf) {
  double mean = 0;
  double previous = 0;
  for (size_t i = 0; i < cdf.size(); ++i) {
    mean += static_cast<double>(i + 1) * (cdf[i] - previous);
    previous = cdf[i];
  }
  return mean;
}

double MeanQuantity() {
  double mean = 0;
  double previous = 0;
  for (size_t i = 0; i < kQuantities.size(); ++i) {
    mean += static_cast<double>(kQuantities[i]) * (kQuantityCdf[i] - previous);
    previous = kQuantityCdf[i];
  }
  return mean;
}

// A skewed index in [0, n): density ∝ 1/√x, so the top 10% of customers make ~32% of visits.
uint64_t RepeatCustomer(SimRandom& rng, uint64_t n) {
  const double u = rng.Uniform();
  return std::min(n - 1, static_cast<uint64_t>(static_cast<double>(n) * u * u));
}

void AppendPadded(uint64_t value, size_t width, std::string* out) {
  const std::string digits = std::to_string(value);
  if (digits.size() < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

}  // namespace

double MeanUnitsPerSale() { return MeanOf(kLineCountCdf) * MeanQuantity(); }

void DrawLines(const SimModel& model, SimRandom& rng, std::vector<Line>* lines) {
  const size_t count = 1 + rng.Pick(kLineCountCdf);
  std::array<size_t, 8> drawn{};
  lines->clear();
  lines->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const size_t index = model.catalogue.Draw(rng);
    const int64_t qty = kQuantities[rng.Pick(kQuantityCdf)];
    const bool discounted = rng.Chance(kDiscountedLineShare);
    size_t same = 0;
    while (same < lines->size() && drawn[same] != index) ++same;
    if (same < lines->size()) {  // the same SKU again: one more on its line
      (*lines)[same].qty += qty;
      continue;
    }
    const Sku& sku = model.catalogue.sku(index);
    const int64_t discount =
        discounted ? qty * sku.unit_price * kDiscountPercents[rng.Pick(kDiscountCdf)] / 100 : 0;
    drawn[lines->size()] = index;
    lines->push_back(Line{sku.id, qty, sku.unit_price, discount});
  }
}

void DrawCustomer(const SimModel& model, SimRandom& rng, bool always_identified, uint64_t number,
                  std::string* out, bool account) {
  out->clear();
  if (!always_identified && !rng.Chance(model.options.identified_share)) return;
  if (rng.Chance(model.options.new_customer_share)) {
    out->append(model.id_prefix).append("N");
    AppendNumber(number, out);
  } else if (rng.Chance(kChainCustomerShare)) {
    out->append("C");
    AppendPadded(RepeatCustomer(rng, kChainCustomers), 6, out);
  } else {
    out->append(model.id_prefix).append(account ? "A" : "C");
    AppendPadded(RepeatCustomer(rng, static_cast<uint64_t>(model.customer_base)), 6, out);
  }
}

void DrawLinkedIds(const SimModel& model, SimRandom& rng, std::string* card, std::string* account) {
  const uint64_t n = RepeatCustomer(rng, static_cast<uint64_t>(model.customer_base));
  card->assign(model.id_prefix).append("C");
  AppendPadded(n, 6, card);
  account->assign(model.id_prefix).append("A");
  AppendPadded(n, 6, account);
}

const std::string& DrawEmployee(const SimModel& model, const DayPlan& plan, int64_t ts,
                                SimRandom& rng) {
  const int64_t n = static_cast<int64_t>(model.employees.size());
  const int64_t on_floor = std::max<int64_t>(1, std::llround(0.4 * static_cast<double>(n)));
  const bool afternoon = plan.open && ts >= plan.open_ms + (plan.close_ms - plan.open_ms) / 2;
  const int64_t first = ((plan.day * 3 + (afternoon ? n / 2 : 0)) % n + n) % n;
  const double u = rng.Uniform();
  const auto rank = static_cast<int64_t>(static_cast<double>(on_floor) * std::pow(u, 1.3));
  return model.employees[static_cast<size_t>((first + rank) % n)];
}

}  // namespace storepulse::common::sim
