#include "cli/simulate_command.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>

#include "cli/command_line.h"
#include "cli/http_client.h"
#include "cli/live_feeder.h"
#include "cli/number_format.h"
#include "cli/progress.h"
#include "common/event_codec.h"
#include "common/signal_waiter.h"
#include "common/sim/store_simulator.h"
#include "common/time_util.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse simulate — realistic, seeded store traffic, to a file or live to edges.\n"
    "\n"
    "Usage: storepulse simulate --store S --timezone Z [--size X] [--seed N]\n"
    "                           [--days N | --from X [--to Y]] --out FILE.jsonl\n"
    "       storepulse simulate --store S --timezone Z [--size X] [--seed N] --live\n"
    "                           --edge URL [--speed X] [--from X] [--duration S]";

constexpr std::string_view kDetails =
    "Simulates a store's footfall per door and 15 minutes in its local opening hours\n"
    "(Mon–Sat 09:00–20:00, Sun 10:00–18:00), in-store sales converting about 24% of visitors,\n"
    "web and mobile sales, returns, stock receipts and counts, click & collect and\n"
    "ship-from-store orders and feedback. The same store, seed and period always give the same\n"
    "events, with the same ids: writing or sending them twice is harmless.\n"
    "\n"
    "Several stores: repeat --store with one --timezone, --out or --edge per store, in the same\n"
    "order (--size and --seed: once for all, or once per store).\n"
    "\n"
    "File: the events of the period as JSON Lines, ready for `storepulse ingest`. --days N (the\n"
    "default, 1) is the last N local days up to now: from local midnight N-1 days ago. --from and\n"
    "--to take a local date (each store's own midnight) or an RFC 3339 instant; --to defaults to\n"
    "now. --out - writes to standard output.\n"
    "\n"
    "Live: every second, each store's edge receives the events of the simulated time elapsed,\n"
    "with simulated time running --speed times faster than real time from --from (default:\n"
    "today's local midnight, so today's KPIs fill up; `now` starts at the current instant) until\n"
    "it reaches the present, then in real time (--max-ahead lets it run ahead, at most 23 h).\n"
    "Runs until SIGINT/SIGTERM or --duration seconds; an unreachable edge is retried.\n"
    "\n"
    "Exit status: 0 OK, 1 events rejected or an edge refused them, 2 usage error, 3 an edge\n"
    "cannot be reached (live, at the end).\n"
    "\n"
    "Examples:\n"
    "  storepulse simulate --store S1 --timezone Europe/Paris --days 7 --out s1.jsonl\n"
    "  storepulse simulate --store S1 --timezone Europe/Paris --from 2026-11-01 --to 2026-12-01 "
    "\\\n"
    "      --size 20 --seed 3 --out bench.jsonl\n"
    "  storepulse simulate --live --speed 120 \\\n"
    "      --store PAR1 --timezone Europe/Paris --edge http://127.0.0.1:8601 \\\n"
    "      --store NYC1 --timezone America/New_York --edge http://127.0.0.1:8602\n";

struct SimulateFlags {
  std::vector<std::string> stores;
  std::vector<std::string> timezones;
  std::vector<double> sizes;
  std::vector<uint64_t> seeds;
  std::vector<std::string> outs;
  std::vector<std::string> edges;
  int days = 1;
  std::string from;
  std::string to;
  bool live = false;
  double speed = 60;
  int64_t duration_s = 0;
  int64_t max_ahead_min = 0;
  std::string token_file;
  HttpAccessFlags access = {};  // --ca-file only: events go with the producer's token
};

