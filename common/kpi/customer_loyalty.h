// Omnichannel customers and retention (issue 15), added to the rows of a KPI answer:
//   omnichannel_customers  persons who bought on two or more channels in the row's period;
//   omnichannel_share      omnichannel_customers / persons who bought in the row's period;
//   retention_rate         persons of the previous period of the same length who bought again
//                          in the row's period / persons of the previous period.
// Persons after links (query_persons.h). Exact, from the customers' channels per 15-minute
// bucket (common/store/customer_identity.h): distinct counts over sets, never sums of the
// stores' or days' figures. docs/KPIS.md, "One customer across identities", has the rules.
// Internal to common/kpi; one query, one thread.
#pragma once

#include <vector>

#include "common/kpi/customer_rows.h"
#include "common/kpi/kpi_query.h"
#include "common/kpi/query_persons.h"

namespace storepulse::common {

// REQUIRES: `rows` keyed by `request.by` over `periods` (customer_figures.cc), a grouping with
// customers (not channel, employee or SKU).
Status AddLoyaltyFigures(const KpiRequest& request, const std::vector<StorePeriod>& periods,
                         const QueryPersons& persons, std::vector<KpiRow>* rows);

}  // namespace storepulse::common
