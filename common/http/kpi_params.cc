#include "common/http/kpi_params.h"

#include "common/utf8.h"

namespace storepulse::common {

StatusOr<KpiParams> ReadKpiParams(const QueryParams& params) {
  KpiParams out;
  out.request.from = params.Get("from");
  out.request.to = params.Get("to");
  ASSIGN_OR_RETURN(out.request.by, ParseGroupBy(params.Has("by") ? params.Get("by") : "total"));
  ASSIGN_OR_RETURN(out.compare, ParseCompareWith(params.Get("compare")));
  if (params.Has("margins")) {
    const std::string margins = params.Get("margins");
    if (margins != "0" && margins != "1") {
      return InvalidArgument(
          "margins: 1 (cost and margin in every row) or 0 (not in total, day, "
          "store and region rows), not " +
          QuoteForMessage(margins));
    }
    out.request.margins = margins == "1";
  }
  return out;
}

}  // namespace storepulse::common
