// HTTP that can face a LAN (issue 12, item 3): both daemons over HTTPS with a certificate the test
// makes (openssl), plain HTTP refused on their HTTPS port; the read token required on the pages'
// data, the read APIs and /metrics (missing, wrong, right), never on /healthz, the page itself or
// the producers' POST; JSON 404 and 405; plain HTTP refused at start on an address other machines
// can reach unless --allow-plain-http says so; a bad certificate or key stops a daemon with its
// reason; the CLI over HTTPS with --ca-file and the read token. Only 127.0.0.1 is ever bound.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/hostile/raw_http_client.h"
#include "tests/integration/chain.h"
#include "tests/support/free_port.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

constexpr const char* kReadToken = "read-8b1f0c";
constexpr const char* kProducerToken = "till-42aa";

struct Answer {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One request to 127.0.0.1:port; over HTTPS trusting `ca` when given. Nothing on a transport
// failure (refused, TLS failed, no answer in 10 s).
std::optional<Answer> Call(const std::string& method, int port, const std::string& path,
                           const std::string& token = "", const std::string& ca = "",
                           const std::string& body = "") {
  httplib::Client client((ca.empty() ? "http://" : "https://") + std::string("127.0.0.1:") +
                         std::to_string(port));
  if (!ca.empty()) client.set_ca_cert_path(ca);
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(10, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  EXPECT_TRUE(method == "GET" || method == "POST" || method == "DELETE") << method;
  httplib::Result result = method == "GET"    ? client.Get(path, headers)
                           : method == "POST" ? client.Post(path, headers, body, "application/json")
                                              : client.Delete(path, headers);
  if (!result) return std::nullopt;
  return Answer{result->status, result->body, result->headers};
}

// A self-signed certificate for 127.0.0.1 and its key, made by the openssl command.
struct Cert {
  std::string cert;
  std::string key;
};
Cert MakeCert(const TempDir& dir, const std::string& name) {
  Cert made{dir.File(name + ".crt"), dir.File(name + ".key")};
  auto run = RunProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                         made.key, "-out", made.cert});
  EXPECT_TRUE(run.ok() && run->exit_status == 0)
      << (run.ok() ? run->err : run.status().message());
  return made;
}

std::vector<std::string> Tls(const Cert& cert) {
  return {"--tls-cert", cert.cert, "--tls-key", cert.key};
}

std::string OneEvent(const std::string& id) {
  return nlohmann::json::array({{{"id", id},
                                 {"type", "footfall"},
                                 {"ts", 1764900000000},
                                 {"sensor", "door-1"},
                                 {"period_s", 900},
                                 {"in", 3},
                                 {"out", 2}}})
      .dump();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(HttpAccessTest, EdgeOverHttpsAnswersAndRefusesPlainHttpOnItsPort) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "edge");
  std::vector<std::string> args = Tls(cert);
  args.insert(args.end(), {"--http-token-file", dir.Write("producer", kProducerToken)});
  EdgeNode edge({"TLS1", "Europe/Paris", dir.File("edge"), args});
  ASSERT_TRUE(edge.Start());

  auto status = Call("GET", edge.http_port(), "/api/v1/status", "", cert.cert);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(status->Json()["store"], "TLS1") << status->body;
  auto posted = Call("POST", edge.http_port(), "/api/v1/events", kProducerToken, cert.cert,
                     OneEvent("e1"));
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(posted->status, 200) << posted->body;
  EXPECT_EQ(posted->Json()["accepted"], 1) << posted->body;

  // A batch of a few MB in many TLS records, then answers on one keep-alive connection.
  nlohmann::json batch = nlohmann::json::array();
  for (int i = 0; i < 10000; ++i) {  // the batch limit, about 1 MB
    batch.push_back(nlohmann::json::parse(OneEvent("b" + std::to_string(i)))[0]);
  }
  httplib::Client keep_alive("https://127.0.0.1:" + std::to_string(edge.http_port()));
  keep_alive.set_ca_cert_path(cert.cert);
  keep_alive.set_keep_alive(true);
  keep_alive.set_read_timeout(30, 0);
  auto big = keep_alive.Post("/api/v1/events",
                             {{"Authorization", std::string("Bearer ") + kProducerToken}},
                             batch.dump(), "application/json");
  ASSERT_TRUE(big) << httplib::to_string(big.error());
  EXPECT_EQ(big->status, 200) << big->body;
  EXPECT_EQ(nlohmann::json::parse(big->body)["accepted"], 10000) << big->body.substr(0, 300);
  for (int i = 0; i < 20; ++i) {
    auto catalogue = keep_alive.Get(i % 2 == 0 ? "/api/v1/kpis" : "/metrics");
    ASSERT_TRUE(catalogue) << i << ": " << httplib::to_string(catalogue.error());
    EXPECT_EQ(catalogue->status, 200);
  }

  // Plain HTTP to the HTTPS port: a plain 400 that says so, and no data.
  auto plain = Call("GET", edge.http_port(), "/api/v1/status");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->status, 400);
  EXPECT_TRUE(Contains(plain->Json().value("error", ""), "HTTPS only")) << plain->body;
  EXPECT_FALSE(Contains(plain->body, "TLS1")) << plain->body;
  // A client that does not trust the certificate gets nothing.
  const Cert other = MakeCert(dir, "other");
  EXPECT_FALSE(Call("GET", edge.http_port(), "/healthz", "", other.cert).has_value());
  EXPECT_TRUE(Contains(edge.Log(), "https: /CN=127.0.0.1, valid until")) << edge.Log();
  EXPECT_EQ(edge.Stop(), 0);
}

