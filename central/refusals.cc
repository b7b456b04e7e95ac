#include "central/refusals.h"

#include <algorithm>

#include "common/log.h"
#include "common/time_util.h"

namespace storepulse::central {

void Refusals::Record(Refusal refusal, int64_t now_ms) {
  std::lock_guard lock(mu_);
  const bool anonymous = refusal.store.empty();
  Id id{refusal.reason, refusal.key + "|" + refusal.store};
  auto row = rows_.find(id);
  if (row == rows_.end()) {
    if (anonymous && anonymous_rows_ >= kMaxAnonymous) EvictOldestAnonymous();
    anonymous_rows_ += anonymous ? 1 : 0;
    row = rows_.emplace(id, Refusal{}).first;
  }
  int64_t count = row->second.count + 1;
  row->second = refusal;
  row->second.count = count;
  row->second.last_ms = now_ms;
  Log(row->second, logged_[anonymous ? refusal.reason : refusal.reason + "|" + refusal.store],
      now_ms);
}

void Refusals::EvictOldestAnonymous() {
  auto oldest = rows_.end();
  for (auto it = rows_.begin(); it != rows_.end(); ++it) {
    if (it->second.store.empty() &&
        (oldest == rows_.end() || it->second.last_ms < oldest->second.last_ms)) {
      oldest = it;
    }
  }
  if (oldest == rows_.end()) return;
  Refusal& sum = evicted_[oldest->second.reason];
  sum.count += oldest->second.count;
  sum.last_ms = std::max(sum.last_ms, oldest->second.last_ms);
  rows_.erase(oldest);
  --anonymous_rows_;
}

void Refusals::Log(const Refusal& refusal, Logged& logged, int64_t now_ms) {
  if (logged.ever && now_ms - logged.at_ms < 60'000) {
    ++logged.unlogged;
    return;
  }
  std::string more = logged.unlogged > 0 ? " [" + std::to_string(logged.unlogged) +
                                               " more of this kind since the last line]"
                                         : "";
  common::LogWarning("refused edge" + (refusal.address.empty() ? "" : " at " + refusal.address) +
                     (refusal.store.empty() ? "" : " (store " + refusal.store + ")") + ": " +
                     refusal.reason + ": " + refusal.detail + more);
  logged.ever = true;
  logged.at_ms = now_ms;
  logged.unlogged = 0;
}

int64_t Refusals::Total() const {
  std::lock_guard lock(mu_);
  int64_t total = 0;
  for (const auto& [id, r] : rows_) total += r.count;
  for (const auto& [reason, sum] : evicted_) total += sum.count;
  for (const auto& [central, rows] : others_) {
    for (const auto& row : rows) total += row.value("count", int64_t{0});
  }
  return total;
}

int64_t Refusals::CountForStore(const std::string& store) const {
  std::lock_guard lock(mu_);
  int64_t total = 0;
  for (const auto& [id, r] : rows_) {
    if (r.store == store) total += r.count;
  }
  for (const auto& [central, rows] : others_) {
    for (const auto& row : rows) {
      if (row.value("store", "") == store) total += row.value("count", int64_t{0});
    }
  }
  return total;
}

std::map<std::string, std::map<std::string, int64_t>> Refusals::CountsByStoreAndReason() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::map<std::string, int64_t>> counts;
  for (const auto& [id, r] : rows_) counts[r.store][r.reason] += r.count;
  for (const auto& [reason, sum] : evicted_) counts[""][reason] += sum.count;
  for (const auto& [central, rows] : others_) {
    for (const auto& row : rows) {
      counts[row.value("store", "")][row.value("reason", "")] += row.value("count", int64_t{0});
    }
  }
  return counts;
}

void Refusals::SetOthers(std::map<std::string, nlohmann::json> rows_by_central) {
  for (auto it = rows_by_central.begin(); it != rows_by_central.end();) {
    if (!it->second.is_array()) {
      it = rows_by_central.erase(it);
      continue;
    }
    for (auto& row : it->second) row["central"] = it->first;
    ++it;
  }
  std::lock_guard lock(mu_);
  others_ = std::move(rows_by_central);
}

nlohmann::json Refusals::ToJson() const {
  nlohmann::json out = OwnJson();
  std::lock_guard lock(mu_);
  for (const auto& [central, rows] : others_) {
    for (const auto& row : rows) out.push_back(row);
  }
  // Most recent first (RFC 3339 UTC instants of one format sort as text), the sums of
  // refusals no longer listed one by one (no key, no store) last.
  std::stable_sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    const bool a_sum = a.value("key", "").empty() && a.value("store", "").empty();
    const bool b_sum = b.value("key", "").empty() && b.value("store", "").empty();
    if (a_sum != b_sum) return b_sum;
    return a.value("last", "") > b.value("last", "");
  });
  return out;
}

nlohmann::json Refusals::OwnJson() const {
  std::lock_guard lock(mu_);
  std::vector<const Refusal*> rows;
  for (const auto& [id, r] : rows_) rows.push_back(&r);
  std::sort(rows.begin(), rows.end(),
            [](const Refusal* a, const Refusal* b) { return a->last_ms > b->last_ms; });
  nlohmann::json out = nlohmann::json::array();
  for (const Refusal* r : rows) {
    out.push_back({{"reason", r->reason}, {"key", r->key}, {"store", r->store},
                   {"address", r->address}, {"detail", r->detail}, {"count", r->count},
                   {"last", common::FormatRfc3339Utc(r->last_ms)}});
  }
  for (const auto& [reason, sum] : evicted_) {
    out.push_back({{"reason", reason}, {"key", ""}, {"store", ""}, {"address", ""},
                   {"detail", "older refusals of other keys, no longer listed one by one"},
                   {"count", sum.count}, {"last", common::FormatRfc3339Utc(sum.last_ms)}});
  }
  return out;
}

}  // namespace storepulse::central
