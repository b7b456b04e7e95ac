// The edge's live view of its sources (common/source_ref.h: tills, people counters), learnt from
// what they send on every ingest path (IngestService: HTTP, connectors, ZeroMQ, the CLI): for
// each, when it was first and last heard from — arrival times by the edge's clock, since "sent
// nothing since" is about arrival — and the time of its latest event.
//
// Cheap on the ingest path: Observe folds a batch into an in-memory map under one short lock. The
// map is kept in <data-dir>/sources.json, outside edge.db and its event transaction: written
// (whole, atomically: a temp file, fsync, rename) every few seconds when it changed and on Stop,
// read at start. A crash loses at most the last seconds of "last seen", which is harmless; an
// unreadable file is logged and the view starts empty.
//
// What counts: only validated events, accepted or duplicate (a re-sent record still shows the
// device is alive), and only events less than kKnownSourceDays old by their own time (importing
// last month's export does not make a retired counter look alive). A source not heard from for
// kKnownSourceDays is forgotten, as a day's completeness forgets it
// (common/kpi/source_completeness.h). At most kMaxSources are kept; past that, new ones are
// ignored (and logged once) until old ones are forgotten.
//
// Thread-safe: Observe, Snapshot and Save from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/event.h"
#include "common/source_ref.h"
#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::edge {

inline constexpr size_t kMaxSources = 1000;

struct SourceRecord {
  common::SourceRef source;
  int64_t first_seen_ms = 0;   // arrival of its first event (as far as this edge remembers)
  int64_t last_seen_ms = 0;    // arrival of its latest batch
  int64_t last_event_ms = 0;   // the latest event time it sent
  bool operator==(const SourceRecord&) const = default;
};

class SourceRegistry {
 public:
  // Reads <data_dir>/sources.json when there is one.
  SourceRegistry(std::string data_dir, const common::Clock& clock);
  ~SourceRegistry();  // Stop()
  SourceRegistry(const SourceRegistry&) = delete;
  SourceRegistry& operator=(const SourceRegistry&) = delete;

  // A batch of validated events arrived at `arrival_ms`.
  void Observe(const std::vector<common::Event>& events, int64_t arrival_ms);
  // The sources known at `now_ms` (those forgotten by then left out), by kind then id.
  std::vector<SourceRecord> Snapshot(int64_t now_ms) const;

  // Writes the file when something changed since the last write.
  common::Status Save();
  // Saves every `interval_ms` on a thread of its own until Stop().
  void StartSaving(int64_t interval_ms);
  // Joins the saving thread and saves a last time.
  void Stop();

  const std::string& path() const { return path_; }

 private:
  void Load();

  const std::string path_;
  const common::Clock& clock_;
  mutable std::mutex mu_;
  std::map<common::SourceRef, SourceRecord> sources_;  // guarded by mu_
  bool dirty_ = false;                                 // guarded by mu_
  bool full_logged_ = false;                           // guarded by mu_
  std::mutex save_mu_;                                 // one writer of the file at a time
  bool stop_ = false;                                  // guarded by mu_
  std::condition_variable wake_;
  std::thread saver_;
};

}  // namespace storepulse::edge
