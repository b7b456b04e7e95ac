// The drivers of a net-sales gap (docs/KPIS.md, "Drivers"): why a store, a region or the network
// is behind (or ahead of) a comparison, in money.
//
//   net sales = footfall × conversion × basket − returns
//   conversion = transactions / footfall, basket = gross_sales / transactions
//
// The gross part is split by LMDI (log-mean Divisia): with L = (G₁ − G₀) / (ln G₁ − ln G₀)
// (L = G₁ when G₁ = G₀), each factor X's part is L × ln(X₁ / X₀); the three parts add up to
// G₁ − G₀ exactly, whatever the order of the factors. The returns part is −(R₁ − R₀). The parts are
// then rounded to minor units by largest remainder, so that they add up to the rounded gap to the
// cent. LMDI needs every factor positive on both sides; otherwise (documented fallbacks):
//   - no footfall on either side (no people counter) but sales on both: transactions × basket,
//     the parts "transactions" and "basket";
//   - no sales (or no transactions) on a side: one part "sales", the whole gross change.
// Conversion here is transactions over footfall, every channel's transactions: the KPI
// conversion_rate counts in-store transactions only, so the two differ when there are web sales.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace storepulse::common {

// The figures of one side (doubles: a base scaled to a target is not whole).
struct DriverFigures {
  double footfall = 0;
  double transactions = 0;
  double gross_sales = 0;    // minor units
  double returns_value = 0;  // minor units

  double net_sales() const { return gross_sales - returns_value; }
};

struct DriverPart {
  std::string driver;  // "footfall", "conversion", "basket", "transactions", "sales", "returns"
  int64_t amount = 0;  // minor units; the parts add up to the gap
  // footfall, basket, transactions, returns: X₁ / X₀ − 1; conversion: C₁ − C₀ (a fraction; ×100
  // is points); none when X₀ is 0 or for "sales".
  std::optional<double> change;
};

struct GapDrivers {
  int64_t gap = 0;  // round(net₁ − net₀), minor units
  std::vector<DriverPart> parts;
  std::string method;  // "lmdi", "transactions_basket" or "sales"
};

// `actual` against `base`.
GapDrivers DecomposeGap(const DriverFigures& actual, const DriverFigures& base);

// `base` scaled by k so that its net sales are `net`: every figure × k. `base` unchanged when its
// net sales are not positive (there is nothing to scale).
DriverFigures ScaleToNetSales(const DriverFigures& base, double net);

// Rounds `parts` to integers adding up to `total` exactly (largest remainder). REQUIRES: `total`
// is round(Σ parts).
std::vector<int64_t> RoundParts(const std::vector<double>& parts, int64_t total);

}  // namespace storepulse::common
