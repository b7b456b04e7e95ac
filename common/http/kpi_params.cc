#include "common/http/kpi_params.h"

namespace storepulse::common {

StatusOr<KpiParams> ReadKpiParams(const QueryParams& params) {
  KpiParams out;
  out.request.from = params.Get("from");
  out.request.to = params.Get("to");
  ASSIGN_OR_RETURN(out.request.by, ParseGroupBy(params.Has("by") ? params.Get("by") : "total"));
  ASSIGN_OR_RETURN(out.compare, ParseCompareWith(params.Get("compare")));
  return out;
}

}  // namespace storepulse::common
