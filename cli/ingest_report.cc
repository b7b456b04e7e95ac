#include "cli/ingest_report.h"

#include <algorithm>

#include "cli/number_format.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

bool IsCount(const json& answer, const char* name) {
  return answer.contains(name) && answer[name].is_number_integer() &&
         answer[name].get<int64_t>() >= 0;
}

// The edge names a JSON Lines element by its line in the request body ("line 2 is not valid JSON:
// …"), which means nothing to someone reading the file; the report gives the file's line instead.
std::string WithoutBodyLine(const std::string& error) {
  if (error.rfind("line ", 0) != 0) return error;
  const size_t digits_end = error.find_first_not_of("0123456789", 5);
  if (digits_end == 5 || error.compare(digits_end, 4, " is ") != 0) return error;
  return error.substr(digits_end + 4);
}

std::string LineText(int64_t line) { return line > 0 ? "line " + GroupThousands(line) : "line ?"; }

std::string Describe(const LineRejection& r) {
  return "  " + LineText(r.line) + (r.id.empty() ? "" : " (id \"" + r.id + "\")") + ": " + r.error +
         "\n";
}

std::string Describe(const BatchRefusal& r) {
  std::string lines = r.first_line == r.last_line ? "line " + GroupThousands(r.first_line)
                                                  : "lines " + GroupThousands(r.first_line) + "–" +
                                                        GroupThousands(r.last_line);
  std::string status = r.http_status > 0 ? "HTTP " + std::to_string(r.http_status) + ": " : "";
  return "  " + lines + " (" + GroupThousands(r.events) + " events): " + status + r.error + "\n";
}

template <typename T>
std::string List(const std::string& title, const std::vector<T>& items, size_t max_shown) {
  if (items.empty()) return "";
  std::string out = title + ":\n";
  for (size_t i = 0; i < items.size() && i < max_shown; ++i) out += Describe(items[i]);
  if (items.size() > max_shown) {
    out += "  … and " + GroupThousands(static_cast<int64_t>(items.size() - max_shown)) +
           " more (--json lists them all)\n";
  }
  return out;
}

}  // namespace

void IngestReport::AddLocalRejection(const SourceEvent& event) {
  rejected_.push_back({event.line, event.id, event.error});
}

void IngestReport::AddRejections(const std::vector<SentEvent>& batch, const json& rejected) {
  if (!rejected.is_array()) return;
  for (const json& r : rejected) {
    const json index = r.is_object() ? r.value("index", json()) : json();
    const int64_t i = index.is_number_integer() ? index.get<int64_t>() : -1;
    const bool in_batch = i >= 0 && static_cast<uint64_t>(i) < batch.size();
    const SentEvent* sent = in_batch ? &batch[static_cast<size_t>(i)] : nullptr;
    LineRejection rejection{sent ? sent->line : 0, sent ? sent->id : "", "rejected"};
    if (r.is_object() && r.contains("id") && r["id"].is_string() &&
        !r["id"].get<std::string>().empty()) {
      rejection.id = r["id"].get<std::string>();
    }
    if (r.is_object() && r.contains("error") && r["error"].is_string()) {
      rejection.error = WithoutBodyLine(r["error"].get<std::string>());
    }
    rejected_.push_back(std::move(rejection));
  }
}

common::Status IngestReport::AddAnswer(const std::vector<SentEvent>& batch, const json& answer) {
  if (!answer.is_object() || !IsCount(answer, "accepted") || !IsCount(answer, "duplicates") ||
      (answer.contains("rejected") && !answer["rejected"].is_array())) {
    return common::Internal(
        "the edge's answer is not {\"accepted\":N,\"duplicates\":N,"
        "\"rejected\":[…]}: " +
        answer.dump().substr(0, 200));
  }
  sent_ += static_cast<int64_t>(batch.size());
  accepted_ += answer["accepted"].get<int64_t>();
  duplicates_ += answer["duplicates"].get<int64_t>();
  AddRejections(batch, answer.value("rejected", json::array()));
  return common::OkStatus();
}

void IngestReport::AddRefusal(const std::vector<SentEvent>& batch, int http_status,
                              const std::string& error, const json& answer) {
  if (http_status > 0) sent_ += static_cast<int64_t>(batch.size());
  if (answer.is_object()) AddRejections(batch, answer.value("rejected", json::array()));
  BatchRefusal refusal{0, 0, static_cast<int64_t>(batch.size()), http_status, error};
  if (!batch.empty()) {
    refusal.first_line = batch.front().line;
    refusal.last_line = batch.back().line;
  }
  refusals_.push_back(std::move(refusal));
}

std::vector<LineRejection> IngestReport::rejections() const {
  std::vector<LineRejection> sorted = rejected_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const LineRejection& a, const LineRejection& b) { return a.line < b.line; });
  return sorted;
}

std::string IngestReport::Summary(size_t max_shown) const {
  std::string out = file_ + " → " + edge_ + ": " + GroupThousands(lines_read_) + " lines, " +
                    GroupThousands(sent_) + " events sent\n";
  out += "  accepted    " + GroupThousands(accepted_) + "\n";
  out += "  duplicates  " + GroupThousands(duplicates_) + "\n";
  out += "  rejected    " + GroupThousands(static_cast<int64_t>(rejected_.size())) + "\n";
  out += List("Rejected", rejections(), max_shown);
  out += List("Refused batches (not stored)", refusals_, max_shown);
  if (not_sent_from_ > 0) {
    out += "Stopped: " + LineText(not_sent_from_) +
           " and after were not sent, or got no answer. Running the same import again is safe: "
           "events already stored are answered as duplicates.\n";
  }
  return out;
}

json IngestReport::ToJson() const {
  json rejected = json::array();
  for (const LineRejection& r : rejections()) {
    rejected.push_back({{"line", r.line}, {"id", r.id}, {"error", r.error}});
  }
  json refused = json::array();
  for (const BatchRefusal& r : refusals_) {
    refused.push_back({{"first_line", r.first_line},
                       {"last_line", r.last_line},
                       {"events", r.events},
                       {"http_status", r.http_status},
                       {"error", r.error}});
  }
  return {{"file", file_},
          {"edge", edge_},
          {"lines", lines_read_},
          {"sent", sent_},
          {"accepted", accepted_},
          {"duplicates", duplicates_},
          {"rejected", rejected},
          {"refused", refused},
          {"not_sent_from_line", not_sent_from_ > 0 ? json(not_sent_from_) : json()}};
}

}  // namespace storepulse::cli