// A client that connects to the HTTPS port and never says hello holds a worker no longer than the
// handshake deadline (10 s), like a request's headers.
TEST(HttpAccessTest, AStalledTlsHandshakeIsClosedAtItsDeadline) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "edge");
  EdgeNode edge({"TLS2", "Europe/Paris", dir.File("edge"), Tls(cert)});
  ASSERT_TRUE(edge.Start());
  const auto start = std::chrono::steady_clock::now();
  auto silent = RawConnection::Open(edge.http_port());
  ASSERT_TRUE(silent);
  EXPECT_TRUE(silent->WaitClosed(std::chrono::seconds(20)));
  const auto held = std::chrono::steady_clock::now() - start;
  EXPECT_GE(held, std::chrono::seconds(9));
  EXPECT_LT(held, std::chrono::seconds(15));
  auto health = Call("GET", edge.http_port(), "/healthz", "", cert.cert);
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(edge.Stop(), 0);
}

// Over HTTPS a client over its connection cap is closed without an answer (it could not read a
// plain one, and a handshake would hold a worker for it), and counted as over HTTP.
TEST(HttpAccessTest, AnHttpsClientOverItsConnectionCapIsClosedAndCounted) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "edge");
  std::vector<std::string> args = Tls(cert);
  args.insert(args.end(), {"--http-connections-per-client", "2"});
  EdgeNode edge({"TLS3", "Europe/Paris", dir.File("edge"), args});
  ASSERT_TRUE(edge.Start());
  const std::string origin = "https://127.0.0.1:" + std::to_string(edge.http_port());
  std::vector<std::unique_ptr<httplib::Client>> held;
  for (int i = 0; i < 2; ++i) {  // each keeps its connection open (keep-alive)
    held.push_back(std::make_unique<httplib::Client>(origin));
    held.back()->set_ca_cert_path(cert.cert);
    held.back()->set_keep_alive(true);
    auto answer = held.back()->Get("/healthz");
    ASSERT_TRUE(answer) << i;
    EXPECT_EQ(answer->status, 200);
  }
  // OpenSSL writes to the socket with write(): a peer that closed raises SIGPIPE. The CLI says
  // what happened instead of dying of it (exit 141, no message). Run before this process
  // ignores SIGPIPE: the child would inherit that.
  auto cli = RunProcess({STOREPULSE_CLI_BIN, "kpi", "--edge", origin, "--ca-file", cert.cert},
                        std::chrono::seconds(30));
  ASSERT_TRUE(cli.ok());
  EXPECT_EQ(cli->exit_status, 3) << cli->err;
  EXPECT_TRUE(Contains(cli->err, "cannot reach the edge at " + origin)) << cli->err;
  signal(SIGPIPE, SIG_IGN);
  EXPECT_FALSE(Call("GET", edge.http_port(), "/healthz", "", cert.cert).has_value());
  held.clear();  // gives the slots back — once the edge has seen the two connections close
  // Until then a call is over the cap too, and counted: the count is the two above plus those
  // (a clean-clone CI run saw 3, the test then expecting 2).
  std::optional<Answer> metrics;
  int refused_while_closing = 0;
  ASSERT_TRUE(WaitUntil(
      [&] {
        metrics = Call("GET", edge.http_port(), "/metrics", "", cert.cert);
        if (metrics && metrics->status == 200) return true;
        ++refused_while_closing;
        return false;
      },
      std::chrono::seconds(10)));
  EXPECT_TRUE(Contains(metrics->body, "storepulse_edge_http_connections_refused_total " +
                                          std::to_string(2 + refused_while_closing) + "\n"))
      << metrics->body;
  EXPECT_EQ(edge.Stop(), 0);
}

