#include "bench/daemons.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace storepulse::bench {

namespace fs = std::filesystem;

namespace {

std::string TailOf(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

}  // namespace

ScratchDir::ScratchDir(const std::string& path) : path_(path) {
  std::error_code ec;
  fs::remove_all(path_, ec);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

common::StatusOr<std::unique_ptr<Daemon>> Daemon::Start(std::vector<std::string> argv,
                                                         const std::string& log, int http_port,
                                                         std::string zmq_endpoint) {
  ASSIGN_OR_RETURN(auto process, ChildProcess::Spawn(argv, log));
  std::unique_ptr<Daemon> daemon(new Daemon());
  daemon->process_ = std::move(process);
  daemon->http_port_ = http_port;
  daemon->zmq_endpoint_ = std::move(zmq_endpoint);
  daemon->log_ = log;
  ChildProcess& child = *daemon->process_;
  bool up = WaitUntil(
      [&] { return !child.Running() || HttpGetJson(http_port, "/healthz").has_value(); },
      std::chrono::seconds(60), std::chrono::milliseconds(20));
  if (!up || !child.Running()) {
    return common::Unavailable(argv[0] + " did not come up; the end of its log:\n" + TailOf(log));
  }
  return daemon;
}

common::StatusOr<std::unique_ptr<Daemon>> Daemon::StartEdge(const EdgeSpec& spec) {
  auto ports = FreeTcpPorts(2);
  std::string endpoint = "tcp://127.0.0.1:" + std::to_string(ports[1]);
  std::vector<std::string> argv = {STOREPULSE_EDGE_BIN, "--store", spec.store, "--timezone",
                                   spec.timezone, "--data-dir", spec.data_dir, "--http-listen",
                                   "127.0.0.1:" + std::to_string(ports[0]), "--ingest-endpoint",
                                   endpoint, "--durability", spec.durability,
                                   "--min-free-bytes", "0", "--min-free-percent", "0"};
  argv.insert(argv.end(), spec.extra_args.begin(), spec.extra_args.end());
  return Start(argv, spec.data_dir + ".log", ports[0], endpoint);
}

common::StatusOr<std::unique_ptr<Daemon>> Daemon::StartCentral(const CentralSpec& spec) {
  auto ports = FreeTcpPorts(2);
  std::string endpoint = "tcp://127.0.0.1:" + std::to_string(ports[1]);
  std::vector<std::string> argv = {STOREPULSE_CENTRAL_BIN, "--data-dir", spec.data_dir,
                                   "--listen", endpoint, "--http-listen",
                                   "127.0.0.1:" + std::to_string(ports[0]), "--secret-key-file",
                                   spec.secret_key_file, "--stores-file", spec.stores_file,
                                   "--durability", spec.durability};
  argv.insert(argv.end(), spec.extra_args.begin(), spec.extra_args.end());
  return Start(argv, spec.data_dir + ".log", ports[0], endpoint);
}

Daemon::~Daemon() { Stop(); }

double Daemon::ResidentMb(bool peak) const { return bench::ResidentMb(process_->pid(), peak); }

int Daemon::Stop() { return process_ ? process_->Stop() : -1; }

std::optional<nlohmann::json> HttpGetJson(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(30, 0);
  auto res = client.Get(path.c_str());
  if (!res || res->status != 200) return std::nullopt;
  auto json = nlohmann::json::parse(res->body, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

int64_t CentralEventsApplied(int port) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) return -1;
  const std::string key = "storepulse_central_events_applied_total ";
  std::istringstream lines(res->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(key, 0) == 0) return std::stoll(line.substr(key.size()));
  }
  return -1;
}

common::StatusOr<common::CurveKeyPair> WriteKeys(const std::string& dir, const std::string& name) {
  ASSIGN_OR_RETURN(auto pair, common::GenerateCurveKeyPair());
  RETURN_IF_ERROR(common::WriteCurveKeyPair(dir + "/" + name, pair));
  return pair;
}

std::string BenchStoreName(size_t i) {
  std::string name = std::to_string(10000 + i + 1);
  name[0] = 'S';
  return name;
}

std::string StoresFileText(const std::vector<std::pair<std::string, std::string>>& stores,
                           const std::string& timezone) {
  std::string text = "store,public_key,name,region,timezone,area_m2\n";
  for (size_t i = 0; i < stores.size(); ++i) {
    text += stores[i].first + "," + stores[i].second + ",Store " + stores[i].first + ",R" +
            std::to_string(i % 10) + "," + timezone + ",800\n";
  }
  return text;
}

std::vector<std::string> ReplicationArgs(const std::string& central_endpoint,
                                         const std::string& central_pub_file,
                                         const std::string& key_file) {
  return {"--central-endpoint", central_endpoint, "--central-public-key", central_pub_file,
          "--secret-key-file", key_file};
}

void WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

}  // namespace storepulse::bench
