#include "tests/support/nodes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tests/support/free_port.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts `argv` logging to `log`, waits for /healthz (over HTTPS with a --tls-cert, trusting
// it: the tests' certificates are self-signed); prints the log's tail on failure.
bool StartDaemon(const std::vector<std::string>& argv, const std::string& log, int http_port,
                 std::unique_ptr<Process>* process) {
  auto spawned = Process::Spawn(argv, SpawnOptions{"", log});
  if (!spawned.ok()) {
    ADD_FAILURE() << spawned.status().message();
    return false;
  }
  *process = std::move(spawned).value();
  Process* p = process->get();
  const auto tls = std::find(argv.begin(), argv.end(), "--tls-cert");
  const std::string tls_ca = tls != argv.end() && tls + 1 != argv.end() ? *(tls + 1) : "";
  bool up = WaitForHttpOk("127.0.0.1", http_port, "/healthz", std::chrono::seconds(20),
                          [p] { return p->Running(); }, std::chrono::milliseconds(50), tls_ca);
  if (!up) ADD_FAILURE() << argv[0] << " did not come up; its log:\n" << ReadFile(log);
  return up;
}

}  // namespace

common::CurveKeyPair MakeKeys(const std::string& dir, const std::string& name) {
  auto pair = common::GenerateCurveKeyPair();
  EXPECT_TRUE(pair.ok());
  EXPECT_TRUE(common::WriteCurveKeyPair(dir + "/" + name, *pair).ok());
  return *pair;
}

std::optional<nlohmann::json> GetJson(int port, const std::string& path) {
  auto reply = HttpGet("127.0.0.1", port, path, std::chrono::seconds(10));
  if (!reply) return std::nullopt;
  auto json = nlohmann::json::parse(reply->body, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

std::optional<PostReply> PostBody(int port, const std::string& path, const std::string& body,
                                  const std::string& token) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = client.Post(path.c_str(), headers, body, "application/x-ndjson");
  if (!res) return std::nullopt;
  return PostReply{res->status, nlohmann::json::parse(res->body, nullptr, false)};
}

EdgeNode::EdgeNode(Options options) : options_(std::move(options)) {
  auto ports = FreeTcpPorts(2);
  http_port_ = ports[0];
  ingest_port_ = ports[1];
}

EdgeNode::~EdgeNode() { Kill(); }

std::string EdgeNode::ingest_endpoint() const {
  return "tcp://127.0.0.1:" + std::to_string(ingest_port_);
}

bool EdgeNode::Start() {
  std::vector<std::string> argv = {STOREPULSE_EDGE_BIN,
                                   "--store",
                                   options_.store,
                                   "--timezone",
                                   options_.timezone,
                                   "--data-dir",
                                   options_.data_dir,
                                   "--http-listen",
                                   "127.0.0.1:" + std::to_string(http_port_),
                                   "--ingest-endpoint",
                                   ingest_endpoint()};
  const auto& extra = options_.extra_args;
  if (std::find(extra.begin(), extra.end(), "--min-free-bytes") == extra.end()) {
    // Test machines may have little free disk: no floor unless a test asks for one.
    argv.insert(argv.end(), {"--min-free-bytes", "0"});
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.begin(), options_.launcher.begin(), options_.launcher.end());
  return StartDaemon(argv, options_.data_dir + ".log", http_port_, &process_);
}

void EdgeNode::Kill() {
  if (process_) process_->Signal(SIGKILL), process_->WaitFor(std::chrono::seconds(10));
}

int EdgeNode::Stop() { return process_ ? process_->Stop(std::chrono::seconds(20)) : -1; }

bool EdgeNode::Running() { return process_ && process_->Running(); }

std::string EdgeNode::Log() const { return ReadFile(options_.data_dir + ".log"); }

CentralNode::CentralNode(Options options) : options_(std::move(options)) {
  auto ports = FreeTcpPorts(2);
  http_port_ = ports[0];
  zmq_port_ = ports[1];
}

CentralNode::~CentralNode() { Kill(); }

std::string CentralNode::endpoint() const {
  return "tcp://" + options_.listen_host + ":" + std::to_string(zmq_port_);
}

bool CentralNode::Start() {
  std::vector<std::string> argv = {STOREPULSE_CENTRAL_BIN,
                                   "--data-dir",
                                   options_.data_dir,
                                   "--listen",
                                   endpoint(),
                                   "--http-listen",
                                   "127.0.0.1:" + std::to_string(http_port_),
                                   "--secret-key-file",
                                   options_.secret_key_file,
                                   "--stores-file",
                                   options_.stores_file};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  argv.insert(argv.begin(), options_.launcher.begin(), options_.launcher.end());
  return StartDaemon(argv, options_.data_dir + ".log", http_port_, &process_);
}

void CentralNode::Kill() {
  if (process_) process_->Signal(SIGKILL), process_->WaitFor(std::chrono::seconds(10));
}

int CentralNode::Stop() { return process_ ? process_->Stop(std::chrono::seconds(20)) : -1; }

void CentralNode::Signal(int signal) {
  if (process_) process_->Signal(signal);
}

std::string CentralNode::Log() const { return ReadFile(options_.data_dir + ".log"); }

}  // namespace storepulse::test_support
