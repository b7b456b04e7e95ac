// storepulse daemons as child processes for integration tests: an EdgeNode or a CentralNode owns
// its ports (free ones on 127.0.0.1), its data directory and its process, and can be started,
// killed with SIGKILL, stopped with SIGTERM and restarted on the same data. Every node still
// running when destroyed is killed. Owned by one test thread.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/transport/curve_keys.h"
#include "tests/support/process.h"

namespace storepulse::test_support {

// Writes a key pair as <dir>/<name>.key and .pub.
common::CurveKeyPair MakeKeys(const std::string& dir, const std::string& name);

// Plain HTTP against 127.0.0.1:port. Nothing when no answer came in time.
std::optional<nlohmann::json> GetJson(int port, const std::string& path);
struct PostReply {
  int status = 0;
  nlohmann::json body;
};
std::optional<PostReply> PostBody(int port, const std::string& path, const std::string& body,
                                  const std::string& token = "");

class EdgeNode {
 public:
  struct Options {
    std::string store = "S1";
    std::string timezone = "Europe/Paris";
    std::string data_dir;
    std::vector<std::string> extra_args;  // e.g. --central-endpoint …
    // Runs the daemon through this command (its path and flags appended), e.g. `unshare -m …`
    // to give it a file system of its own. The command must exec the daemon, keeping its pid.
    std::vector<std::string> launcher = {};  // a default, so the other fields may be given alone
  };
  explicit EdgeNode(Options options);
  ~EdgeNode();

  // Starts the daemon and waits (bounded) until /healthz answers; false with the log's tail
  // printed to the test output otherwise.
  bool Start();
  void Kill();  // SIGKILL, reaped
  int Stop();   // SIGTERM, waits; the exit status
  bool Running();
  // Runs the daemon through `launcher` from the next Start() (Options::launcher).
  void set_launcher(std::vector<std::string> launcher) { options_.launcher = std::move(launcher); }
  pid_t pid() const { return process_ ? process_->pid() : -1; }  // for /proc (peak RSS)
  int http_port() const { return http_port_; }
  std::string ingest_endpoint() const;
  const Options& options() const { return options_; }
  std::string Log() const;  // what the daemon wrote to stderr

 private:
  Options options_;
  int http_port_;
  int ingest_port_;
  std::unique_ptr<Process> process_;
};

class CentralNode {
 public:
  struct Options {
    std::string data_dir;
    std::string secret_key_file;
    std::string stores_file;
    std::vector<std::string> extra_args;
    // The replication endpoint's address (e.g. a network namespace's veth address).
    std::string listen_host = "127.0.0.1";
    std::vector<std::string> launcher = {};  // as EdgeNode's
  };
  explicit CentralNode(Options options);
  ~CentralNode();

  bool Start();
  void Kill();
  int Stop();
  void Signal(int signal);
  // Runs the daemon through `launcher` from the next Start() (Options::launcher).
  void set_launcher(std::vector<std::string> launcher) { options_.launcher = std::move(launcher); }
  int http_port() const { return http_port_; }
  std::string endpoint() const;  // tcp://<listen_host>:<port>
  std::string Log() const;
  pid_t pid() const { return process_ ? process_->pid() : -1; }

 private:
  Options options_;
  int http_port_;
  int zmq_port_;
  std::unique_ptr<Process> process_;
};

}  // namespace storepulse::test_support