TEST(HttpAccessTest, EdgeReadTokenGuardsReadsButNotProducersHealthOrThePage) {
  TempDir dir;
  EdgeNode edge({"TOK1", "Europe/Paris", dir.File("edge"),
                 {"--read-token-file", dir.Write("read", std::string(kReadToken) + "\n"),
                  "--http-token-file", dir.Write("producer", kProducerToken)}});
  ASSERT_TRUE(edge.Start());
  const int port = edge.http_port();
  for (const char* path : {"/api/v1/status", "/api/v1/kpi", "/api/v1/kpis", "/api/v1/stock",
                           "/api/v1/orders", "/metrics", "/no/such/path"}) {
    SCOPED_TRACE(path);
    auto missing = Call("GET", port, path);
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(missing->Header("WWW-Authenticate"), "Bearer realm=\"storepulse\"");
    EXPECT_TRUE(Contains(missing->Json().value("error", ""), "missing read token"))
        << missing->body;
    auto wrong = Call("GET", port, path, "read-8b1f0d");
    ASSERT_TRUE(wrong.has_value());
    EXPECT_EQ(wrong->status, 401);
    EXPECT_TRUE(Contains(wrong->Header("WWW-Authenticate"), "error=\"invalid_token\""));
    auto producer = Call("GET", port, path, kProducerToken);  // another role's token
    ASSERT_TRUE(producer.has_value());
    EXPECT_EQ(producer->status, 401);
    auto right = Call("GET", port, path, kReadToken);
    ASSERT_TRUE(right.has_value());
    EXPECT_EQ(right->status, std::string(path) == "/no/such/path" ? 404 : 200) << right->body;
  }
  // Open: the health check and the page (it holds no data; it asks for the token).
  auto health = Call("GET", port, "/healthz");
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200);
  auto page = Call("GET", port, "/");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 200);
  EXPECT_TRUE(Contains(page->body, "storepulse-read-token"));
  // The producer's POST takes the producer token, not the read token.
  auto posted = Call("POST", port, "/api/v1/events", kProducerToken, "", OneEvent("p1"));
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(posted->status, 200) << posted->body;
  auto with_read = Call("POST", port, "/api/v1/events", kReadToken, "", OneEvent("p2"));
  ASSERT_TRUE(with_read.has_value());
  EXPECT_EQ(with_read->status, 401) << with_read->body;
  EXPECT_EQ(edge.Stop(), 0);
}

