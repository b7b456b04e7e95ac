#include "cli/connector_import.h"

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/http_client.h"
#include "edge/connectors/connector.h"
#include "edge/connectors/shopify_signature.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kConnectors = {"poslog", "shopify", "odoo",
                                                         "xovis",  "axis",    "footfallcam"};
constexpr size_t kShown = 20;  // rejections and skips listed in the human summary

std::string ContentType(const std::string& connector, const std::string& body) {
  if (connector == "poslog") return "application/xml";
  if (connector == "footfallcam" || connector == "csv") return "text/csv";
  const size_t first = body.find_first_not_of(" \t\r\n");
  const bool json_body = first != std::string::npos && (body[first] == '{' || body[first] == '[');
  return json_body ? "application/json" : "text/csv";  // axis takes both
}

common::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::InvalidArgument("cannot read " + path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > static_cast<std::streamoff>(edge::kMaxConnectorBodyBytes)) {
    return common::InvalidArgument(
        path + " is " + std::to_string(size) + " bytes, over the connectors' " +
        std::to_string(edge::kMaxConnectorBodyBytes) +
        "-byte request limit: split it into smaller files (one day or one till each) and send "
        "each");
  }
  in.seekg(0);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `total`: the notes listed in the answer and those it only counted (the edge lists 1000).
void ListNotes(const json& notes, int64_t total, const char* what, const char* field,
               std::ostream& out) {
  if (notes.empty()) return;
  out << what << ":\n";
  size_t shown = 0;
  for (const json& note : notes) {
    if (shown++ == kShown) {
      out << "  … and " << total - static_cast<int64_t>(kShown) << " more (--json lists "
          << (total > static_cast<int64_t>(notes.size())
                  ? "the first " + std::to_string(notes.size())
                  : std::string("them all"))
          << ")\n";
      break;
    }
    out << "  #" << note.value("index", 0) << " " << note.value("source", "") << ": "
        << note.value(field, "") << "\n";
  }
}

void Summarise(const ConnectorImport& import, const json& answer, std::ostream& out) {
  const json rejected = answer.value("rejected", json::array());
  const json skipped = answer.value("skipped", json::array());
  const int64_t rejected_total =
      static_cast<int64_t>(rejected.size()) + answer.value("rejected_unlisted", int64_t{0});
  const int64_t skipped_total =
      static_cast<int64_t>(skipped.size()) + answer.value("skipped_unlisted", int64_t{0});
  out << import.file << " (" << import.connector << ") → " << import.edge << ": "
      << answer.value("events", 0) << " events mapped, " << answer.value("accepted", 0)
      << " accepted, " << answer.value("duplicates", 0) << " duplicates, " << rejected_total
      << " rejected, " << skipped_total << " skipped\n";
  ListNotes(rejected, rejected_total, "rejected", "error", out);
  ListNotes(skipped, skipped_total, "skipped", "reason", out);
}

}  // namespace

bool IsConnectorFormat(std::string_view format, bool has_mapping) {
  if (format == "csv") return has_mapping;
  for (std::string_view name : kConnectors) {
    if (format == name) return true;
  }
  return false;
}

std::string_view ConnectorFormatNames() {
  return "poslog, shopify, odoo, xovis, axis, footfallcam, csv --mapping NAME";
}

int RunConnectorImport(const ConnectorImport& import, CommandIo& io) {
  auto body = ReadWholeFile(import.file);
  if (!body.ok()) {
    io.err << "storepulse ingest: " << body.status().message() << "\n";
    return kExitUsage;
  }
  auto client = HttpClient::Create(Peer{"edge", import.edge, "storepulse-edge", import.access});
  if (!client.ok()) {
    io.err << "storepulse ingest: " << client.status().message() << "\n";
    return kExitUsage;
  }
  if (!import.token.empty()) (*client)->SetBearerToken(import.token);
  std::string target = "/api/v1/connectors/" + import.connector;
  if (!import.mapping.empty()) target += QueryString({{"mapping", import.mapping}});
  std::vector<std::pair<std::string, std::string>> headers;
  if (import.connector == "shopify") {
    headers.emplace_back("X-Shopify-Hmac-Sha256",
                         edge::ShopifySignature(import.shopify_secret, *body));
  }
  auto response = (*client)->Post(target, *body, ContentType(import.connector, *body), headers);
  if (!response.ok()) {
    io.err << "storepulse ingest: " << response.status().message() << "\n";
    return kExitUnreachable;
  }
  const json answer = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status != 200 && !answer.contains("accepted")) {
    io.err << "storepulse ingest: "
           << StatusFromHttp((*client)->peer(), response->status, response->body).message()
           << "\n";
    if (import.json && !answer.is_discarded()) io.out << answer.dump(2) << "\n";
    return kExitFailed;
  }
  if (import.json) {
    io.out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    Summarise(import, answer, io.out);
  }
  if (answer.contains("error")) {
    io.err << "storepulse ingest: not everything was stored: " << answer["error"].get<std::string>()
           << " — send the file again\n";
    return kExitFailed;
  }
  return answer.value("rejected", json::array()).empty() ? kExitOk : kExitFailed;
}

}  // namespace storepulse::cli
