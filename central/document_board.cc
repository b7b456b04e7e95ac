#include "central/document_board.h"

#include <set>

namespace storepulse::central {

void DocumentBoard::Publish(std::string_view kind, const std::string& store,
                            common::DocumentRows rows, int64_t now_ms) {
  std::string version = common::DocumentVersion(rows);
  std::lock_guard lock(mutex_);
  std::vector<PublishedDocument>& versions = documents_[{std::string(kind), store}];
  if (!versions.empty() && versions.back().version == version) return;
  versions.push_back({std::string(kind), std::move(version),
                      std::make_shared<const common::DocumentRows>(std::move(rows)), now_ms});
  if (versions.size() > kKeptVersions) versions.erase(versions.begin());
}

const std::vector<PublishedDocument>* DocumentBoard::Versions(std::string_view kind,
                                                              const std::string& store) const {
  for (const std::string& scope : {store, std::string()}) {
    const auto found = documents_.find({std::string(kind), scope});
    if (found != documents_.end()) return &found->second;
  }
  return nullptr;
}

std::optional<PublishedDocument> DocumentBoard::Current(std::string_view kind,
                                                        const std::string& store) const {
  std::lock_guard lock(mutex_);
  const std::vector<PublishedDocument>* versions = Versions(kind, store);
  if (versions == nullptr) return std::nullopt;
  return versions->back();
}

std::shared_ptr<const common::DocumentRows> DocumentBoard::Find(std::string_view kind,
                                                                const std::string& store,
                                                                const std::string& version) const {
  std::lock_guard lock(mutex_);
  const std::vector<PublishedDocument>* versions = Versions(kind, store);
  if (versions == nullptr) return nullptr;
  for (const PublishedDocument& document : *versions) {
    if (document.version == version) return document.rows;
  }
  return nullptr;
}

std::vector<std::string> DocumentBoard::Kinds(const std::string& store) const {
  std::lock_guard lock(mutex_);
  std::set<std::string> kinds;
  for (const auto& [key, versions] : documents_) {
    if (key.second.empty() || key.second == store) kinds.insert(key.first);
  }
  return {kinds.begin(), kinds.end()};
}

}  // namespace storepulse::central
