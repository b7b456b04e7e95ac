#include "edge/edge_program.h"

namespace storepulse::edge {

common::DaemonProgram EdgeProgram() {
  return {
      "storepulse-edge",
      "storepulse-edge — captures a store's events offline-first and serves its KPIs.\n"
      "Usage: storepulse-edge --store ID [--timezone ZONE] [--config FILE] [options]",
      "the store daemon of storepulse: events offline-first, live KPIs, replication",
      "storepulse-edge runs on each store's server. It takes the store's sales, returns, "
      "footfall, stock movements, orders and feedback over HTTP (POST /api/v1/events and the\n"
      "connectors of tills and door counters) and ZeroMQ, stores each durably in SQLite before\n"
      "acknowledging it, serves the store's KPIs and its dashboard over HTTP, and replicates\n"
      "every event to storepulse-central over CurveZMQ, buffering while central is unreachable.\n"
      "\n"
      "Options are flags or `key = value` lines of the --config file, under the same names; the\n"
      "command line wins. The package's unit runs storepulse-edge --config\n"
      "/etc/storepulse/edge.conf as user storepulse, after --check-config. SIGTERM finishes the\n"
      "commit in flight and exits. Exit status: 0 stopped cleanly or configuration OK; 1 cannot\n"
      "start or the configuration is not usable; 2 usage error.\n"
      "\n"
      "A store server is enrolled in one command: storepulse enroll --store ID --central\n"
      "HOST:PORT --central-key central.pub writes its keys and edge.conf (storepulse(1)).",
      {{"/etc/storepulse/edge.conf", "the configuration: every option, commented, at its default"},
       {"/etc/storepulse/edge.key", "this edge's CURVE secret key (secret-key-file)"},
       {"/etc/storepulse/central.pub", "central's CURVE public key (central-public-key)"},
       {"/var/lib/storepulse/edge/edge.db", "the edge database (SQLite, write-ahead log beside it)"},
       {"/usr/share/doc/storepulse-edge/OPERATIONS.md", "how to install, run and troubleshoot"}},
      {"storepulse(1)", "storepulse-central(8)", "systemctl(1)", "journalctl(1)",
       "/usr/share/doc/storepulse-cli/ (README.md, OPERATIONS.md, CONNECTORS.md, INGEST.md, "
       "KPIS.md, PROTOCOL.md, CLI.md)"},
      "Manual: man storepulse-edge. Documentation: /usr/share/doc/storepulse-edge/OPERATIONS.md\n"
      "and /usr/share/doc/storepulse-cli/ (CONNECTORS.md, INGEST.md, KPIS.md, PROTOCOL.md…).\n"};
}

}  // namespace storepulse::edge
