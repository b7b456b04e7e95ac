// Reference documents sent down through real daemons (docs/PROTOCOL.md, "Reference documents"):
// central publishes them from --documents-file (re-read on SIGHUP), every edge stores what it
// lacks — a version published while it was offline when it reconnects, once; a delta of the
// changed rows only; never half a version, even when central is killed mid-snapshot; an edge
// holding a version central does not know keeps it until central's snapshot replaces it — and an
// edge that says nothing of documents (an older one) is sent none.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <zmq.hpp>

#include "common/reference/reference_document.h"
#include "edge/reference_store.h"
#include "tests/integration/chain.h"
#include "tests/support/http_probe.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

namespace wire = common::wire;
using common::DocumentRows;
using common::DocumentVersion;
using json = nlohmann::json;

DocumentRows Catalogue(int skus, const std::string& suffix = "") {
  DocumentRows rows;
  for (int i = 0; i < skus; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "SKU%05d", i);
    rows.emplace(key, json{{"name", "Product " + std::to_string(i) + suffix}, {"cost", 100 + i}});
  }
  return rows;
}

void WriteDocuments(const std::string& file, const DocumentRows& catalogue,
                    const DocumentRows& par1_targets = {}) {
  json root = {{"catalogue", {{"*", json(catalogue)}}}};
  if (!par1_targets.empty()) root["targets"] = {{"PAR1", json(par1_targets)}};
  std::ofstream(file + ".tmp") << root.dump();
  std::rename((file + ".tmp").c_str(), file.c_str());
}

// The version of `kind` the edge's status says it holds ("" for none), and when it arrived.
std::pair<std::string, std::string> HeldAtEdge(EdgeNode& edge, const std::string& kind) {
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  if (!status || !(*status)["documents"].is_object()) return {};
  for (const json& held : (*status)["documents"]["held"]) {
    if (held["kind"] == kind) return {held["version"], held["received_at"]};
  }
  return {};
}

bool WaitHeld(EdgeNode& edge, const std::string& kind, const std::string& version,
              std::chrono::seconds deadline = std::chrono::seconds(30)) {
  return WaitUntil([&] { return HeldAtEdge(edge, kind).first == version; }, deadline);
}

// The document as edge.db holds it, read from the file (the edge keeps running).
std::optional<edge::HeldDocument> HeldInDatabase(EdgeNode& edge, const std::string& kind) {
  SQLite::Database db(edge.options().data_dir + "/edge.db", SQLite::OPEN_READONLY);
  auto held = edge::ReadHeldDocument(db, kind);
  return held.ok() ? *held : std::nullopt;
}

