#include "central/central_config.h"

#include <boost/program_options.hpp>

#include "common/config/host_port.h"

namespace po = boost::program_options;

namespace storepulse::central {

po::options_description CentralOptions(CentralConfig* c) {
  po::options_description options("storepulse-central options (also keys of --config)");
  options.add_options()
      ("data-dir", po::value(&c->data_dir)->default_value(c->data_dir),
       "directory of the central database (central.db)")
      ("listen", po::value(&c->listen)->default_value(c->listen),
       "ZeroMQ endpoint the edges replicate to (CURVE)")
      ("http-listen", po::value(&c->http_listen)->default_value(c->http_listen),
       "host:port of the HTTP API and the ops dashboard")
      ("secret-key-file", po::value(&c->secret_key_file)->default_value(c->secret_key_file),
       "central's CURVE secret key (.key written by storepulse keygen)")
      ("stores-file", po::value(&c->stores_file)->default_value(c->stores_file),
       "CSV store,public_key,name,region,timezone,area_m2 of the edges allowed in; "
       "re-read on SIGHUP")
      ("targets-file", po::value(&c->targets_file), "CSV of KPI targets (default: none)")
      ("durability", po::value(&c->durability)->default_value(c->durability),
       "full | normal (PRAGMA synchronous of central.db)")
      ("online-window-s", po::value(&c->online_window_s)->default_value(c->online_window_s),
       "a store silent for longer than this is shown offline")
      ("http-threads", po::value(&c->http_threads)->default_value(c->http_threads),
       "HTTP worker threads");
  return options;
}

common::Status ValidateCentralConfig(const CentralConfig& c) {
  if (c.durability != "full" && c.durability != "normal") {
    return common::InvalidArgument("--durability must be full or normal, not \"" + c.durability +
                                   "\"");
  }
  if (c.online_window_s < 1) return common::InvalidArgument("--online-window-s must be >= 1");
  if (c.http_threads < 1 || c.http_threads > 256) {
    return common::InvalidArgument("--http-threads must be between 1 and 256");
  }
  std::string host;
  int port = 0;
  return common::SplitHostPort(c.http_listen, &host, &port);
}

}  // namespace storepulse::central
