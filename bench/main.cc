// storepulse-bench: the figures of SPEC §8, each printed as one JSON object per line with the
// reference it is compared with, measured in the same run. Run through bench/run, which builds
// it; `storepulse-bench --help` for the options.
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>

#include "bench/bench_plan.h"
#include "bench/bench_report.h"
#include "bench/central_bench.h"
#include "bench/central_pg_bench.h"
#include "bench/connector_bench.h"
#include "bench/daemons.h"
#include "bench/ingest_bench.h"
#include "bench/kpi_bench.h"
#include "bench/network_kpi_bench.h"
#include "bench/replication_bench.h"
#include "common/store/sqlite_process.h"

namespace sp = storepulse;
namespace bench = storepulse::bench;

namespace {

const char kUsage[] =
    "Usage: storepulse-bench [--full] [--only GROUPS] [--kpi-events N] --work-dir DIR\n"
    "                        [--cache-dir DIR] [--code-tag TAG]\n"
    "  --full         the long version (10 M events of KPI history, 1 M replicated, …)\n"
    "  --only LIST    comma-separated groups: ingest,kpi,network-kpi,replication,central,\n"
    "                 central-pg,connectors (default: all)\n"
    "  --kpi-events N the edge's KPI history in events (1 M, 10 M with --full; SPEC's 50 M by\n"
    "                 hand: 50000000)\n"
    "  --work-dir D   scratch space for databases and logs (emptied before and after)\n"
    "  --cache-dir D  what is kept between runs: the network history (default: in the work dir,\n"
    "                 so not kept)\n"
    "  --code-tag T   the storage code's version: a cached history built by another is rebuilt\n";

struct Options {
  bool full = false;
  std::set<std::string> only;
  std::string work_dir;
  std::string cache_dir;
  std::string code_tag;
  size_t kpi_events = 0;  // 0: the plan's
};

bool ParseOptions(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--full") {
      o->full = true;
    } else if ((arg == "--only" || arg == "--work-dir" || arg == "--cache-dir" ||
                arg == "--code-tag" || arg == "--kpi-events") &&
               i + 1 < argc) {
      std::string value = argv[++i];
      if (arg == "--work-dir") o->work_dir = value;
      if (arg == "--cache-dir") o->cache_dir = value;
      if (arg == "--code-tag") o->code_tag = value;
      if (arg == "--kpi-events") {
        o->kpi_events = std::strtoull(value.c_str(), nullptr, 10);
        if (o->kpi_events == 0) return false;
      }
      std::stringstream groups(value);
      for (std::string g; arg == "--only" && std::getline(groups, g, ',');) o->only.insert(g);
    } else {
      return false;
    }
  }
  return !o->work_dir.empty();
}

// Runs one group if selected; a failure is reported and the other groups still run.
bool Run(const Options& o, const std::string& group, const std::function<sp::common::Status()>& f) {
  if (!o.only.empty() && !o.only.count(group)) return true;
  bench::Stopwatch watch;
  sp::common::Status status;
  try {
    status = f();
  } catch (const std::exception& e) {  // a library's exception: report it, run the next group
    status = sp::common::Internal(std::string("exception: ") + e.what());
  }
  bench::Note(group + " done in " + std::to_string(static_cast<int>(watch.Seconds())) + " s" +
              (status.ok() ? "" : ": FAILED: " + status.message()));
  if (!status.ok()) std::cout << nlohmann::json{{"name", group}, {"error", status.message()}}.dump()
                              << std::endl;
  return status.ok();
}

}  // namespace

int main(int argc, char** argv) {
  storepulse::common::ConfigureSqliteForProcess();  // as the daemons, for the in-process figures
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::cerr << kUsage;
    return 2;
  }
  bench::ScratchDir work(options.work_dir);
  bench::Plan plan =
      bench::MakePlan(options.full, options.work_dir,
                      options.cache_dir.empty() ? options.work_dir + "/cache" : options.cache_dir,
                      options.code_tag);
  if (options.kpi_events > 0) plan.kpi_events = options.kpi_events;
  bench::References refs;
  bool ok = true;
  bool edges = options.only.empty() || options.only.count("ingest");
  // Replication and central compare with the SQLite reference, measured by the ingest group.
  bool references = options.only.count("replication") || options.only.count("central");
  if (!edges && references) options.only.insert("ingest");
  ok &= Run(options, "ingest", [&] { return RunIngestBenches(plan, !edges, &refs); });
  ok &= Run(options, "kpi", [&] { return RunKpiBenches(plan); });
  ok &= Run(options, "network-kpi", [&] { return RunNetworkKpiBenches(plan); });
  ok &= Run(options, "replication", [&] { return RunReplicationBenches(plan, refs); });
  ok &= Run(options, "central", [&] { return RunCentralBenches(plan, refs); });
  // Its own reference (COPY on its own PostgreSQL server), measured in the group.
  ok &= Run(options, "central-pg", [&] { return RunCentralPgBenches(plan); });
  // Its own reference (the same events through POST /api/v1/events), measured in the group.
  ok &= Run(options, "connectors", [&] { return RunConnectorBenches(plan); });
  return ok ? 0 : 1;
}
