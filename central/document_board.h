// What central publishes to its edges (common/reference/reference_document.h): the current
// version of each kind of reference document — one for every store (the catalogue, the reports)
// or one per store (its targets, its context) — and the few versions before it, so that an edge
// one change behind gets only the changed rows. Whoever owns a document publishes it: the
// catalogue and targets files when loaded and on SIGHUP, the context every few minutes; the
// replication server sends each edge what it lacks (docs/PROTOCOL.md, "Reference documents").
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/reference/reference_document.h"

namespace storepulse::central {

struct PublishedDocument {
  std::string kind;
  std::string version;  // common::DocumentVersion of rows
  std::shared_ptr<const common::DocumentRows> rows;
  int64_t published_ms = 0;  // when this version was first published (central clock)
};

class DocumentBoard {
 public:
  // How many versions of one document are kept to make deltas from (the current one included).
  static constexpr size_t kKeptVersions = 4;

  // `store` empty: the document of every store without one of its own. Publishing the content
  // already current changes nothing (its version and published_ms stay).
  void Publish(std::string_view kind, const std::string& store, common::DocumentRows rows,
               int64_t now_ms);

  // The version of `kind` that `store` should hold: its own, else every store's; none when
  // nothing of that kind is published.
  std::optional<PublishedDocument> Current(std::string_view kind, const std::string& store) const;

  // `version` of `kind` for `store`, when still kept: the base of a delta.
  std::shared_ptr<const common::DocumentRows> Find(std::string_view kind, const std::string& store,
                                                   const std::string& version) const;

  // The kinds with something published for `store` (its own or every store's), sorted.
  std::vector<std::string> Kinds(const std::string& store) const;

 private:
  using Key = std::pair<std::string, std::string>;  // kind, store ("" = every store)
  const std::vector<PublishedDocument>* Versions(std::string_view kind,
                                                 const std::string& store) const;

  mutable std::mutex mutex_;
  std::map<Key, std::vector<PublishedDocument>> documents_;  // oldest first, current last
};

}  // namespace storepulse::central
