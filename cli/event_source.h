// Reading an import file (`storepulse ingest FILE`) as a sequence of events to send, each with the
// file line it comes from, so that the edge's per-event answers can be reported against lines.
// Sources read sequentially and own their stream; not thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::cli {

// One event of the file: one line of JSON Lines to send, or the reason it cannot be sent.
struct SourceEvent {
  int64_t line = 0;   // its line in the file, from 1 (a multi-row CSV event: its first row)
  std::string id;     // when known before sending (CSV); "" otherwise
  std::string json;   // one JSON object on one line, sent as is
  std::string error;  // non-empty: rejected here, never sent
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // The next event; false at the end of the file.
  virtual bool Next(SourceEvent* event) = 0;
  // Lines of the file consumed so far (for progress).
  virtual int64_t lines_read() const = 0;
};

enum class FileFormat { kJsonLines, kCsv };

// `flag` "jsonl" or "csv"; empty: from the file name (".csv", any case, is CSV; anything else is
// JSON Lines). InvalidArgument for another flag.
common::StatusOr<FileFormat> ResolveFormat(std::string_view flag, std::string_view path);

// JSON Lines: each non-blank line is sent verbatim (trailing CR dropped), so a line that is not
// valid JSON is rejected by the edge against its own line number. A line holding a JSON array is
// rejected here (the edge would read a batch starting with '[' as one array). InvalidArgument when
// the first non-blank character of the file is '[': it is a JSON array, not JSON Lines.
common::StatusOr<std::unique_ptr<EventSource>> MakeJsonLinesSource(
    std::unique_ptr<std::istream> in);

// Opens `path` in `format` (CSV: csv_events.h, read whole; JSON Lines: streamed). InvalidArgument
// when the file cannot be read or its start is not the format.
common::StatusOr<std::unique_ptr<EventSource>> OpenEventSource(const std::string& path,
                                                               FileFormat format);

// Lines in the file, a last line without a line break included (for progress percentages).
common::StatusOr<int64_t> CountLines(const std::string& path);

}  // namespace storepulse::cli
