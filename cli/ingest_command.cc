#include "cli/ingest_command.h"

#include <fstream>
#include <memory>

#include "cli/batcher.h"
#include "cli/command_line.h"
#include "cli/connector_import.h"
#include "cli/event_source.h"
#include "cli/http_client.h"
#include "cli/ingest_report.h"
#include "cli/progress.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse ingest — import events from a JSON Lines or CSV file into a store's edge, or a\n"
    "till's or counter's own export through one of the edge's connectors.\n"
    "\n"
    "Usage: storepulse ingest FILE [--edge URL] [--token-file F] [--batch N] [--format jsonl|csv]\n"
    "                              [--json]\n"
    "       storepulse ingest FILE --format CONNECTOR [--mapping NAME] [--shopify-secret-file F]\n"
    "                              [--edge URL] [--token-file F] [--json]";

constexpr std::string_view kDetails =
    "Events are sent in batches to <edge>/api/v1/events; the edge validates each one. Every\n"
    "rejected event is reported with its line in FILE. Sending a file twice is safe: events\n"
    "already stored are counted as duplicates.\n"
    "\n"
    "JSON Lines: one event object per line, with the fields of the event contract, e.g.\n"
    "  "
    "{\"id\":\"s1\",\"type\":\"sale\",\"txn\":\"T1\",\"ts\":\"2026-11-22T10:15:00+01:00\","
    "\"lines\":"
    "[{\"sku\":\"A1\",\"qty\":2,\"unit_price\":1250}]}\n"
    "\n"
    "CSV: a header row naming any of these columns, in any order:\n"
    "  id,type,ts,store,txn,channel,till,employee,customer,original_txn,original_channel,\n"
    "  reason,restock,sensor,period_s,in,out,sku,kind,qty,unit_price,discount,order,status,\n"
    "  source,promised,scale,score\n"
    "  - sale/return: each row is one line item (sku,qty,unit_price,discount); consecutive rows\n"
    "    with the same id form one event. Later rows may leave the event's columns empty.\n"
    "  - stock: sku, kind, qty are the stock fields; order: kind is the order kind.\n"
    "  - An empty cell leaves the field out. Money is in minor units (cents): 1250 = 12.50.\n"
    "  - RFC 4180 quoting: \"a, b\" holds a comma, \"\" a quote; quoted cells may span lines.\n"
    "  Example:\n"
    "    id,type,ts,txn,channel,sku,qty,unit_price,discount\n"
    "    s1,sale,2026-11-22T10:15:00+01:00,T1,store,A1,2,1250,0\n"
    "    s1,,,,,B7,1,3990,500\n"
    "\n"
    "Connectors (docs/CONNECTORS.md): --format poslog|shopify|odoo|xovis|axis|footfallcam sends\n"
    "FILE as it is (a POSLog XML export, a saved webhook body, a counter's CSV) to\n"
    "<edge>/api/v1/connectors/<name>, in one request of at most 16 MiB; the edge maps it to "
    "events\n"
    "with ids from the source's own identifiers, so sending it twice gives duplicates. --format "
    "csv\n"
    "--mapping NAME uses the edge's CSV mapping NAME (edge option --csv-mapping). A Shopify body "
    "is\n"
    "signed with --shopify-secret-file, as Shopify signs it. Rejected and skipped records are "
    "listed\n"
    "with their position and what names them in the source.\n"
    "\n"
    "Exit status: 0 all events accepted (or duplicates), 1 some rejected or a batch refused,\n"
    "2 usage error (bad flags, unreadable FILE, bad CSV header), 3 the edge cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse ingest sales-2026-11-22.jsonl\n"
    "  storepulse ingest till-export.csv --edge http://10.1.20.5:8601 --token-file "
    "/etc/storepulse/token\n"
    "  storepulse ingest events.txt --format jsonl --batch 5000 --json > report.json\n"
    "  storepulse ingest till3-2026-12-04.xml --format poslog\n"
    "  storepulse ingest door-counts.csv --format csv --mapping counters\n";

struct IngestFlags {
  std::string file;
  std::string edge = std::string(kDefaultEdgeUrl);
  std::string token_file;
  std::string format;
  std::string mapping;
  std::string shopify_secret_file;
  int batch = 1000;
  bool json = false;
  HttpAccessFlags access = {};  // --ca-file only: events go with the producer's token
};

// The options --help lists; FILE, the positional argument, is added for parsing only.
po::options_description IngestOptions(IngestFlags* f) {
  po::options_description options;
  options.add_options()("edge", po::value(&f->edge)->default_value(f->edge), "the edge's HTTP URL")(
      "token-file", po::value(&f->token_file), "file holding the edge's bearer token")(
      "batch", po::value(&f->batch)->default_value(f->batch), "events per request (1–10000)")(
      "format", po::value(&f->format),
      "jsonl or csv (default: csv for *.csv, else jsonl), or a connector: poslog, shopify, odoo, "
      "xovis, axis, footfallcam, csv with --mapping")(
      "mapping", po::value(&f->mapping), "with --format csv: the edge's CSV mapping to use")(
      "shopify-secret-file", po::value(&f->shopify_secret_file),
      "with --format shopify: the app's shared secret, to sign the body")(
      "json", po::bool_switch(&f->json), "print the outcome as one JSON object");
  options.add(HttpAccessOptions(&f->access, /*read_token=*/false));
  return options;
}

// The first line of a secret's file (a token, a shared secret), trimmed; `flag` names it in errors.
common::StatusOr<std::string> ReadSecretFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) {
    return common::InvalidArgument(flag + ": cannot read " + path);
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) return common::InvalidArgument(flag + ": " + path + " is empty");
  return token;
}