TEST(HttpAccessTest, CentralOverHttpsNeedsTheReadTokenForItsApiAndMetrics) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "central");
  std::vector<std::string> args = Tls(cert);
  args.insert(args.end(), {"--read-token-file", dir.Write("read", kReadToken)});
  Chain chain({{"S1", "North", "Europe/Paris"}}, args);
  ASSERT_TRUE(chain.StartCentral());
  const int port = chain.central().http_port();
  for (const char* path : {"/api/v1/fleet", "/api/v1/alerts", "/api/v1/targets", "/api/v1/kpi",
                           "/api/v1/stock?sku=A", "/api/v1/orders", "/metrics"}) {
    SCOPED_TRACE(path);
    auto missing = Call("GET", port, path, "", cert.cert);
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->status, 401);
    auto wrong = Call("GET", port, path, "nope", cert.cert);
    ASSERT_TRUE(wrong.has_value());
    EXPECT_EQ(wrong->status, 401);
    auto right = Call("GET", port, path, kReadToken, cert.cert);
    ASSERT_TRUE(right.has_value());
    EXPECT_EQ(right->status, 200) << right->body;
  }
  // The ops actions take the read token too (the page holds no other), from the API and the CLI.
  const std::string ack = R"({"id": "store_offline/S9", "by": "test"})";
  auto ack_missing = Call("POST", port, "/api/v1/alerts/ack", "", cert.cert, ack);
  ASSERT_TRUE(ack_missing.has_value());
  EXPECT_EQ(ack_missing->status, 401);
  auto ack_right = Call("POST", port, "/api/v1/alerts/ack", kReadToken, cert.cert, ack);
  ASSERT_TRUE(ack_right.has_value());
  EXPECT_EQ(ack_right->status, 404) << ack_right->body;  // admitted; no such alert raised
  const std::string url = "https://127.0.0.1:" + std::to_string(port);
  for (const char* command : {"ack", "silence"}) {
    SCOPED_TRACE(command);
    std::vector<std::string> argv = {STOREPULSE_CLI_BIN,
                                     "alerts",
                                     command,
                                     "store_offline/S9",
                                     "--central",
                                     url,
                                     "--ca-file",
                                     cert.cert,
                                     "--read-token-file",
                                     dir.Write("cli-read", kReadToken)};
    if (std::string(command) == "silence") argv.insert(argv.end(), {"--for", "1h"});
    auto cli = RunProcess(argv, std::chrono::seconds(30));
    ASSERT_TRUE(cli.ok());
    EXPECT_TRUE(Contains(cli->err, "store_offline/S9")) << cli->err;  // central's 404, not a 401
    EXPECT_FALSE(Contains(cli->err, "401")) << cli->err;
  }
  auto page = Call("GET", port, "/", "", cert.cert);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 200);
  auto plain = Call("GET", port, "/healthz");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->status, 400);
  EXPECT_EQ(chain.central().Stop(), 0);
}

TEST(HttpAccessTest, UnknownPathsAndWrongMethodsGetJson404And405) {
  TempDir dir;
  EdgeNode edge({"M1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  Chain chain({{"S1", "North", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  struct Case {
    int port;
    const char* method;
    const char* path;
    int status;
    const char* allow;
  };
  const int e = edge.http_port();
  const int c = chain.central().http_port();
  for (const Case& k : {Case{e, "GET", "/nope", 404, ""}, Case{e, "POST", "/nope", 404, ""},
                        Case{e, "POST", "/api/v1/status", 405, "GET, HEAD"},
                        Case{e, "DELETE", "/api/v1/kpi", 405, "GET, HEAD"},
                        Case{e, "GET", "/api/v1/events", 405, "POST"},
                        Case{c, "GET", "/api/v1/nope", 404, ""},
                        Case{c, "POST", "/api/v1/fleet", 405, "GET, HEAD"},
                        Case{c, "DELETE", "/metrics", 405, "GET, HEAD"}}) {
    SCOPED_TRACE(std::string(k.method) + " " + k.path + (k.port == e ? " (edge)" : " (central)"));
    auto answer =
        Call(k.method, k.port, k.path, "", "", k.method == std::string("POST") ? "{}" : "");
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->status, k.status);
    EXPECT_EQ(answer->Header("Content-Type"), "application/json");
    EXPECT_TRUE(answer->Json().contains("error")) << answer->body;
    EXPECT_EQ(answer->Header("Allow"), k.allow);
  }
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(chain.central().Stop(), 0);
}

// 0.0.0.0 is an address other machines reach: the check needs no bind, so nothing listens on it.
TEST(HttpAccessTest, PlainHttpOffLoopbackIsRefusedAtStartUnlessAllowed) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "lan");
  const std::string lan = "0.0.0.0:" + std::to_string(FreeTcpPorts(1)[0]);
  Chain chain({{"S1", "North", "Europe/Paris"}});  // central's keys and stores file
  const std::vector<std::string> edge = {STOREPULSE_EDGE_BIN, "--store", "L1", "--data-dir",
                                         dir.File("edge"), "--http-listen", lan};
  const std::vector<std::string> central = {
      STOREPULSE_CENTRAL_BIN, "--data-dir", dir.File("central"), "--http-listen", lan,
      "--secret-key-file", chain.dir().File("central.key"), "--stores-file",
      chain.dir().File("stores.csv")};
  for (const auto& daemon : {edge, central}) {
    SCOPED_TRACE(daemon[0]);
    auto refused = RunProcess(daemon, std::chrono::seconds(20));  // a start, not a check
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(refused->exit_status, 1);
    EXPECT_TRUE(Contains(refused->err, "--http-listen " + lan + " can be reached from other "
                                       "machines"))
        << refused->err;
    EXPECT_TRUE(Contains(refused->err, "--allow-plain-http")) << refused->err;
    auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> argv = daemon;
      argv.insert(argv.end(), extra.begin(), extra.end());
      argv.push_back("--check-config");
      return RunProcess(argv, std::chrono::seconds(20));
    };
    auto allowed = with({"--allow-plain-http"});
    ASSERT_TRUE(allowed.ok());
    EXPECT_EQ(allowed->exit_status, 0) << allowed->err;
    auto https = with(Tls(cert));
    ASSERT_TRUE(https.ok());
    EXPECT_EQ(https->exit_status, 0) << https->err;
  }
}

