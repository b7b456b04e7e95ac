#include "cli/event_source.h"

#include <filesystem>
#include <fstream>

#include "cli/csv_events.h"

namespace storepulse::cli {
namespace {

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

class JsonLinesSource final : public EventSource {
 public:
  explicit JsonLinesSource(std::unique_ptr<std::istream> in) : in_(std::move(in)) {}

  bool Next(SourceEvent* event) override {
    std::string text;
    while (std::getline(*in_, text)) {
      ++line_;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (line_ == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // UTF-8 BOM
      if (IsBlank(text)) continue;  // the edge skips blank lines too: they are not events
      *event = SourceEvent{line_, "", std::move(text), ""};
      // A batch starting with '[' would be read as one JSON array: never send such a line.
      if (event->json[event->json.find_first_not_of(" \t")] == '[') {
        event->error = "a JSON array, not an event object";
        event->json.clear();
      }
      return true;
    }
    return false;
  }

  int64_t lines_read() const override { return line_; }

 private:
  std::unique_ptr<std::istream> in_;
  int64_t line_ = 0;
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

common::StatusOr<FileFormat> ResolveFormat(std::string_view flag, std::string_view path) {
  if (flag == "jsonl") return FileFormat::kJsonLines;
  if (flag == "csv") return FileFormat::kCsv;
  if (!flag.empty()) {
    return common::InvalidArgument("--format: \"" + std::string(flag) +
                                   "\" is not jsonl, csv or a connector (poslog, shopify, odoo, "
                                   "xovis, axis, footfallcam)");
  }
  const bool csv = path.size() >= 4 && Lower(path.substr(path.size() - 4)) == ".csv";
  return csv ? FileFormat::kCsv : FileFormat::kJsonLines;
}

common::StatusOr<std::unique_ptr<EventSource>> MakeJsonLinesSource(
    std::unique_ptr<std::istream> in) {
  *in >> std::ws;
  if (in->peek() == '[') {
    return common::InvalidArgument(
        "the file starts with '[': it is a JSON array, and ingest reads JSON Lines (one event "
        "object per line); convert it with: jq -c '.[]' FILE > FILE.jsonl");
  }
  in->clear();
  in->seekg(0);
  if (!*in) return common::InvalidArgument("cannot rewind the input");
  return std::unique_ptr<EventSource>(new JsonLinesSource(std::move(in)));
}

common::StatusOr<std::unique_ptr<EventSource>> OpenEventSource(const std::string& path,
                                                               FileFormat format) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return common::InvalidArgument("cannot read " + path + ": it is a directory");
  }
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return common::InvalidArgument("cannot read " + path + ": no such file or no access");
  if (format == FileFormat::kCsv) {
    ASSIGN_OR_RETURN(auto csv, CsvEventSource::Open(*in));
    return std::unique_ptr<EventSource>(std::move(csv));
  }
  return MakeJsonLinesSource(std::move(in));
}

common::StatusOr<int64_t> CountLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::InvalidArgument("cannot read " + path);
  char buffer[1 << 16];
  int64_t lines = 0;
  char last = '\n';
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const std::streamsize n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) lines += buffer[i] == '\n';
    last = buffer[n - 1];
  }
  return lines + (last != '\n' ? 1 : 0);
}

}  // namespace storepulse::cli