common::Status CheckFlags(const IngestFlags& flags) {
  if (flags.file.empty()) return common::InvalidArgument("missing FILE: what should be imported?");
  if (!flags.mapping.empty() && flags.format != "csv") {
    return common::InvalidArgument("--mapping goes with --format csv");
  }
  if (flags.format == "shopify" && flags.shopify_secret_file.empty()) {
    return common::InvalidArgument(
        "--format shopify needs --shopify-secret-file: the edge takes only signed webhooks");
  }
  if (flags.batch < 1 || flags.batch > static_cast<int>(common::kMaxBatchEvents)) {
    return common::InvalidArgument("--batch must be between 1 and " +
                                   std::to_string(common::kMaxBatchEvents));
  }
  return common::OkStatus();
}

// Whether the import goes on after the edge refused a batch: only a malformed batch (400, 413) or
// one whose amounts would overflow a stored total (422) is that batch's own problem; a bad token, a
// full disk or a failing edge would refuse every batch.
bool GoesOnAfter(int http_status) {
  return http_status == 400 || http_status == 413 || http_status == 422;
}

// Sends one batch and folds the answer into the report. Not OK: the import must stop.
common::Status SendBatch(HttpClient& client, const Batch& batch, IngestReport* report) {
  ASSIGN_OR_RETURN(HttpResponse response,
                   client.Post("/api/v1/events", batch.body, "application/x-ndjson"));
  const json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.status == 200) {
    common::Status folded = report->AddAnswer(batch.events, answer);
    if (!folded.ok()) report->AddRefusal(batch.events, response.status, folded.message());
    return folded;
  }
  report->AddRefusal(batch.events, response.status, HttpErrorText(response.body), answer);
  if (GoesOnAfter(response.status)) return common::OkStatus();
  return StatusFromHttp(client.peer(), response.status, response.body);
}

struct Import {
  std::unique_ptr<EventSource> source;
  std::unique_ptr<HttpClient> client;
  int64_t total_lines = 0;
};

common::StatusOr<Import> Prepare(const IngestFlags& flags) {
  Import import;
  ASSIGN_OR_RETURN(FileFormat format, ResolveFormat(flags.format, flags.file));
  ASSIGN_OR_RETURN(import.source, OpenEventSource(flags.file, format));
  ASSIGN_OR_RETURN(import.total_lines, CountLines(flags.file));
  ASSIGN_OR_RETURN(import.client, HttpClient::Create(Peer{"edge", flags.edge, "storepulse-edge", flags.access}));
  if (!flags.token_file.empty()) {
    ASSIGN_OR_RETURN(std::string token, ReadSecretFile("--token-file", flags.token_file));
    import.client->SetBearerToken(token);
  }
  return import;
}

common::Status SendAll(Import& import, Batcher& batcher, IngestReport* report,
                       ProgressMeter* progress) {
  Batch batch;
  while (batcher.Next(&batch)) {
    const common::Status sent = SendBatch(*import.client, batch, report);
    progress->Update(import.source->lines_read(), report->sent());
    if (sent.code() == common::StatusCode::kUnavailable) {  // no answer: maybe not stored
      report->SetNotSentFrom(batch.events.front().line);
      return sent;
    }
    if (!sent.ok()) {
      report->SetNotSentFrom(batcher.NextLine());
      return sent;
    }
  }
  return common::OkStatus();
}

int RunImport(const IngestFlags& flags, Import& import, CommandIo& io) {
  IngestReport report(flags.file, flags.edge);
  ProgressMeter progress(io.err, io.err_is_tty, import.total_lines, SteadyNowMs);
  Batcher batcher(*import.source, report, static_cast<size_t>(flags.batch));
  const common::Status status = SendAll(import, batcher, &report, &progress);
  progress.Finish();
  report.SetLinesRead(import.source->lines_read());
  const bool nothing_happened = report.sent() == 0 && report.rejections().empty();
  if (flags.json) {
    io.out << report.ToJson().dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else if (!(nothing_happened && status.code() == common::StatusCode::kUnavailable)) {
    io.out << report.Summary();  // (an edge that is down at once: the error says it all)
  }
  if (!status.ok()) io.err << "storepulse ingest: " << status.message() << "\n";
  if (status.code() == common::StatusCode::kUnavailable) return kExitUnreachable;
  return status.ok() && report.clean() ? kExitOk : kExitFailed;
}

int RunThroughConnector(const IngestFlags& flags, CommandIo& io) {
  ConnectorImport import{flags.file, flags.format, flags.mapping, flags.edge, "", "", flags.json,
                         flags.access};
  if (!flags.token_file.empty()) {
    auto token = ReadSecretFile("--token-file", flags.token_file);
    if (!token.ok()) return ReportUsageError(io.err, "ingest", token.status());
    import.token = *token;
  }
  if (!flags.shopify_secret_file.empty()) {
    auto secret = ReadSecretFile("--shopify-secret-file", flags.shopify_secret_file);
    if (!secret.ok()) return ReportUsageError(io.err, "ingest", secret.status());
    import.shopify_secret = *secret;
  }
  return RunConnectorImport(import, io);
}

}  // namespace

int RunIngest(const std::vector<std::string>& args, CommandIo& io) {
  IngestFlags flags;
  const po::options_description options = IngestOptions(&flags);
  const CommandLine line{"ingest", kUsage, options, kDetails, "file", &flags.file};
  auto check = [&](const po::variables_map&) { return CheckFlags(flags); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  if (IsConnectorFormat(flags.format, !flags.mapping.empty()))
    return RunThroughConnector(flags, io);
  common::StatusOr<Import> import = Prepare(flags);
  if (!import.ok()) return ReportUsageError(io.err, "ingest", import.status());
  return RunImport(flags, *import, io);
}

}  // namespace storepulse::cli
