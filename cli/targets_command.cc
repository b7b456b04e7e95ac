#include "cli/targets_command.h"

#include "cli/central_view.h"
#include "cli/targets_table.h"

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse targets — KPI targets against the actuals of their current period, from central.\n"
    "\n"
    "Usage: storepulse targets [--central URL] [--json]";

constexpr std::string_view kDetails =
    "Targets come from central's --targets-file (scope,kpi,period,target). Each is judged over\n"
    "its current period — each store's local today, ISO week (Monday to Sunday) or calendar\n"
    "month. Gap = actual − target; gap % = gap / target. A sum (net sales, transactions,\n"
    "footfall…) is expected pro rata to the time elapsed: 40% into the week, 40% of the week's\n"
    "target. A rate or average is judged against the target itself. Within ±5% of what is\n"
    "expected is \"on track\"; better is \"ahead\", worse \"BEHIND\" (better is lower for\n"
    "returns, shrink, cancellations, warehouse share, lateness). A sum already at its target is\n"
    "\"achieved\"; a lower-is-better sum already over it is \"MISSED\".\n"
    "\n"
    "Exit status: 0 answered (whatever the statuses), 1 the request failed, 2 usage error,\n"
    "3 central cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse targets\n"
    "  storepulse targets --central http://central.example:8600 --json\n";

}  // namespace

int RunTargets(const std::vector<std::string>& args, CommandIo& io) {
  return RunCentralView({"targets", kUsage, kDetails, "/api/v1/targets", RenderTargets, {}},
                        args, io);
}

}  // namespace storepulse::cli
