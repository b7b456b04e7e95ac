// The parameters of GET /api/v1/kpi that edge and central share (SPEC §6): from, to, by,
// compare and margins (1, the default, or 0: KpiRequest::margins), read and parsed once. A refusal
// is InvalidArgument naming the parameter. Plain value.
#pragma once

#include "common/http/query_params.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"

namespace storepulse::common {

struct KpiParams {
  KpiRequest request;  // from, to (as given) and by (total when absent)
  CompareWith compare = CompareWith::kNone;
};

// REQUIRES: `params` was read with kFromParam, kToParam, kByParam and kCompareParam (and
// kMarginsParam, or margins stay on).
StatusOr<KpiParams> ReadKpiParams(const QueryParams& params);

}  // namespace storepulse::common
