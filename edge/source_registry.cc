#include "edge/source_registry.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/kpi/source_completeness.h"
#include "common/log.h"

namespace storepulse::edge {

namespace {

constexpr int64_t kForgetMs = common::kKnownSourceDays * 86'400'000;
constexpr int kFileVersion = 1;

// The kind and id an event names as its source, without copying the id; false for none.
bool SourceOfEvent(const common::Event& e, common::SourceKind* kind, const std::string** id) {
  if ((e.type == common::EventType::kSale || e.type == common::EventType::kReturn) &&
      !e.till.empty()) {
    *kind = common::SourceKind::kTill;
    *id = &e.till;
    return true;
  }
  if (e.type == common::EventType::kFootfall) {
    *kind = common::SourceKind::kCounter;
    *id = &e.sensor;
    return true;
  }
  return false;
}

common::Status WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return common::Unavailable(std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return common::OkStatus();
}

// Replaces `path` by `text` whole: a temp file beside it, fsync, rename.
common::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    return common::Unavailable("cannot write " + temp + ": " + std::strerror(errno));
  }
  common::Status written = WriteAll(fd, text);
  if (written.ok() && ::fsync(fd) != 0) written = common::Unavailable(std::strerror(errno));
  ::close(fd);
  if (written.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    written = common::Unavailable(std::strerror(errno));
  }
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return common::Unavailable("cannot write " + path + ": " + written.message());
  }
  return common::OkStatus();
}

}  // namespace

SourceRegistry::SourceRegistry(std::string data_dir, const common::Clock& clock)
    : path_(std::move(data_dir) + "/sources.json"), clock_(clock) {
  Load();
}

SourceRegistry::~SourceRegistry() { Stop(); }

void SourceRegistry::Observe(const std::vector<common::Event>& events, int64_t arrival_ms) {
  // The batch's sources first, without the lock: a batch comes from a few sources, usually in
  // runs, so most events only compare with the previous one.
  std::map<std::pair<common::SourceKind, std::string_view>, int64_t> batch;
  std::pair<common::SourceKind, std::string_view> last_key;
  int64_t* last = nullptr;
  for (const common::Event& e : events) {
    common::SourceKind kind;
    const std::string* id = nullptr;
    if (!SourceOfEvent(e, &kind, &id) || e.ts_ms < arrival_ms - kForgetMs) continue;
    if (last == nullptr || last_key.first != kind || last_key.second != *id) {
      last_key = {kind, *id};
      last = &batch.try_emplace(last_key, e.ts_ms).first->second;
    }
    *last = std::max(*last, e.ts_ms);
  }
  if (batch.empty()) return;
  std::lock_guard lock(mu_);
  for (const auto& [key, last_event_ms] : batch) {
    common::SourceRef source{key.first, std::string(key.second)};
    auto it = sources_.find(source);
    if (it == sources_.end()) {
      if (sources_.size() >= kMaxSources) {
        if (!full_logged_) {
          common::LogWarning("source health: " + std::to_string(kMaxSources) +
                             " tills and counters known already; " +
                             common::SourceLabel(source) +
                             " and any other new one are not followed until some are forgotten "
                             "(after " + std::to_string(common::kKnownSourceDays) +
                             " days without a word)");
          full_logged_ = true;
        }
        continue;
      }
      it = sources_.emplace(source, SourceRecord{source, arrival_ms, arrival_ms, last_event_ms})
               .first;
    }
    SourceRecord& record = it->second;
    record.last_seen_ms = std::max(record.last_seen_ms, arrival_ms);
    record.last_event_ms = std::max(record.last_event_ms, last_event_ms);
  }
  dirty_ = true;
}

std::vector<SourceRecord> SourceRegistry::Snapshot(int64_t now_ms) const {
  std::lock_guard lock(mu_);
  std::vector<SourceRecord> records;
  records.reserve(sources_.size());
  for (const auto& [source, record] : sources_) {
    if (record.last_seen_ms >= now_ms - kForgetMs) records.push_back(record);
  }
  return records;
}

common::Status SourceRegistry::Save() {
  std::lock_guard saving(save_mu_);
  nlohmann::json list = nlohmann::json::array();
  {
    std::lock_guard lock(mu_);
    const int64_t forget_before = clock_.NowMs() - kForgetMs;
    for (auto it = sources_.begin(); it != sources_.end();) {
      if (it->second.last_seen_ms < forget_before) {
        it = sources_.erase(it);
        dirty_ = true;
        full_logged_ = false;
        continue;
      }
      ++it;
    }
    if (!dirty_) return common::OkStatus();
    for (const auto& [source, r] : sources_) {
      list.push_back({{"kind", common::SourceKindName(source.kind)},
                      {"id", source.id},
                      {"first_seen_ms", r.first_seen_ms},
                      {"last_seen_ms", r.last_seen_ms},
                      {"last_event_ms", r.last_event_ms}});
    }
    dirty_ = false;
  }
  const nlohmann::json file = {{"version", kFileVersion}, {"sources", std::move(list)}};
  common::Status written = WriteFileAtomically(path_, file.dump());
  if (!written.ok()) {
    std::lock_guard lock(mu_);
    dirty_ = true;  // tried again at the next save
  }
  return written;
}

void SourceRegistry::Load() {
  std::ifstream in(path_);
  if (!in) return;  // a new edge, or one from before source health
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json file = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!file.is_object() || file.value("version", 0) != kFileVersion ||
      !file.contains("sources") || !file["sources"].is_array()) {
    common::LogWarning("source health: " + path_ +
                       " cannot be read; the tills and counters are learnt again from what they "
                       "send");
    return;
  }
  std::lock_guard lock(mu_);
  for (const nlohmann::json& entry : file["sources"]) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string() ||
        sources_.size() >= kMaxSources) {
      continue;
    }
    std::optional<common::SourceKind> kind =
        common::SourceKindFromName(entry.value("kind", std::string()));
    if (!kind) continue;
    common::SourceRef source{*kind, entry["id"].get<std::string>()};
    auto number = [&](const char* name) {
      return entry.contains(name) && entry[name].is_number_integer() ? entry[name].get<int64_t>()
                                                                     : int64_t{0};
    };
    sources_[source] = SourceRecord{source, number("first_seen_ms"), number("last_seen_ms"),
                                    number("last_event_ms")};
  }
}

void SourceRegistry::StartSaving(int64_t interval_ms) {
  if (saver_.joinable()) return;
  saver_ = std::thread([this, interval_ms] {
    std::string last_error;  // said once, not every few seconds
    std::unique_lock lock(mu_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stop_; });
      if (stop_) break;
      lock.unlock();
      common::Status saved = Save();
      if (!saved.ok() && saved.message() != last_error) {
        common::LogWarning("source health: " + saved.message());
      }
      last_error = saved.ok() ? "" : saved.message();
      lock.lock();
    }
  });
}

void SourceRegistry::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (saver_.joinable()) saver_.join();
  if (common::Status saved = Save(); !saved.ok()) {
    common::LogWarning("source health: " + saved.message());
  }
}

}  // namespace storepulse::edge
