// storepulse-central's configuration, declared once: each field is a flag and a key of the
// `--config` INI file with the same name (SPEC §6), with its default here. Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>

#include "common/config/http_security.h"
#include "common/http/http_limits.h"
#include "common/status.h"

namespace storepulse::central {

struct CentralConfig {
  std::string data_dir = "/var/lib/storepulse/central";  // holds central.db
  // The log of record: empty or sqlite:///DIR/central.db, or postgresql://… (central/
  // database_url.h); with PostgreSQL, data_dir holds this central's read model.
  std::string database;
  std::string listen = "tcp://*:7600";                   // replication ROUTER (CURVE)
  std::string http_listen = "127.0.0.1:8600";            // HTTP API and ops dashboard
  // HTTPS, the read token and plain HTTP off loopback (common/config/http_security.h).
  common::HttpSecurityConfig http_security;
  std::string secret_key_file = "/etc/storepulse/central.key";  // central's CURVE secret key
  std::string stores_file = "/etc/storepulse/stores.csv";       // edges allowed, re-read on SIGHUP
  std::string targets_file;  // CSV scope,kpi,period,target, re-read on SIGHUP; empty: none
  // JSON reference documents published as they are (central/documents_file.h); empty: none.
  std::string documents_file;
  // CSV name,audience,title,kpis,by,period,scope of the reports every store's page offers
  // (central/reports_file.h), re-read on SIGHUP; empty: none.
  std::string reports_file;
  // How often each store's network context (central/network_context.h) is computed and sent.
  int64_t context_interval_s = 300;
  // CSV sku,name,category,brand,unit_cost,valid_from (common/reference/catalogue_file.h), sent
  // to every edge; re-read on SIGHUP; empty: none (no names, no margins).
  std::string catalogue_file;
  int64_t document_ack_timeout_s = 30;      // an unacknowledged document is sent again after this
  int64_t document_part_bytes = 256 << 10;  // about this many bytes of rows in one part
  std::string durability = "full";                       // full | normal (PRAGMA synchronous)
  int64_t online_window_s = 15;                          // silent longer: the store is offline
  int http_threads = 16;                                 // HTTP workers (one per open connection)
  // HTTP connections open at once per client address, below http_threads; 0: no cap.
  int http_connections_per_client = common::kHttpDefaultConnectionsPerClient;
  // Alerts (central/alert_rules.h): evaluated every alert_interval_s; KPI rules on each store's
  // local today, fleet rules on the edges' heartbeats.
  int64_t alert_interval_s = 15;
  double alert_cc_warehouse_share = 0.5;     // click & collect share from the warehouse above this
  double alert_sfs_stock_cancel_rate = 0.05;  // ship-from-store cancelled for stock above this
  double alert_availability = 0.9;            // ranged SKUs in stock below this
  // A store shown offline (online_window_s) is a warning; silent longer than this, critical.
  int64_t alert_offline_s = 900;
  int64_t alert_lag_s = 300;                  // oldest event not yet at central older: warning…
  int64_t alert_lag_critical_s = 3600;        // …and older than this: critical (0: never)
  int64_t alert_clock_skew_s = 120;           // edge clock further off central's than this
  int64_t alert_disk_free_bytes = int64_t{2} << 30;  // edge disk free below this; 0: no rule
  // Delivery (central/alert_delivery.h): each raise and clear posted to every webhook URL as
  // Alertmanager webhook JSON, retried with back-off; pending ones wait in alerts.db.
  std::vector<std::string> alert_webhook;     // http:// or https:// URLs; none: no delivery
  int64_t alert_webhook_timeout_s = 10;       // to connect, and for the receiver's answer
  int64_t alert_webhook_retry_max_s = 300;    // back-off: 1 s, doubled per failure, up to this
  int64_t alert_webhook_max_pending = 10000;  // outbox bound: the oldest are dropped beyond
  // How long replicated events gather before the view pass folds them into the KPI tables (KPI
  // answers never wait for it: they fold the pending events themselves).
  int64_t view_group_ms = 100;
};

boost::program_options::options_description CentralOptions(CentralConfig* config);
common::Status ValidateCentralConfig(const CentralConfig& config);

}  // namespace storepulse::central