std::map<std::string, double> CentralMetrics(CentralNode& central) {
  std::map<std::string, double> samples;
  auto reply = HttpGet("127.0.0.1", central.http_port(), "/metrics");
  if (!reply || reply->status != 200) return samples;
  std::istringstream lines(reply->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

double Metric(CentralNode& central, const std::string& key) {
  const auto samples = CentralMetrics(central);
  const auto found = samples.find(key);
  return found == samples.end() ? 0 : found->second;
}

// `promtool check metrics`'s complaints about `text` ("" when clean); nothing without promtool.
std::optional<std::string> PromtoolComplaints(const std::string& text, const std::string& file) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  std::ofstream(file) << text;
  FILE* pipe = popen(("promtool check metrics < " + file + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? output : "exit status: " + output;
}

const char kCatalogueBytes[] = "storepulse_central_document_bytes_sent_total{kind=\"catalogue\"}";
// Central also publishes every store's context from the start: the catalogue's own counts.
const char kCatalogueSnapshots[] =
    "storepulse_central_document_snapshots_total{kind=\"catalogue\"}";
const char kCatalogueDeltas[] = "storepulse_central_document_deltas_total{kind=\"catalogue\"}";

TEST(DocumentsTest, AVersionPublishedWhileTheEdgeIsOfflineArrivesOnReconnectAsADeltaOnce) {
  TempDir files;
  const std::string file = files.File("documents.json");
  const DocumentRows v1 = Catalogue(200);
  WriteDocuments(file, v1, {{"net_sales:day", 1000}});
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--documents-file", file});
  ASSERT_TRUE(chain.StartAll());
  ASSERT_TRUE(WaitHeld(chain.edge(0), "catalogue", DocumentVersion(v1)));
  ASSERT_TRUE(WaitHeld(chain.edge(0), "targets", DocumentVersion({{"net_sales:day", 1000}})));
  std::optional<edge::HeldDocument> stored = HeldInDatabase(chain.edge(0), "catalogue");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->rows, v1);
  // The fleet shows who holds which catalogue.
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["stores"][0]["documents"]["catalogue"] == DocumentVersion(v1) &&
           (*fleet)["summary"]["catalogue_versions"] == json{{DocumentVersion(v1), 1}};
  }));
  const double bytes_before = Metric(chain.central(), kCatalogueBytes);
  EXPECT_GT(bytes_before, 0);

  // Offline, the catalogue changes by one row: on reconnection only that row travels.
  chain.edge(0).Stop();
  DocumentRows v2 = v1;
  v2["SKU00005"] = json{{"name", "Renamed"}, {"cost", 105}};
  WriteDocuments(file, v2, {{"net_sales:day", 1000}});
  chain.central().Signal(SIGHUP);
  EXPECT_EQ(HeldInDatabase(chain.edge(0), "catalogue")->version, DocumentVersion(v1));
  ASSERT_TRUE(chain.edge(0).Start());
  ASSERT_TRUE(WaitHeld(chain.edge(0), "catalogue", DocumentVersion(v2)));
  EXPECT_EQ(HeldInDatabase(chain.edge(0), "catalogue")->rows, v2);
  const double row_bytes = std::string("SKU00005").size() + v2["SKU00005"].dump().size();
  EXPECT_EQ(Metric(chain.central(), kCatalogueBytes) - bytes_before, row_bytes);
  EXPECT_EQ(Metric(chain.central(), kCatalogueDeltas), 1);

  // Central restarted: the edge already holds everything, nothing is sent or stored again.
  const std::string received_at = HeldAtEdge(chain.edge(0), "catalogue").second;
  chain.central().Kill();
  ASSERT_TRUE(chain.central().Start());
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["stores"][0]["documents"]["catalogue"] == DocumentVersion(v2);
  }));
  EXPECT_EQ(HeldAtEdge(chain.edge(0), "catalogue"),
            std::make_pair(DocumentVersion(v2), received_at));
  EXPECT_EQ(Metric(chain.central(), kCatalogueBytes), 0);
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["documents"]["refused"], 0);
  EXPECT_GE((*status)["documents"]["held"][0]["age_s"].get<int64_t>(), 0);

  // The edge's series: an age per kind held; both pages pass promtool.
  auto edge_metrics = HttpGet("127.0.0.1", chain.edge(0).http_port(), "/metrics");
  ASSERT_TRUE(edge_metrics && edge_metrics->status == 200);
  EXPECT_NE(edge_metrics->body.find("storepulse_edge_document_age_seconds{kind=\"catalogue\"} "),
            std::string::npos);
  EXPECT_NE(edge_metrics->body.find("storepulse_edge_document_age_seconds{kind=\"targets\"} "),
            std::string::npos);
  // The catalogue, the targets and, once central computed it, the store's context.
  const size_t held_at = edge_metrics->body.find("\nstorepulse_edge_documents_held ");
  ASSERT_NE(held_at, std::string::npos);
  const int held = std::stoi(edge_metrics->body.substr(held_at + 32));
  EXPECT_TRUE(held == 2 || held == 3) << held;
  auto central_metrics = HttpGet("127.0.0.1", chain.central().http_port(), "/metrics");
  ASSERT_TRUE(central_metrics && central_metrics->status == 200);
  for (const auto& [text, name] : {std::pair{edge_metrics->body, std::string("edge")},
                                   std::pair{central_metrics->body, std::string("central")}}) {
    if (auto complaints = PromtoolComplaints(text, files.File(name + ".prom"))) {
      EXPECT_EQ(*complaints, "") << name;
    }
  }
}

