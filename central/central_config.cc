#include "central/central_config.h"

#include <boost/program_options.hpp>

#include "central/alert_delivery.h"
#include "central/database_url.h"
#include "common/config/host_port.h"
#include "common/http/client_slots.h"

namespace po = boost::program_options;

namespace storepulse::central {

namespace {

void AddAlertOptions(po::options_description& options, CentralConfig* c) {
  options.add_options()
      ("alert-interval-s", po::value(&c->alert_interval_s)->default_value(c->alert_interval_s),
       "seconds between two evaluations of the alerts")
      ("alert-cc-warehouse-share",
       po::value(&c->alert_cc_warehouse_share)
           ->default_value(c->alert_cc_warehouse_share, "0.5"),
       "alert when a store's click & collect share sourced from the warehouse today is above")
      ("alert-sfs-stock-cancel-rate",
       po::value(&c->alert_sfs_stock_cancel_rate)
           ->default_value(c->alert_sfs_stock_cancel_rate, "0.05"),
       "alert when a store's ship-from-store orders cancelled for stock today are above")
      ("alert-availability",
       po::value(&c->alert_availability)->default_value(c->alert_availability, "0.9"),
       "alert when a store's share of ranged SKUs in stock is below")
      ("alert-offline-s", po::value(&c->alert_offline_s)->default_value(c->alert_offline_s),
       "critical alert when a store has been silent for longer than this (seconds; a store "
       "shown offline, see online-window-s, is a warning before)")
      ("alert-lag-s", po::value(&c->alert_lag_s)->default_value(c->alert_lag_s),
       "warning alert when an edge's oldest event not yet at central is older than this "
       "(seconds)")
      ("alert-lag-critical-s",
       po::value(&c->alert_lag_critical_s)->default_value(c->alert_lag_critical_s),
       "critical when that event is older than this (seconds; 0: never critical)")
      ("alert-clock-skew-s",
       po::value(&c->alert_clock_skew_s)->default_value(c->alert_clock_skew_s),
       "alert when an edge's clock is further off central's than this (seconds)")
      ("alert-disk-free-bytes",
       po::value(&c->alert_disk_free_bytes)->default_value(c->alert_disk_free_bytes),
       "alert when an edge's free disk is below this (0: only when it refuses events)")
      ("alert-webhook", po::value(&c->alert_webhook)->composing(),
       "post each alert raised and cleared to this URL as Alertmanager webhook JSON (http:// or "
       "https://); repeat for several receivers")
      ("alert-webhook-timeout-s",
       po::value(&c->alert_webhook_timeout_s)->default_value(c->alert_webhook_timeout_s),
       "seconds to connect to a webhook receiver, and to wait for its answer")
      ("alert-webhook-retry-max-s",
       po::value(&c->alert_webhook_retry_max_s)->default_value(c->alert_webhook_retry_max_s),
       "a failed delivery is retried after 1 s, then twice as long each time, up to this "
       "(seconds)")
      ("alert-webhook-max-pending",
       po::value(&c->alert_webhook_max_pending)->default_value(c->alert_webhook_max_pending),
       "deliveries kept while receivers are down; beyond, the oldest are dropped");
}

common::Status ValidateAlertConfig(const CentralConfig& c) {
  const auto fraction = [](double v) { return v >= 0 && v <= 1; };
  if (!fraction(c.alert_cc_warehouse_share) || !fraction(c.alert_sfs_stock_cancel_rate) ||
      !fraction(c.alert_availability)) {
    return common::InvalidArgument(
        "--alert-cc-warehouse-share, --alert-sfs-stock-cancel-rate and --alert-availability are "
        "fractions between 0 and 1 (0.05 for 5%)");
  }
  if (c.alert_interval_s < 1 || c.alert_interval_s > 3600) {
    return common::InvalidArgument("--alert-interval-s must be between 1 and 3600");
  }
  if (c.alert_offline_s < 1 || c.alert_lag_s < 1 || c.alert_clock_skew_s < 1 ||
      c.alert_disk_free_bytes < 0 || c.alert_lag_critical_s < 0) {
    return common::InvalidArgument(
        "--alert-offline-s, --alert-lag-s and --alert-clock-skew-s must be >= 1, "
        "--alert-disk-free-bytes and --alert-lag-critical-s >= 0");
  }
  for (const std::string& url : c.alert_webhook) RETURN_IF_ERROR(CheckWebhookUrl(url));
  if (c.alert_webhook_timeout_s < 1 || c.alert_webhook_timeout_s > 300 ||
      c.alert_webhook_retry_max_s < 1 || c.alert_webhook_max_pending < 1) {
    return common::InvalidArgument(
        "--alert-webhook-timeout-s must be between 1 and 300, --alert-webhook-retry-max-s and "
        "--alert-webhook-max-pending >= 1");
  }
  return common::OkStatus();
}

}  // namespace

po::options_description CentralOptions(CentralConfig* c) {
  po::options_description options("storepulse-central options (also keys of --config)");
  options.add_options()(
      "data-dir", po::value(&c->data_dir)->default_value(c->data_dir),
      "directory of the central database (central.db); with a PostgreSQL --database, of this "
      "central's read model (a copy of PostgreSQL's log with its KPI tables)")(
      "database", po::value(&c->database),
      "the log of record: sqlite:///DIR/central.db (default: central.db in --data-dir) or "
      "postgresql://USER@HOST:PORT/DB (libpq URL; several centrals may share one database; the "
      "password goes in a passfile: ?passfile=FILE in the URL or PGPASSFILE, never in the URL)")(
      "listen", po::value(&c->listen)->default_value(c->listen),
      "ZeroMQ endpoint the edges replicate to (CURVE)")(
      "http-listen", po::value(&c->http_listen)->default_value(c->http_listen),
      "host:port of the HTTP API and the ops dashboard")(
      "secret-key-file", po::value(&c->secret_key_file)->default_value(c->secret_key_file),
      "central's CURVE secret key (.key written by storepulse keygen)")(
      "stores-file", po::value(&c->stores_file)->default_value(c->stores_file),
      "CSV store,public_key,name,region,timezone,area_m2 of the edges allowed in; "
      "re-read on SIGHUP")(
      "targets-file", po::value(&c->targets_file),
      "CSV scope,kpi,period,target of KPI targets (default: none); re-read on SIGHUP")(
      "documents-file", po::value(&c->documents_file),
      "JSON {\"KIND\": {\"STORE or *\": {\"KEY\": ROW}}} of reference documents sent to the "
      "edges as they are, for tests and tools (default: none); re-read on SIGHUP")(
      "document-ack-timeout-s",
      po::value(&c->document_ack_timeout_s)->default_value(c->document_ack_timeout_s),
      "a reference document an edge has not acknowledged this long after its last part is sent "
      "again")(
      "reports-file", po::value(&c->reports_file),
      "CSV name,audience,title,kpis,by,period,scope of the reports every store's page offers "
      "(default: none); re-read on SIGHUP")(
      "context-interval-s", po::value(&c->context_interval_s)->default_value(c->context_interval_s),
      "how often each store's region and network figures are computed and sent to its edge, in "
      "seconds")(
      "catalogue-file", po::value(&c->catalogue_file),
      "CSV sku,name,category,brand,unit_cost,valid_from: the product catalogue sent to every "
      "edge, for names, categories and margins (default: none); re-read on SIGHUP")(
      "document-part-bytes",
      po::value(&c->document_part_bytes)->default_value(c->document_part_bytes),
      "about this many bytes of rows in one part of a reference document (1024 to 1048576); "
      "parts are paced at 4 per edge and kind every 20 ms")(
      "durability", po::value(&c->durability)->default_value(c->durability),
      "full | normal (PRAGMA synchronous of central.db)")(
      "online-window-s", po::value(&c->online_window_s)->default_value(c->online_window_s),
      "a store silent for longer than this is shown offline, with a warning alert")(
      "http-threads", po::value(&c->http_threads)->default_value(c->http_threads),
      "HTTP worker threads; each open connection holds one")(
      "http-connections-per-client",
      po::value(&c->http_connections_per_client)->default_value(c->http_connections_per_client),
      "HTTP connections open at once from one client address, below http-threads; more are "
      "answered 503 (0: no cap, e.g. behind a proxy that limits them)")(
      "view-group-ms", po::value(&c->view_group_ms)->default_value(c->view_group_ms),
      "how long replicated events gather before they are folded into the KPI tables, in ms "
      "(larger: fewer writes; KPI answers are exact either way)");
  AddAlertOptions(options, c);
  common::AddHttpSecurityOptions(options, &c->http_security);
  return options;
}

common::Status ValidateCentralConfig(const CentralConfig& c) {
  if (c.durability != "full" && c.durability != "normal") {
    return common::InvalidArgument("--durability must be full or normal, not \"" + c.durability +
                                   "\"");
  }
  if (c.online_window_s < 1) return common::InvalidArgument("--online-window-s must be >= 1");
  if (c.document_ack_timeout_s < 1) {
    return common::InvalidArgument("--document-ack-timeout-s must be >= 1");
  }
  if (c.context_interval_s < 1 || c.context_interval_s > 86400) {
    return common::InvalidArgument("--context-interval-s must be between 1 and 86400");
  }
  if (c.document_part_bytes < 1024 || c.document_part_bytes > (1 << 20)) {
    return common::InvalidArgument("--document-part-bytes must be between 1024 and 1048576");
  }
  RETURN_IF_ERROR(ValidateAlertConfig(c));
  if (c.http_threads < 1 || c.http_threads > 256) {
    return common::InvalidArgument("--http-threads must be between 1 and 256");
  }
  RETURN_IF_ERROR(common::CheckConnectionsPerClient(c.http_connections_per_client, c.http_threads));
  RETURN_IF_ERROR(ParseDatabaseUrl(c.database, c.data_dir).status());
  if (c.view_group_ms < 0 || c.view_group_ms > 86'400'000) {
    return common::InvalidArgument("--view-group-ms must be between 0 and 86400000");
  }
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(common::SplitHostPort(c.http_listen, &host, &port));
  return common::ValidateHttpSecurity(c.http_security, c.http_listen);
}

}  // namespace storepulse::central
