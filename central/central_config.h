// storepulse-central's configuration, declared once: each field is a flag and a key of the
// `--config` INI file with the same name (SPEC §6), with its default here. Plain value.
#pragma once

#include <cstdint>
#include <string>

#include <boost/program_options/options_description.hpp>

#include "common/status.h"

namespace storepulse::central {

struct CentralConfig {
  std::string data_dir = "/var/lib/storepulse/central";  // holds central.db
  std::string listen = "tcp://*:7600";                   // replication ROUTER (CURVE)
  std::string http_listen = "127.0.0.1:8600";            // HTTP API and ops dashboard
  std::string secret_key_file = "/etc/storepulse/central.key";  // central's CURVE secret key
  std::string stores_file = "/etc/storepulse/stores.csv";       // edges allowed, re-read on SIGHUP
  std::string targets_file;                              // KPI targets (later); empty: none
  std::string durability = "full";                       // full | normal (PRAGMA synchronous)
  int64_t online_window_s = 15;                          // silent longer: the store is offline
  int http_threads = 8;
};

boost::program_options::options_description CentralOptions(CentralConfig* config);
common::Status ValidateCentralConfig(const CentralConfig& config);

}  // namespace storepulse::central
