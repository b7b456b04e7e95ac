#include "central/central_program.h"

namespace storepulse::central {

common::DaemonProgram CentralProgram() {
  return {
      "storepulse-central",
      "storepulse-central — merges the stores' events into network KPIs and watches the fleet.\n"
      "Usage: storepulse-central [--config FILE] [options]\n"
      "SIGHUP re-reads the stores and targets files; SIGTERM stops cleanly.",
      "the central daemon of storepulse: network KPIs, the fleet of stores, alerts",
      "storepulse-central receives every store edge's events over CurveZMQ, authenticating each\n"
      "edge by its public key against the stores file, counts each event exactly once, and\n"
      "serves network, region and store KPIs, the fleet's state, targets and alerts, and an\n"
      "operations dashboard over HTTP. Its log of record is SQLite, or PostgreSQL for several\n"
      "centrals at once (--database).\n"
      "\n"
      "Options are flags or `key = value` lines of the --config file, under the same names; the\n"
      "command line wins. The package's unit runs storepulse-central --config\n"
      "/etc/storepulse/central.conf as user storepulse, after --check-config. SIGHUP (systemctl\n"
      "reload storepulse-central) re-reads the stores and targets files, each kept as it was if\n"
      "the new one is broken; SIGTERM stops cleanly. Exit status: 0 stopped cleanly or\n"
      "configuration OK; 1 cannot start or the configuration is not usable; 2 usage error.\n"
      "\n"
      "A store is added with storepulse stores add LINE, the line storepulse enroll printed on\n"
      "the store's server (storepulse(1)): it appends it to the stores file and reloads central.",
      {{"/etc/storepulse/central.conf", "the configuration: every option, commented, at its default"},
       {"/etc/storepulse/central.key", "central's CURVE secret key (secret-key-file)"},
       {"/etc/storepulse/stores.csv",
        "the stores file: store,public_key,name,region,timezone,area_m2, one edge a row"},
       {"/var/lib/storepulse/central/central.db", "the central database (SQLite)"},
       {"/usr/share/doc/storepulse-central/OPERATIONS.md", "how to install, run and troubleshoot"}},
      {"storepulse(1)", "storepulse-edge(8)", "systemctl(1)", "journalctl(1)",
       "/usr/share/doc/storepulse-cli/ (README.md, OPERATIONS.md, SCALING.md, SQL.md, KPIS.md, "
       "PROTOCOL.md, CLI.md)"},
      "Manual: man storepulse-central. Documentation: "
      "/usr/share/doc/storepulse-central/OPERATIONS.md\n"
      "and /usr/share/doc/storepulse-cli/ (SCALING.md, SQL.md, KPIS.md, PROTOCOL.md…).\n"};
}

}  // namespace storepulse::central