po::options_description SimulateOptions(SimulateFlags* f) {
  po::options_description options;
  options.add_options()("store", po::value(&f->stores), "store id (repeat for several stores)")(
      "timezone", po::value(&f->timezones), "the store's IANA time zone, one per --store")(
      "size", po::value(&f->sizes), "relative traffic, 1.0 = an average store (default 1.0)")(
      "seed", po::value(&f->seeds), "random seed (default 42)")(
      "days", po::value(&f->days)->default_value(f->days), "file: the last N local days up to now")(
      "from", po::value(&f->from), "start: local date, RFC 3339 instant (live: or now)")(
      "to", po::value(&f->to), "file: end, excluded (default now)")(
      "out", po::value(&f->outs), "file: JSON Lines output, one per --store (- for stdout)")(
      "live", po::bool_switch(&f->live), "feed edges live instead of writing files")(
      "edge", po::value(&f->edges), "live: the store's edge URL, one per --store")(
      "speed", po::value(&f->speed)->default_value(f->speed), "live: simulated s per real s")(
      "duration", po::value(&f->duration_s)->default_value(0), "live: stop after S s (0: never)")(
      "max-ahead", po::value(&f->max_ahead_min)->default_value(0),
      "live: minutes the simulation may run ahead of now")(
      "token-file", po::value(&f->token_file), "live: file holding the edges' bearer token");
  options.add(HttpAccessOptions(&f->access, /*read_token=*/false));
  return options;
}

// `values` must hold one value, or one per store.
template <typename T>
common::Status CheckPerStore(const char* flag, const std::vector<T>& values, size_t stores,
                             bool one_for_all) {
  if (values.size() == stores || (one_for_all && values.size() == 1)) return common::OkStatus();
  return common::InvalidArgument(std::string("give one --") + flag + " per --store (" +
                                 std::to_string(stores) + "), got " +
                                 std::to_string(values.size()));
}

common::Status CheckFlags(const SimulateFlags& f, const po::variables_map& values) {
  if (f.stores.empty()) return common::InvalidArgument("missing --store: which store?");
  const size_t n = f.stores.size();
  RETURN_IF_ERROR(CheckPerStore("timezone", f.timezones, n, true));
  if (!f.sizes.empty()) RETURN_IF_ERROR(CheckPerStore("size", f.sizes, n, true));
  if (!f.seeds.empty()) RETURN_IF_ERROR(CheckPerStore("seed", f.seeds, n, true));
  if (f.live) {
    if (!f.outs.empty() || !f.to.empty() || !values["days"].defaulted()) {
      return common::InvalidArgument("--live sends to edges: --out, --to and --days are for files");
    }
    RETURN_IF_ERROR(CheckPerStore("edge", f.edges, n, false));
    if (!(f.speed > 0 && f.speed <= 100'000)) {
      return common::InvalidArgument("--speed must be in (0, 100000]");
    }
    if (f.duration_s < 0 || f.max_ahead_min < 0 || f.max_ahead_min > 23 * 60) {
      return common::InvalidArgument("--duration >= 0 and --max-ahead in [0, 1380] minutes");
    }
    return common::OkStatus();
  }
  if (!f.edges.empty()) return common::InvalidArgument("--edge is for --live");
  RETURN_IF_ERROR(CheckPerStore("out", f.outs, n, false));
  if (!f.from.empty() && !values["days"].defaulted()) {
    return common::InvalidArgument("--days and --from exclude each other");
  }
  if (f.days < 1) return common::InvalidArgument("--days must be at least 1");
  return common::OkStatus();
}

template <typename T>
T PerStore(const std::vector<T>& values, size_t index, T fallback) {
  if (values.empty()) return fallback;
  return values.size() == 1 ? values[0] : values[index];
}

common::StatusOr<common::StoreSimulator> MakeSimulator(const SimulateFlags& f, size_t i) {
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(PerStore(f.timezones, i, {})));
  return common::StoreSimulator::Create(common::SimStore{
      f.stores[i], zone, PerStore(f.sizes, i, 1.0), PerStore<uint64_t>(f.seeds, i, 42)});
}

// A period bound: a local date (the store's midnight), an RFC 3339 instant, or "now".
common::StatusOr<int64_t> ResolveInstant(const std::string& text, const common::TimeZone& zone,
                                         int64_t now_ms) {
  if (text == "now") return now_ms;
  if (text.size() == 10) {
    ASSIGN_OR_RETURN(int64_t day, common::TimeZone::ParseLocalDate(text));
    return zone.LocalDayStartMs(day);
  }
  common::StatusOr<int64_t> instant = common::ParseRfc3339(text);
  if (!instant.ok()) {
    return common::InvalidArgument("\"" + text +
                                   "\" is neither a date YYYY-MM-DD nor an RFC 3339 instant");
  }
  return instant;
}

