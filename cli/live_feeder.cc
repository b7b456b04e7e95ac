#include "cli/live_feeder.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/number_format.h"
#include "common/event_codec.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

int64_t IntField(const json& answer, const char* name) {
  const auto found = answer.find(name);
  return found != answer.end() && found->is_number_integer() ? found->get<int64_t>() : 0;
}

// The edge's answer to a batch: {"accepted":N,"duplicates":N,"rejected":[{"error":…},…]}.
void FoldAnswer(const json& answer, LiveStats* stats) {
  stats->accepted += IntField(answer, "accepted");
  stats->duplicates += IntField(answer, "duplicates");
  const auto rejected = answer.find("rejected");
  if (rejected == answer.end() || !rejected->is_array() || rejected->empty()) return;
  stats->rejected += static_cast<int64_t>(rejected->size());
  const json& first = rejected->front();
  if (first.is_object() && first.contains("error") && first["error"].is_string()) {
    stats->problem = "rejected: " + first["error"].get<std::string>();
  }
}

// An answer retrying cannot fix: the token is wrong or the URL is not an edge.
bool IsFatal(int http_status) {
  return http_status == 401 || http_status == 403 || http_status == 404;
}

// A batch the edge refused as malformed, too large or overflowing a total: sending it again would
// fail again.
bool IsBatchProblem(int http_status) {
  return http_status == 400 || http_status == 413 || http_status == 422;
}

}  // namespace

LiveFeeder::LiveFeeder(std::vector<LiveStore> stores, LiveOptions options,
                       const common::Clock& clock)
    : stores_(std::move(stores)),
      options_(options),
      clock_(clock),
      wall_start_ms_(clock.NowMs()),
      stats_(stores_.size()) {
  for (size_t i = 0; i < stores_.size(); ++i) stats_[i].sim_ms = stores_[i].start_ms;
}

int64_t LiveFeeder::SimulatedNow(const LiveStore& store, int64_t wall_ms) const {
  const double elapsed = static_cast<double>(wall_ms - wall_start_ms_) * options_.speed;
  return std::min<int64_t>(store.start_ms + std::llround(elapsed), wall_ms + options_.max_ahead_ms);
}

common::Status LiveFeeder::Tick() {
  const int64_t wall_ms = clock_.NowMs();
  for (size_t i = 0; i < stores_.size(); ++i) {
    stats_[i].last_sent = 0;
    const int64_t until_ms = SimulatedNow(stores_[i], wall_ms);
    if (until_ms <= stats_[i].sim_ms) continue;
    const common::Status fed = Feed(i, until_ms);
    if (fed.code() == common::StatusCode::kPermissionDenied ||
        fed.code() == common::StatusCode::kNotFound) {
      return fed;
    }
    stats_[i].unreachable = fed.code() == common::StatusCode::kUnavailable;
    if (!fed.ok()) stats_[i].problem = fed.message();
  }
  return common::OkStatus();
}

common::Status LiveFeeder::Feed(size_t index, int64_t until_ms) {
  LiveStats& stats = stats_[index];
  const std::vector<common::Event> events =
      stores_[index].simulator.Generate(stats.sim_ms, until_ms);
  stats.problem.clear();
  for (size_t begin = 0; begin < events.size(); begin += options_.batch_events) {
    const size_t end = std::min(events.size(), begin + options_.batch_events);
    RETURN_IF_ERROR(Post(index, events, begin, end));  // the window is sent again next tick
  }
  stats.last_sent = static_cast<int64_t>(events.size());
  stats.sim_ms = until_ms;
  return common::OkStatus();
}

common::Status LiveFeeder::Post(size_t index, const std::vector<common::Event>& events,
                                size_t begin, size_t end) {
  HttpClient& edge = *stores_[index].edge;
  const std::string body = common::EncodeJsonLines(
      std::vector<common::Event>(events.begin() + static_cast<std::ptrdiff_t>(begin),
                                 events.begin() + static_cast<std::ptrdiff_t>(end)));
  ASSIGN_OR_RETURN(HttpResponse response,
                   edge.Post("/api/v1/events", body, "application/x-ndjson"));
  if (response.status == 200) {
    const json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    FoldAnswer(answer, &stats_[index]);
    return common::OkStatus();
  }
  const common::Status refused = StatusFromHttp(edge.peer(), response.status, response.body);
  if (IsFatal(response.status)) return refused;
  if (IsBatchProblem(response.status)) {  // skip this batch: it can never pass
    stats_[index].rejected += static_cast<int64_t>(end - begin);
    stats_[index].problem = refused.message();
    return common::OkStatus();
  }
  return refused;  // 507 disk full, 5xx: try again later
}

std::string LiveFeeder::ProgressLine() const {
  std::string line;
  for (size_t i = 0; i < stores_.size(); ++i) {
    const LiveStats& stats = stats_[i];
    const std::string local = stores_[i].simulator.zone().FormatLocal(stats.sim_ms);
    if (!line.empty()) line += " · ";
    line += stores_[i].simulator.store() + " " + local.substr(5, 5) + " " + local.substr(11, 5) +
            " +" + GroupThousands(stats.last_sent) + " ev";
    if (!stats.problem.empty()) line += " (" + stats.problem.substr(0, 60) + ")";
  }
  return line;
}

std::string LiveFeeder::Summary() const {
  std::string text;
  for (size_t i = 0; i < stores_.size(); ++i) {
    const LiveStats& stats = stats_[i];
    text += stores_[i].simulator.store() + " → " + stores_[i].edge->peer().url + ": " +
            GroupThousands(stats.accepted) + " accepted, " + GroupThousands(stats.duplicates) +
            " duplicates, " + GroupThousands(stats.rejected) + " rejected; simulated up to " +
            stores_[i].simulator.zone().FormatLocal(stats.sim_ms) + "\n";
    if (!stats.problem.empty()) text += "  last problem: " + stats.problem + "\n";
  }
  return text;
}

}  // namespace storepulse::cli
