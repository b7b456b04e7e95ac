#include "edge/ingest_service.h"

#include <future>
#include <memory>

namespace storepulse::edge {

nlohmann::json IngestResult::ToJson() const {
  nlohmann::json rejected_json = nlohmann::json::array();
  for (const Rejection& r : rejected) {
    rejected_json.push_back({{"index", r.index}, {"id", r.id}, {"error", r.error}});
  }
  nlohmann::json out = {
      {"accepted", accepted}, {"duplicates", duplicates}, {"rejected", std::move(rejected_json)}};
  if (!status.ok()) out["error"] = status.message();
  return out;
}

void IngestService::Ingest(std::vector<common::DecodedEvent> batch,
                           std::function<void(IngestResult)> done) {
  auto result = std::make_shared<IngestResult>();
  std::vector<common::Event> good;
  good.reserve(batch.size());
  const int64_t now_ms = clock_.NowMs();
  common::ValidationContext context{store_, now_ms};
  for (size_t i = 0; i < batch.size(); ++i) {
    common::DecodedEvent& decoded = batch[i];
    common::Status status = decoded.event.ok()
                                ? common::ValidateEvent(*decoded.event, context)
                                : decoded.event.status();
    if (!status.ok()) {
      result->rejected.push_back(Rejection{i, decoded.id, status.message()});
    } else {
      good.push_back(std::move(decoded.event).value());
    }
  }
  if (good.empty()) return done(std::move(*result));
  if (sources_ != nullptr) sources_->Observe(good, now_ms);
  writer_.Submit(std::move(good), [result, done = std::move(done)](
                                      common::StatusOr<std::vector<AppendOutcome>> outcomes) {
    if (!outcomes.ok()) {
      result->status = outcomes.status();
    } else {
      for (const AppendOutcome& o : *outcomes) (o.duplicate ? result->duplicates : result->accepted)++;
    }
    done(std::move(*result));
  });
}

IngestResult IngestService::IngestBlocking(std::vector<common::DecodedEvent> batch) {
  std::promise<IngestResult> promise;
  auto future = promise.get_future();
  Ingest(std::move(batch), [&promise](IngestResult r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace storepulse::edge
