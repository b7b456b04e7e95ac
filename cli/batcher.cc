#include "cli/batcher.h"

#include "cli/number_format.h"

namespace storepulse::cli {

Batcher::Batcher(EventSource& source, IngestReport& report, size_t max_events, size_t max_bytes)
    : source_(source), report_(report), max_events_(max_events), max_bytes_(max_bytes) {}

bool Batcher::Pull(SourceEvent* event) {
  if (held_) {
    *event = std::move(*held_);
    held_.reset();
    return true;
  }
  return source_.Next(event);
}

bool Batcher::Next(Batch* batch) {
  batch->body.clear();
  batch->events.clear();
  SourceEvent event;
  while (batch->events.size() < max_events_ && Pull(&event)) {
    if (event.error.empty() && event.json.size() + 1 > max_bytes_) {
      event.error = "the event is " + GroupThousands(static_cast<int64_t>(event.json.size())) +
                    " bytes, more than a whole batch may carry";
    }
    if (!event.error.empty()) {
      report_.AddLocalRejection(event);
      continue;
    }
    if (batch->body.size() + event.json.size() + 1 > max_bytes_) {
      held_ = std::move(event);
      break;
    }
    batch->body += event.json;
    batch->body += '\n';
    batch->events.push_back({event.line, event.id});
  }
  return !batch->events.empty();
}

int64_t Batcher::NextLine() {
  SourceEvent event;
  if (!Pull(&event)) return 0;
  const int64_t line = event.line;
  held_ = std::move(event);
  return line;
}

}  // namespace storepulse::cli
