// storepulse-edge's configuration, declared once: each field is a command-line flag and a key of
// the `--config` INI file with the same name (SPEC §6), with its default here. Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>

#include "common/config/http_security.h"
#include "common/http/http_limits.h"
#include "common/status.h"

namespace storepulse::edge {

struct EdgeConfig {
  std::string store;                                  // this store's id (required)
  std::string timezone = "UTC";                       // the store's IANA time zone
  std::string data_dir = "/var/lib/storepulse/edge";  // holds edge.db
  std::string ingest_endpoint = "tcp://127.0.0.1:7601";  // ZeroMQ ROUTER for msgpack batches
  std::string http_listen = "127.0.0.1:8601";         // host:port of the HTTP API and dashboard
  std::string http_token_file;     // file holding a bearer token required by POST; empty: none
  // HTTPS, the read token and plain HTTP off loopback (common/config/http_security.h).
  common::HttpSecurityConfig http_security;
  // Central's ROUTER, e.g. tcp://central:7600, or a comma-separated list of centrals tried in
  // turn (edge/central_endpoints.h); empty: no replication.
  std::string central_endpoint;
  // Central's CURVE public key: Z85 text or a .pub file; with several endpoints one for all, or a
  // comma-separated list in the same order.
  std::string central_public_key;
  std::string secret_key_file;     // this edge's CURVE secret key (.key from storepulse keygen)
  std::string durability = "full";                    // full | normal (PRAGMA synchronous)
  uint64_t min_free_bytes = 1ULL << 30;               // refuse events below this much free disk…
  double min_free_percent = 5.0;                      // …or this % of the disk, if smaller
  // Raw events central acknowledged are deleted once this many days old (by event time and by
  // arrival, whichever is later); their KPIs stay. 0: every event is kept for ever.
  int retention_days = 90;
  int http_threads = 16;                              // HTTP workers; an open connection holds one
  // HTTP connections open at once per client address, below http_threads; 0: no cap.
  int http_connections_per_client = common::kHttpDefaultConnectionsPerClient;
  // How long committed events gather before the view pass folds them into the KPI tables (KPI
  // answers never wait for it: they fold the pending events themselves).
  int64_t view_group_ms = 100;

  // Connectors (docs/CONNECTORS.md).
  std::string shopify_secret_file;        // the Shopify app's shared secret; empty: no Shopify
  // Shopify location ids whose POS orders this edge takes, and "web" for online orders
  // (comma-separated); empty: every order of the shop.
  std::string shopify_location;
  std::vector<std::string> csv_mapping;   // CSV mapping files for POST /api/v1/connectors/csv
  std::string swap_direction;             // counters (sensor ids, comma-separated) mounted the other way
  int currency_digits = 2;                // digits after the point in the source's money ("12.50")
  // Source health (edge/source_health.h): when the store is open ("mon-fri 09:00-19:00;
  // sat 10:00-18:00", edge/opening_hours.h; empty: always), and how long a known till or counter
  // may stay silent while it is open. Fractions of a minute are for tests (0.05: 3 s).
  std::string opening_hours;
  double source_silent_minutes = 30;
  // The day sign-off (edge/day_certifier.h): a local day is closed, and certified with central,
  // this long after the midnight that ends it (late till uploads and the night's counters are in
  // by then); the last `day_certify_days` closed days are certified (0: none).
  double day_close_grace_minutes = 120;
  int day_certify_days = 7;
};

// The option descriptions bound to the fields of `config`, which must outlive them.
boost::program_options::options_description EdgeOptions(EdgeConfig* config);

// Checks values that do not depend on the machine (store set, durability, endpoints' shape).
common::Status ValidateEdgeConfig(const EdgeConfig& config);

}  // namespace storepulse::edge
