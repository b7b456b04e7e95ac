// The real storepulse daemons, started by the benchmarks on loopback: storepulse-edge and
// storepulse-central as child processes with free ports, a data directory and a log file; plus
// the HTTP GET the benches poll them with, CURVE key files, stores files and scratch directories.
// A Daemon is owned by one thread (the main one: see ChildProcess).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/child_process.h"
#include "common/status.h"
#include "common/transport/curve_keys.h"

namespace storepulse::bench {

// A directory removed (with everything in it) when this goes out of scope.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& path);  // created empty
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct EdgeSpec {
  std::string store = "S1";
  std::string timezone = "Europe/Paris";
  std::string data_dir;
  std::string durability = "full";
  std::vector<std::string> extra_args;  // e.g. the replication flags
};

struct CentralSpec {
  std::string data_dir;
  std::string secret_key_file;
  std::string stores_file;
  std::string durability = "full";
  std::vector<std::string> extra_args = {};  // e.g. --database postgresql://…
};

class Daemon {
 public:
  // Starts the daemon and waits (up to a minute) until GET /healthz answers.
  static common::StatusOr<std::unique_ptr<Daemon>> StartEdge(const EdgeSpec& spec);
  static common::StatusOr<std::unique_ptr<Daemon>> StartCentral(const CentralSpec& spec);
  ~Daemon();  // Stop()

  int http_port() const { return http_port_; }
  // The edge's ZeroMQ ingest endpoint, or central's replication endpoint.
  const std::string& zmq_endpoint() const { return zmq_endpoint_; }
  pid_t pid() const { return process_->pid(); }
  double ResidentMb(bool peak = false) const;
  int Stop();  // SIGTERM, and the wait for a clean exit

 private:
  static common::StatusOr<std::unique_ptr<Daemon>> Start(std::vector<std::string> argv,
                                                         const std::string& log, int http_port,
                                                         std::string zmq_endpoint);
  Daemon() = default;
  std::unique_ptr<ChildProcess> process_;
  int http_port_ = 0;
  std::string zmq_endpoint_;
  std::string log_;
};

// GET http://127.0.0.1:port/path as JSON; nothing when there is no answer or it is not JSON.
std::optional<nlohmann::json> HttpGetJson(int port, const std::string& path);
// storepulse_central_events_applied_total from central's /metrics; -1 when unreadable.
int64_t CentralEventsApplied(int port);

// Generates a key pair and writes <dir>/<name>.key and .pub, as `storepulse keygen` does.
common::StatusOr<common::CurveKeyPair> WriteKeys(const std::string& dir, const std::string& name);
// The name of simulated store i (0-based): S0001, S0002, …
std::string BenchStoreName(size_t i);
// One stores-file row per (store, public key), all in `timezone`; store i in region R<i % 10>.
std::string StoresFileText(const std::vector<std::pair<std::string, std::string>>& stores,
                           const std::string& timezone);
// The edge flags that make it replicate to `central` with `key_file`.
std::vector<std::string> ReplicationArgs(const std::string& central_endpoint,
                                         const std::string& central_pub_file,
                                         const std::string& key_file);
void WriteTextFile(const std::string& path, const std::string& text);

}  // namespace storepulse::bench