TEST(DocumentsTest, CentralKilledMidSnapshotLeavesTheEdgeWithAWholeVersionNeverAHalfOne) {
  TempDir files;
  const std::string file = files.File("documents.json");
  const DocumentRows small = Catalogue(10);
  WriteDocuments(file, small);
  // 1 KiB parts, 4 every 20 ms: the 20,000-row catalogue (~1 MB) takes seconds to send.
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--documents-file", file, "--document-part-bytes", "1024"});
  ASSERT_TRUE(chain.StartAll());
  ASSERT_TRUE(WaitHeld(chain.edge(0), "catalogue", DocumentVersion(small)));
  const double bytes_before = Metric(chain.central(), kCatalogueBytes);

  const DocumentRows big = Catalogue(20'000, " (new range)");
  WriteDocuments(file, big);
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(
      WaitUntil([&] { return Metric(chain.central(), kCatalogueBytes) > bytes_before + 4096; },
                std::chrono::seconds(20)));
  chain.central().Kill();  // mid-snapshot
  std::optional<edge::HeldDocument> held = HeldInDatabase(chain.edge(0), "catalogue");
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->version, DocumentVersion(small));  // the old version, whole
  EXPECT_EQ(held->rows, small);

  ASSERT_TRUE(chain.central().Start());
  ASSERT_TRUE(WaitHeld(chain.edge(0), "catalogue", DocumentVersion(big), std::chrono::seconds(60)));
  held = HeldInDatabase(chain.edge(0), "catalogue");
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->rows.size(), 20'000u);
  EXPECT_EQ(DocumentVersion(held->rows), DocumentVersion(big));
}

TEST(DocumentsTest, AnEdgeNewerThanARestoredCentralKeepsItsVersionUntilCentralsSnapshot) {
  TempDir files;
  const std::string file = files.File("documents.json");
  const DocumentRows newer = Catalogue(50, " v9");
  WriteDocuments(file, newer);
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--documents-file", file});
  ASSERT_TRUE(chain.StartAll());
  ASSERT_TRUE(WaitHeld(chain.edge(0), "catalogue", DocumentVersion(newer)));

  // Central comes back from an older backup: it knows only an older catalogue.
  chain.central().Stop();
  const DocumentRows older = Catalogue(40, " v8");
  WriteDocuments(file, older);
  EXPECT_EQ(HeldAtEdge(chain.edge(0), "catalogue").first, DocumentVersion(newer));  // kept
  ASSERT_TRUE(chain.central().Start());
  ASSERT_TRUE(WaitHeld(chain.edge(0), "catalogue", DocumentVersion(older)));
  EXPECT_EQ(HeldInDatabase(chain.edge(0), "catalogue")->rows, older);
  EXPECT_EQ(Metric(chain.central(), kCatalogueSnapshots), 1);
  EXPECT_EQ(Metric(chain.central(), kCatalogueDeltas), 0);
}

// Every message central sends a hand-driven edge within `window`.
std::vector<wire::Message> Drain(WireClient& client, std::chrono::milliseconds window) {
  std::vector<wire::Message> messages;
  const auto end = std::chrono::steady_clock::now() + window;
  while (std::chrono::steady_clock::now() < end) {
    auto message = client.Receive(std::chrono::milliseconds(100));
    if (message) messages.push_back(std::move(*message));
  }
  return messages;
}

