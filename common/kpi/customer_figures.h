// Adds the distinct-customer KPIs (common/kpi/customers.h) to the rows of a KPI answer:
// customers, new_customers, recruitment_rate, purchase_frequency and clv. A row of one store and
// one local day (or one hour) is counted exactly; any other row estimates its customers from the
// union of day sketches and says so: "approximate": ["customers", "recruitment_rate",
// "purchase_frequency", "clv"]. new_customers is always exact. Rows keyed by channel, employee or
// SKU get nulls (who bought is kept per store and bucket, not per channel). docs/KPIS.md,
// "Identified customers", has the rules.
#pragma once

#include "common/kpi/kpi_query.h"

namespace storepulse::common {

// REQUIRES: `rows` are the rows RunKpiQuery built for `request` over `stores`. A store without a
// CustomerReader makes every figure null.
Status AddCustomerFigures(const KpiRequest& request, const std::vector<StoreSource>& stores,
                          int64_t now_ms, std::vector<KpiRow>* rows);

}  // namespace storepulse::common