struct Period {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

common::StatusOr<Period> FilePeriod(const SimulateFlags& f, const common::TimeZone& zone,
                                    int64_t now_ms) {
  Period period{zone.LocalDayStartMs(zone.LocalDayOf(now_ms) - (f.days - 1)), now_ms};
  if (!f.from.empty()) {
    ASSIGN_OR_RETURN(period.from_ms, ResolveInstant(f.from, zone, now_ms));
  }
  if (!f.to.empty()) {
    ASSIGN_OR_RETURN(period.to_ms, ResolveInstant(f.to, zone, now_ms));
  }
  if (period.to_ms <= period.from_ms) {
    return common::InvalidArgument("the period is empty: --to must come after --from");
  }
  return period;
}

}  // namespace
}  // namespace storepulse::cli

namespace storepulse::cli {
namespace {

// Writes the period day by day (bounded memory; the simulator gives the same events in windows).
common::StatusOr<int64_t> WriteEvents(const common::StoreSimulator& sim, Period period,
                                      std::ostream& out) {
  constexpr int64_t kWindowMs = 24 * 3600 * 1000;
  int64_t written = 0;
  for (int64_t t = period.from_ms; t < period.to_ms; t += kWindowMs) {
    const std::vector<common::Event> events =
        sim.Generate(t, std::min(period.to_ms, t + kWindowMs));
    out << common::EncodeJsonLines(events);
    written += static_cast<int64_t>(events.size());
  }
  out.flush();
  if (!out) return common::Unavailable("cannot write the events (disk full?)");
  return written;
}

int RunFiles(const SimulateFlags& f, CommandIo& io) {
  const int64_t now_ms = common::SystemClock().NowMs();
  for (size_t i = 0; i < f.stores.size(); ++i) {
    common::StatusOr<common::StoreSimulator> sim = MakeSimulator(f, i);
    if (!sim.ok()) return ReportUsageError(io.err, "simulate", sim.status());
    common::StatusOr<Period> period = FilePeriod(f, sim->zone(), now_ms);
    if (!period.ok()) return ReportUsageError(io.err, "simulate", period.status());
    std::ofstream file;
    if (f.outs[i] != "-") file.open(f.outs[i], std::ios::binary | std::ios::trunc);
    if (f.outs[i] != "-" && !file) {
      return ReportUsageError(io.err, "simulate",
                              common::InvalidArgument("cannot write " + f.outs[i]));
    }
    std::ostream& out = f.outs[i] == "-" ? io.out : file;
    common::StatusOr<int64_t> written = WriteEvents(*sim, *period, out);
    if (!written.ok()) {
      io.err << "storepulse simulate: " << f.outs[i] << ": " << written.status().message() << "\n";
      return kExitFailed;
    }
    io.err << "simulate: " << f.stores[i] << ": " << GroupThousands(*written) << " events from "
           << sim->zone().FormatLocal(period->from_ms) << " to "
           << sim->zone().FormatLocal(period->to_ms) << " → " << f.outs[i] << "\n";
  }
  return kExitOk;
}

common::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) return common::InvalidArgument("cannot read " + path);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) return common::InvalidArgument("--token-file: " + path + " is empty");
  return token;
}

common::StatusOr<std::vector<LiveStore>> LiveStores(const SimulateFlags& f, int64_t now_ms) {
  std::vector<LiveStore> stores;
  std::string token;
  if (!f.token_file.empty()) {
    ASSIGN_OR_RETURN(token, ReadToken(f.token_file));
  }
  for (size_t i = 0; i < f.stores.size(); ++i) {
    ASSIGN_OR_RETURN(common::StoreSimulator sim, MakeSimulator(f, i));
    const common::TimeZone& zone = sim.zone();
    int64_t start_ms = zone.LocalDayStartMs(zone.LocalDayOf(now_ms));
    if (!f.from.empty()) {
      ASSIGN_OR_RETURN(start_ms, ResolveInstant(f.from, zone, now_ms));
    }
    ASSIGN_OR_RETURN(auto edge, HttpClient::Create(Peer{"edge", f.edges[i], "storepulse-edge", f.access}));
    if (!token.empty()) edge->SetBearerToken(token);
    stores.push_back(LiveStore{std::move(sim), std::move(edge), start_ms});
  }
  return stores;
}

