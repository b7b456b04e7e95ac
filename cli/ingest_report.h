// The outcome of `storepulse ingest`: totals, and every rejected event or refused batch against the
// file lines it came from. The edge answers per batch with indexes into the batch; the report maps
// each index back through the batch's list of sent lines. Renders the end-of-import summary and
// the --json object (docs/CLI.md). Single-threaded.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/event_source.h"
#include "common/status.h"

namespace storepulse::cli {

// One event of a batch, in send order: where it came from.
struct SentEvent {
  int64_t line = 0;
  std::string id;  // as known before sending ("" for JSON Lines)
};

struct LineRejection {
  int64_t line = 0;  // 0 when the edge named an index outside the batch
  std::string id;
  std::string error;
};

struct BatchRefusal {
  int64_t first_line = 0;
  int64_t last_line = 0;
  int64_t events = 0;
  int http_status = 0;
  std::string error;
};

class IngestReport {
 public:
  IngestReport(std::string file, std::string edge)
      : file_(std::move(file)), edge_(std::move(edge)) {}

  // An event the CLI could not even send (e.g. a CSV row that does not fit its header).
  void AddLocalRejection(const SourceEvent& event);
  // Folds in the edge's answer to `batch` ({"accepted":N,"duplicates":N,"rejected":[{"index":i,
  // "id":…,"error":…}]}). Internal when the answer does not have that shape (nothing is counted).
  common::Status AddAnswer(const std::vector<SentEvent>& batch, const nlohmann::json& answer);
  // The edge refused `batch` as a whole (HTTP `http_status`; 0 when no answer came): nothing of it
  // was stored. Rejections listed in `answer` (when it is the edge's JSON answer) are kept too.
  void AddRefusal(const std::vector<SentEvent>& batch, int http_status, const std::string& error,
                  const nlohmann::json& answer = nullptr);
  // The import stopped early: lines from `line` on were not sent.
  void SetNotSentFrom(int64_t line) { not_sent_from_ = line; }
  void SetLinesRead(int64_t lines) { lines_read_ = lines; }

  int64_t sent() const { return sent_; }
  int64_t accepted() const { return accepted_; }
  int64_t duplicates() const { return duplicates_; }
  // Rejections sorted by line.
  std::vector<LineRejection> rejections() const;
  const std::vector<BatchRefusal>& refusals() const { return refusals_; }
  // Nothing rejected, refused or left unsent.
  bool clean() const { return rejected_.empty() && refusals_.empty() && not_sent_from_ == 0; }

  // The human summary, listing at most `max_shown` rejections and refusals each.
  std::string Summary(size_t max_shown = 20) const;
  // {"file","edge","lines","sent","accepted","duplicates","rejected":[{"line","id","error"}],
  //  "refused":[{"first_line","last_line","events","http_status","error"}],"not_sent_from_line"}
  nlohmann::json ToJson() const;

 private:
  void AddRejections(const std::vector<SentEvent>& batch, const nlohmann::json& rejected);

  std::string file_;
  std::string edge_;
  int64_t lines_read_ = 0;
  int64_t sent_ = 0;
  int64_t accepted_ = 0;
  int64_t duplicates_ = 0;
  std::vector<LineRejection> rejected_;
  std::vector<BatchRefusal> refusals_;
  int64_t not_sent_from_ = 0;
};

}  // namespace storepulse::cli