TEST(HttpAccessTest, ABadCertificateOrKeyStopsTheDaemonWithTheReason) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "a");
  const Cert other = MakeCert(dir, "b");
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  for (const Case& k :
       {Case{{"--tls-cert", cert.cert, "--tls-key", other.key},
             "--tls-key " + other.key + " is not the key of the certificate in --tls-cert " +
                 cert.cert},
        Case{{"--tls-cert", dir.File("missing.crt"), "--tls-key", cert.key},
             "cannot read --tls-cert " + dir.File("missing.crt") + ": No such file"},
        Case{{"--tls-cert", cert.key, "--tls-key", cert.key},
             "--tls-cert " + cert.key + " holds no PEM certificate"},
        Case{{"--tls-cert", cert.cert}, "--tls-cert and --tls-key go together"},
        Case{{"--read-token-file", dir.Write("empty", "\n")}, "--read-token-file " +
                                                                  dir.File("empty") +
                                                                  " is empty"}}) {
    SCOPED_TRACE(k.error);
    std::vector<std::string> argv = {STOREPULSE_EDGE_BIN, "--store", "B1", "--data-dir",
                                     dir.File("edge"), "--http-listen",
                                     "127.0.0.1:" + std::to_string(FreeTcpPorts(1)[0])};
    argv.insert(argv.end(), k.args.begin(), k.args.end());
    auto run = RunProcess(argv, std::chrono::seconds(20));
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->exit_status, 1);
    EXPECT_TRUE(Contains(run->err, k.error)) << run->err;
  }
}

TEST(HttpAccessTest, CliReadsAnHttpsEdgeWithItsCaAndReadToken) {
  TempDir dir;
  const Cert cert = MakeCert(dir, "edge");
  const std::string token_file = dir.Write("read", kReadToken);
  std::vector<std::string> args = Tls(cert);
  args.insert(args.end(), {"--read-token-file", token_file});
  EdgeNode edge({"CLI1", "Europe/Paris", dir.File("edge"), args});
  ASSERT_TRUE(edge.Start());
  const std::string url = "https://127.0.0.1:" + std::to_string(edge.http_port());
  auto kpi = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {STOREPULSE_CLI_BIN, "kpi", "--edge", url};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunProcess(argv, std::chrono::seconds(30));
  };
  auto ok = kpi({"--ca-file", cert.cert, "--read-token-file", token_file});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->exit_status, 0) << ok->err;
  EXPECT_TRUE(Contains(ok->out, "Store CLI1")) << ok->out;
  auto untrusted = kpi({"--read-token-file", token_file});
  ASSERT_TRUE(untrusted.ok());
  EXPECT_EQ(untrusted->exit_status, 3);
  EXPECT_TRUE(Contains(untrusted->err, "its TLS certificate is not trusted")) << untrusted->err;
  auto no_token = kpi({"--ca-file", cert.cert});
  ASSERT_TRUE(no_token.ok());
  EXPECT_EQ(no_token->exit_status, 1);
  EXPECT_TRUE(Contains(no_token->err, "HTTP 401: missing read token")) << no_token->err;
  // The same from the environment, as a script sets it once.
  ASSERT_EQ(setenv("STOREPULSE_READ_TOKEN", kReadToken, 1), 0);
  ASSERT_EQ(setenv("STOREPULSE_CA_FILE", cert.cert.c_str(), 1), 0);
  auto from_env = kpi({"--json"});
  unsetenv("STOREPULSE_READ_TOKEN");
  unsetenv("STOREPULSE_CA_FILE");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->exit_status, 0) << from_env->err;
  EXPECT_EQ(edge.Stop(), 0);
}

}  // namespace
}  // namespace storepulse::test_support
