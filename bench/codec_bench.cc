#include "bench/codec_bench.h"

#include <functional>

#include "bench/bench_report.h"
#include "common/event_codec.h"
#include "common/event_validator.h"

namespace storepulse::bench {

namespace {

using Decoder = std::function<common::StatusOr<std::vector<common::DecodedEvent>>(
    std::string_view)>;

// Decodes and validates up to `max_batches` of the first producer's batches; events/s.
Figure DecodeFigure(const std::string& name, const std::vector<std::string>& batches,
                    const Decoder& decode, size_t max_batches) {
  common::ValidationContext context{"S1", WallNowMs()};
  size_t events = 0, bad = 0, bytes = 0;
  Stopwatch watch;
  for (size_t b = 0; b < batches.size() && b < max_batches; ++b) {
    auto decoded = decode(batches[b]);
    if (!decoded.ok()) {
      ++bad;
      continue;
    }
    bytes += batches[b].size();
    for (common::DecodedEvent& d : *decoded) {
      ++events;
      if (!d.event.ok() || !common::ValidateEvent(*d.event, context).ok()) ++bad;
    }
  }
  double seconds = watch.Seconds();
  Figure f = PlainFigure(name, static_cast<double>(events) / seconds, "events/s");
  f.extra = {{"events", events},
             {"invalid", bad},
             {"bytes_per_event", events ? bytes / events : 0},
             {"threads", 1}};
  return f;
}

}  // namespace

void RunCodecBenches(const ProducerBatches& msgpack, const ProducerBatches& json) {
  if (!msgpack.empty()) {
    PrintFigure(DecodeFigure("msgpack_decode_validate", msgpack[0], common::DecodeMsgpackBatch, 200));
  }
  if (!json.empty()) {
    PrintFigure(DecodeFigure("json_decode_validate", json[0], common::DecodeJsonBatch, 100));
  }
}

}  // namespace storepulse::bench
