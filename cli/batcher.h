// Groups the events of an import file into batches the edge takes in one POST (JSON Lines bodies
// within the limits of SPEC §2: at most `max_events` events and `max_bytes` bytes), remembering
// which file line each element of a batch came from. Events the source already rejected go
// straight to the report. Reads its source sequentially; single-threaded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/event_source.h"
#include "cli/ingest_report.h"
#include "common/event_limits.h"

namespace storepulse::cli {

struct Batch {
  std::string body;               // JSON Lines: one event per line
  std::vector<SentEvent> events;  // the origin of each line of `body`, in order
};

class Batcher {
 public:
  // Leaves room under the edge's body limit for the request's own overhead.
  static constexpr size_t kDefaultMaxBytes = common::kMaxBatchBytes - 64 * 1024;

  // `source` and `report` must outlive the Batcher.
  Batcher(EventSource& source, IngestReport& report, size_t max_events,
          size_t max_bytes = kDefaultMaxBytes);

  // Fills `batch` with the next events; false when the file has no more to send.
  bool Next(Batch* batch);
  // The line of the first event not yet handed out in a batch, or 0 at the end of the file.
  int64_t NextLine();

 private:
  bool Pull(SourceEvent* event);  // the held-back event first, then the source

  EventSource& source_;
  IngestReport& report_;
  size_t max_events_;
  size_t max_bytes_;
  std::optional<SourceEvent> held_;  // read, but did not fit the previous batch
};

}  // namespace storepulse::cli