// Asks each edge who it is (GET /api/v1/status): feeding an edge another store's events would
// only collect rejections. An edge not reachable yet is only a warning: it is retried every tick.
common::Status CheckEdges(const std::vector<LiveStore>& stores, CommandIo& io) {
  for (const LiveStore& store : stores) {
    common::StatusOr<nlohmann::json> status = store.edge->GetJson("/api/v1/status");
    if (!status.ok()) {
      io.err << "simulate: warning: " << status.status().message() << " (will retry)\n";
      continue;
    }
    const std::string edge_store = status->value("store", std::string());
    if (!edge_store.empty() && edge_store != store.simulator.store()) {
      return common::InvalidArgument("the edge at " + store.edge->peer().url + " is store " +
                                     edge_store + ", not " + store.simulator.store());
    }
    const std::string zone = status->value("timezone", std::string());
    if (!zone.empty() && zone != store.simulator.zone().name()) {
      io.err << "simulate: warning: the edge of " << store.simulator.store() << " runs in " << zone
             << ", the simulation in " << store.simulator.zone().name() << "\n";
    }
  }
  return common::OkStatus();
}

// Ticks every second until a signal, --duration, or an edge refusing for good.
common::Status RunTicks(const SimulateFlags& f, LiveFeeder& feeder, common::SignalWaiter& signals,
                        CommandIo& io) {
  const int64_t start = SteadyNowMs();
  int64_t last_line = 0;
  for (int64_t tick = 1;; ++tick) {
    RETURN_IF_ERROR(feeder.Tick());
    const int64_t now = SteadyNowMs();
    if (io.err_is_tty) {
      io.err << "\rsimulate: " << feeder.ProgressLine() << "\033[K" << std::flush;
    } else if (now - last_line >= 10'000) {  // a log, not a screen: every 10 s
      io.err << "simulate: " << feeder.ProgressLine() << "\n" << std::flush;
      last_line = now;
    }
    if (f.duration_s > 0 && now - start >= f.duration_s * 1000) return common::OkStatus();
    const int64_t next = start + tick * 1000;
    if (signals.Wait(std::max<int64_t>(0, next - now)) == common::SignalEvent::kStop) {
      return common::OkStatus();
    }
  }
}

int RunLive(const SimulateFlags& f, CommandIo& io) {
  common::SignalWaiter signals;  // before anything else: SIGINT/SIGTERM end the feed cleanly
  const common::SystemClock clock;
  common::StatusOr<std::vector<LiveStore>> stores = LiveStores(f, clock.NowMs());
  if (!stores.ok()) return ReportUsageError(io.err, "simulate", stores.status());
  const common::Status edges = CheckEdges(*stores, io);
  if (!edges.ok()) return ReportUsageError(io.err, "simulate", edges);
  LiveFeeder feeder(std::move(stores).value(), LiveOptions{f.speed, f.max_ahead_min * 60'000, 5000},
                    clock);
  const common::Status status = RunTicks(f, feeder, signals, io);
  if (io.err_is_tty) io.err << "\n";
  io.out << feeder.Summary();
  if (!status.ok()) {
    io.err << "storepulse simulate: " << status.message() << "\n";
    return ExitCodeFor(status);
  }
  bool rejected = false;
  bool unreachable = false;
  for (const LiveStats& stats : feeder.stats()) {
    rejected = rejected || stats.rejected > 0;
    unreachable = unreachable || stats.unreachable;
  }
  return unreachable ? kExitUnreachable : (rejected ? kExitFailed : kExitOk);
}

}  // namespace

int RunSimulate(const std::vector<std::string>& args, CommandIo& io) {
  SimulateFlags flags;
  const po::options_description options = SimulateOptions(&flags);
  const CommandLine line{"simulate", kUsage, options, kDetails};
  auto check = [&](const po::variables_map& values) { return CheckFlags(flags, values); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  return flags.live ? RunLive(flags, io) : RunFiles(flags, io);
}

}  // namespace storepulse::cli
