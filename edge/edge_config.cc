#include "edge/edge_config.h"

#include <boost/program_options.hpp>

#include "common/config/host_port.h"
#include "common/http/client_slots.h"
#include "edge/central_endpoints.h"
#include "edge/opening_hours.h"

namespace po = boost::program_options;

namespace storepulse::edge {

po::options_description EdgeOptions(EdgeConfig* c) {
  po::options_description options("storepulse-edge options (also keys of --config)");
  options.add_options()("store", po::value(&c->store),
                        "this store's id, as in central's stores file (required)")(
      "timezone", po::value(&c->timezone)->default_value(c->timezone),
      "the store's IANA time zone: local days and hours of the KPIs")(
      "data-dir", po::value(&c->data_dir)->default_value(c->data_dir),
      "directory of the edge database (edge.db)")(
      "ingest-endpoint", po::value(&c->ingest_endpoint)->default_value(c->ingest_endpoint),
      "ZeroMQ endpoint where producers send msgpack batches")(
      "http-listen", po::value(&c->http_listen)->default_value(c->http_listen),
      "host:port of the HTTP API and the store dashboard")(
      "http-token-file", po::value(&c->http_token_file),
      "file holding a bearer token that POST /api/v1/events requires (default: none)")(
      "central-endpoint", po::value(&c->central_endpoint),
      "central's replication endpoint, e.g. tcp://central.example:7600, or a comma-separated "
      "list of centrals tried in turn when one is down or refuses (default: none)")(
      "central-public-key", po::value(&c->central_public_key),
      "central's CURVE public key: Z85 text or the path of its .pub file; with several "
      "endpoints, one key for all or a comma-separated list in the same order")(
      "secret-key-file", po::value(&c->secret_key_file),
      "this edge's CURVE secret key file (.key written by storepulse keygen)")(
      "durability", po::value(&c->durability)->default_value(c->durability),
      "full: every acknowledged event survives power loss; normal: faster, may lose the "
      "last commits on power loss (never on a crash)")(
      "min-free-bytes", po::value(&c->min_free_bytes)->default_value(c->min_free_bytes),
      "refuse new events when less disk than this is free…")(
      "min-free-percent", po::value(&c->min_free_percent)->default_value(c->min_free_percent),
      "…or less than this percentage of the disk, whichever floor is smaller")(
      "retention-days", po::value(&c->retention_days)->default_value(c->retention_days),
      "delete raw events central has acknowledged once they are this many days old, by event "
      "time and by arrival, whichever is later (the KPIs stay); 0: keep every event")(
      "http-threads", po::value(&c->http_threads)->default_value(c->http_threads),
      "HTTP worker threads; each open connection holds one")(
      "http-connections-per-client",
      po::value(&c->http_connections_per_client)->default_value(c->http_connections_per_client),
      "HTTP connections open at once from one client address, below http-threads; more are "
      "answered 503 (0: no cap, e.g. behind a proxy that limits them)")(
      "view-group-ms", po::value(&c->view_group_ms)->default_value(c->view_group_ms),
      "how long committed events gather before they are folded into the KPI tables, in ms "
      "(larger: fewer writes; KPI answers are exact either way)")(
      "shopify-secret-file", po::value(&c->shopify_secret_file),
      "file holding the Shopify app's shared secret: webhooks to /api/v1/connectors/shopify "
      "must carry its X-Shopify-Hmac-Sha256 (default: none, the Shopify connector refuses all)")(
      "shopify-location", po::value(&c->shopify_location),
      "the Shopify location ids (comma-separated) whose POS orders and refunds this edge takes, "
      "and `web` for the online orders (default: every order of the shop)")(
      "csv-mapping", po::value(&c->csv_mapping)->composing(),
      "a CSV mapping file for /api/v1/connectors/csv?mapping=NAME (NAME: the file's name without "
      "its extension); repeat for several")(
      "swap-direction", po::value(&c->swap_direction),
      "people counters (sensor ids, comma-separated) mounted the other way round: their in and "
      "out are swapped")(
      "currency-digits", po::value(&c->currency_digits)->default_value(c->currency_digits),
      "digits after the decimal point of the currency in connectors' money (2: \"12.50\" is "
      "1250 minor units; 0 for JPY)")(
      "opening-hours", po::value(&c->opening_hours),
      "when the store is open, per weekday, in its --timezone, e.g. \"mon-fri 09:00-19:00; "
      "sat 10:00-18:00\" (days not named are closed; a range ending before it starts runs "
      "past midnight; default: always open)")(
      "source-silent-minutes",
      po::value(&c->source_silent_minutes)->default_value(c->source_silent_minutes),
      "a known till or door counter that sends nothing for this long while the store is open "
      "is silent (source_silent at central); fractions are for tests (0.05: 3 s)")(
      "day-close-grace-minutes",
      po::value(&c->day_close_grace_minutes)->default_value(c->day_close_grace_minutes),
      "a local day is closed, and its certificate sent to central (day sign-off), this long "
      "after the midnight that ends it, in the store's --timezone")(
      "day-certify-days", po::value(&c->day_certify_days)->default_value(c->day_certify_days),
      "how many of the last closed days are certified with central (0: none); at most "
      "--retention-days - 1 when retention is on");
  common::AddHttpSecurityOptions(options, &c->http_security);
  return options;
}

common::Status ValidateEdgeConfig(const EdgeConfig& c) {
  if (c.store.empty()) return common::InvalidArgument("--store is required (this store's id)");
  if (c.store.size() > 64) return common::InvalidArgument("--store is longer than 64 bytes");
  if (c.durability != "full" && c.durability != "normal") {
    return common::InvalidArgument("--durability must be full or normal, not \"" + c.durability +
                                   "\"");
  }
  if (c.min_free_percent < 0 || c.min_free_percent > 100) {
    return common::InvalidArgument("--min-free-percent must be between 0 and 100");
  }
  if (c.retention_days < 0 || c.retention_days > 36'500) {
    return common::InvalidArgument(
        "--retention-days must be between 0 (keep every event) and 36500, not " +
        std::to_string(c.retention_days));
  }
  if (c.http_threads < 1 || c.http_threads > 256) {
    return common::InvalidArgument("--http-threads must be between 1 and 256");
  }
  RETURN_IF_ERROR(common::CheckConnectionsPerClient(c.http_connections_per_client, c.http_threads));
  if (c.view_group_ms < 0 || c.view_group_ms > 86'400'000) {
    return common::InvalidArgument("--view-group-ms must be between 0 and 86400000");
  }
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(common::SplitHostPort(c.http_listen, &host, &port));
  RETURN_IF_ERROR(common::ValidateHttpSecurity(c.http_security, c.http_listen));
  if (!c.central_endpoint.empty() && (c.central_public_key.empty() || c.secret_key_file.empty())) {
    return common::InvalidArgument(
        "--central-endpoint needs --central-public-key and --secret-key-file (CURVE is always on)");
  }
  if (!c.central_endpoint.empty()) {
    RETURN_IF_ERROR(ParseCentralEndpoints(c.central_endpoint, c.central_public_key).status());
  }
  if (c.currency_digits < 0 || c.currency_digits > 4) {
    return common::InvalidArgument("--currency-digits must be between 0 and 4");
  }
  // From a second (tests) to a week: a source silent longer than a week is forgotten
  // (edge/source_registry.h), so a longer threshold would never fire.
  if (!(c.source_silent_minutes >= 1.0 / 60 && c.source_silent_minutes <= 10080)) {
    return common::InvalidArgument(
        "--source-silent-minutes must be between 0.0167 (one second, for tests) and 10080 (a "
        "week)");
  }
  if (!(c.day_close_grace_minutes >= 0 && c.day_close_grace_minutes <= 10080)) {
    return common::InvalidArgument(
        "--day-close-grace-minutes must be between 0 and 10080 (a week)");
  }
  if (c.day_certify_days < 0 || c.day_certify_days > 366) {
    return common::InvalidArgument("--day-certify-days must be between 0 and 366");
  }
  if (auto hours = OpeningHours::Parse(c.opening_hours); !hours.ok()) {
    return common::InvalidArgument("--opening-hours: " + hours.status().message());
  }
  return common::OkStatus();
}

}  // namespace storepulse::edge