TEST(DocumentsTest, AnEdgeThatSaysNothingOfDocumentsIsSentNone) {
  TempDir files;
  const std::string file = files.File("documents.json");
  const DocumentRows catalogue = Catalogue(3);
  WriteDocuments(file, catalogue);
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--documents-file", file});
  ASSERT_TRUE(chain.StartCentral());
  WireClient edge = chain.Wire(0);
  edge.Send(wire::Hello{"PAR1", "abc", 0, "0.1.0"});
  auto welcome = edge.Receive();
  ASSERT_TRUE(welcome && std::holds_alternative<wire::Welcome>(*welcome));
  const auto& capabilities = std::get<wire::Welcome>(*welcome).capabilities;
  EXPECT_NE(std::find(capabilities.begin(), capabilities.end(), "documents"), capabilities.end());
  EXPECT_NE(std::find(capabilities.begin(), capabilities.end(), "network_stock"),
            capabilities.end());

  // An older edge: a heartbeat without documents.
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const wire::Heartbeat old_beat{now_ms, 0, 0, 0, 0, 0, 1 << 30, true, "0.1.0", {}, {}};
  edge.Send(old_beat);
  for (const wire::Message& m : Drain(edge, std::chrono::milliseconds(1500))) {
    EXPECT_FALSE(std::holds_alternative<wire::Document>(m));
  }
  // The same edge saying it holds nothing gets the catalogue, whole.
  wire::Heartbeat new_beat = old_beat;
  new_beat.documents = std::map<std::string, std::string>{};
  edge.Send(new_beat);
  std::optional<wire::Document> part;  // the catalogue's (central sends the store's context too)
  for (const wire::Message& m : Drain(edge, std::chrono::milliseconds(1500))) {
    if (auto* d = std::get_if<wire::Document>(&m); d && d->kind == "catalogue") part = *d;
  }
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(part->kind, "catalogue");
  EXPECT_EQ(part->version, DocumentVersion(catalogue));
  EXPECT_EQ(part->base_version, "");
  EXPECT_TRUE(part->last);
  EXPECT_EQ(part->rows.size(), 3u);
}

// A hand-driven edge saying absurd things about documents and stock: central refuses or ignores
// each, answers what it should, and keeps serving.
TEST(DocumentsTest, AbsurdDocumentMessagesFromAnEdgeAreRefusedOrIgnoredAndCentralStaysUp) {
  TempDir files;
  const std::string file = files.File("documents.json");
  WriteDocuments(file, Catalogue(3));
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--documents-file", file});
  ASSERT_TRUE(chain.StartCentral());
  WireClient edge = chain.Wire(0);
  edge.Send(wire::Hello{"PAR1", "abc", 0, "0.1.0"});
  ASSERT_TRUE(edge.Receive().has_value());  // the welcome
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  // A version that is no version: the heartbeat is refused as malformed (the field named, not
  // answered), and no document is sent.
  wire::Heartbeat crowded{now_ms, 0, 0, 0, 0, 0, 1 << 30, true, "0.1.0", {}, {}};
  crowded.documents = std::map<std::string, std::string>{{"catalogue", "v1"}};
  edge.Send(crowded);
  for (const wire::Message& m : Drain(edge, std::chrono::milliseconds(1000))) {
    EXPECT_FALSE(std::holds_alternative<wire::Document>(m));
  }
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    if (!fleet) return false;
    for (const json& refusal : (*fleet)["refusals"]) {
      if (refusal["reason"] == "malformed" &&
          refusal.value("detail", "").find("'documents.version'") != std::string::npos) {
        return true;
      }
    }
    return false;
  }));
  // An ack of nothing central sent, with a bad version: ignored, no answer.
  edge.Send(wire::DocumentAck{"catalogue", "not-a-version", ""});
  edge.Send(wire::DocumentAck{"catalogue", "0123456789abcdef", ""});
  // A stock request for no SKU: a 400 answer naming the field.
  edge.Send(wire::StockRequest{5, ""});
  std::optional<wire::StockAnswer> answer;
  for (const wire::Message& m : Drain(edge, std::chrono::milliseconds(1500))) {
    EXPECT_FALSE(std::holds_alternative<wire::Error>(m));
    if (auto* a = std::get_if<wire::StockAnswer>(&m)) answer = *a;
  }
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->request_id, 5);
  EXPECT_EQ(answer->status, 400);
  EXPECT_NE(answer->body.find("'sku'"), std::string::npos) << answer->body;
  // And a well-formed one: central's own answer.
  edge.Send(wire::StockRequest{6, "SKU-1"});
  answer.reset();
  for (const wire::Message& m : Drain(edge, std::chrono::milliseconds(1500))) {
    if (auto* a = std::get_if<wire::StockAnswer>(&m)) answer = *a;
  }
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->request_id, 6);
  EXPECT_EQ(answer->status, 200);
  auto central = GetJson(chain.central().http_port(), "/api/v1/stock?sku=SKU-1");
  ASSERT_TRUE(central.has_value());
  EXPECT_EQ(json::parse(answer->body)["stores"][0]["store"], (*central)["stores"][0]["store"]);
  EXPECT_TRUE(GetJson(chain.central().http_port(), "/healthz").has_value());
}

