// Cost of goods sold and margin (docs/KPIS.md, "Cost and margin"), computed when a query is read,
// never folded: each SKU-day row (common/kpi/dimensions.h: SKU rows are kept per local day) costs
// (units sold − units returned) × the unit cost the catalogue (common/reference/catalogue.h) has
// in force on that local day. So a cost changed in the catalogue, or a catalogue that arrives
// late, gives the right figures without refolding, and an edge and central holding the same
// catalogue version give the same numbers for a caught-up store.
//
// A row whose SKU rows include units with no cost in force is not given a wrong margin: its
// `cogs`, `gross_margin` and `margin_rate` are null and `units_without_cost` counts those units
// (sold plus returned). Plain value; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/kpi/kpi_row.h"
#include "common/kpi/measures.h"
#include "common/reference/catalogue.h"
#include "common/status.h"

namespace storepulse::common {

class MarginBook {
 public:
  // `catalogue` may be null (no catalogue: no unit has a cost). Not owned.
  explicit MarginBook(const Catalogue* catalogue) : catalogue_(catalogue) {}

  // Credits the SKU row of `sku` on local day `day` to the answer row `key`. OutOfRange when a
  // sum would leave the int64 range.
  Status Add(const std::string& key, const std::string& sku, int64_t day, const Measures& m);

  // Some store's SKU rows could not be read (a reader without breakdowns): Fill then leaves the
  // four KPIs null rather than cost part of the units.
  void MarkIncomplete() { incomplete_ = true; }

  // Sets the four cost and margin KPIs of every row from what was added under its key (a row
  // with nothing added costs 0): gross_margin = net_sales − cogs, margin_rate = gross_margin /
  // net_sales (null when net sales are 0).
  void Fill(std::vector<KpiRow>* rows) const;

 private:
  struct Sums {
    int64_t cogs = 0;
    int64_t units_without_cost = 0;
  };
  const Catalogue* catalogue_;
  std::map<std::string, Sums> sums_;
  bool incomplete_ = false;
};

// The four cost and margin KPIs of `row` left null (a grouping or a period they do not apply to).
void ClearMargin(KpiRow* row);

// Without a catalogue's costs: units_without_cost is every unit sold or returned, the rest null.
void MarginWithoutCosts(KpiRow* row);

}  // namespace storepulse::common