// A new edge against an older central (its welcome without `documents` nor `network_stock`): a
// hand-driven ROUTER with central's key stands for it. The edge's heartbeat is the nine-field one
// every central reads, it sends no document message, and the network stock says plainly why not.
TEST(DocumentsTest, ANewEdgeAgainstAnOlderCentralWorksAsBefore) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  zmq::context_t context;
  zmq::socket_t older(context, zmq::socket_type::router);
  older.set(zmq::sockopt::curve_server, 1);
  older.set(zmq::sockopt::curve_secretkey, chain.central_keys().secret_key);
  older.set(zmq::sockopt::linger, 0);
  older.bind(chain.central().endpoint());
  ASSERT_TRUE(chain.StartEdge(0));

  // Answers the hello with a version-1 welcome without capabilities; collects the heartbeats'
  // bytes and any message type an older central would not know.
  std::vector<std::string> heartbeats;
  std::vector<std::string> unknown_to_it;
  auto serve = [&](std::chrono::milliseconds window) {
    const auto end = std::chrono::steady_clock::now() + window;
    while (std::chrono::steady_clock::now() < end) {
      zmq::pollitem_t items[] = {{older.handle(), 0, ZMQ_POLLIN, 0}};
      if (zmq::poll(items, 1, std::chrono::milliseconds(100)) == 0) continue;
      zmq::message_t identity, payload;
      if (!older.recv(identity) || !older.recv(payload)) continue;
      auto message = wire::Decode(payload.to_string_view());
      ASSERT_TRUE(message.ok()) << message.status().message();
      if (auto* hello = std::get_if<wire::Hello>(&*message)) {
        const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
        const std::string welcome =
            wire::Encode(wire::Welcome{hello->incarnation, hello->last_seq, now_ms, {}});
        older.send(identity, zmq::send_flags::sndmore);
        older.send(zmq::buffer(welcome));
      } else if (std::holds_alternative<wire::Heartbeat>(*message)) {
        heartbeats.emplace_back(payload.to_string());
      } else if (message->index() > 5) {  // beyond hello … error: the six first types
        unknown_to_it.emplace_back(std::to_string(message->index()));
      }
    }
  };
  serve(std::chrono::milliseconds(2000));
  ASSERT_FALSE(heartbeats.empty());
  for (const std::string& beat : heartbeats) {
    EXPECT_EQ(beat[0], '\x9b');  // [version, type, 9 fields]: what every version-1 central reads
    EXPECT_FALSE(std::get<wire::Heartbeat>(*wire::Decode(beat)).documents.has_value());
  }
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["replication"]["streaming"], true);
  EXPECT_EQ((*status)["documents"]["central_sends"], false);
  EXPECT_EQ((*status)["documents"]["held"], json::array());
  // The network stock: not asked of a central that does not answer it.
  std::optional<json> stock;
  std::thread ask(
      [&] { stock = GetJson(chain.edge(0).http_port(), "/api/v1/stock?sku=A&network=1"); });
  serve(std::chrono::milliseconds(1000));
  ask.join();
  ASSERT_TRUE(stock.has_value());
  EXPECT_EQ((*stock)["network"], "unavailable");
  EXPECT_EQ((*stock)["reason"], "central does not answer stock requests (an older version)");
  EXPECT_TRUE(unknown_to_it.empty());
  EXPECT_EQ(chain.edge(0).Stop(), 0);
}

}  // namespace
}  // namespace storepulse::test_support
