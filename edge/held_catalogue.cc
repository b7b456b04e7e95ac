#include "edge/held_catalogue.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <mutex>

#include "common/log.h"
#include "common/reference/catalogue_rows.h"
#include "edge/reference_store.h"

namespace storepulse::edge {
namespace {

std::mutex cache_mutex;
std::shared_ptr<const common::Catalogue> cached;  // the last version parsed; guarded

}  // namespace

std::shared_ptr<const common::Catalogue> HeldCatalogue(SQLite::Database& db) {
  std::string version;
  try {
    const auto versions = ReadHeldVersions(db);
    const auto it = versions.find(std::string(common::kCatalogueDocument));
    if (it == versions.end()) return nullptr;
    version = it->second;
  } catch (const SQLite::Exception& e) {
    common::LogWarning(std::string("edge.db: the catalogue's version could not be read: ") +
                       e.what());
    return nullptr;
  }
  {
    std::lock_guard lock(cache_mutex);
    if (cached && cached->version() == version) return cached;
  }
  common::StatusOr<std::optional<HeldDocument>> held = std::optional<HeldDocument>();
  try {
    held = ReadHeldDocument(db, common::kCatalogueDocument);
  } catch (const SQLite::Exception& e) {
    held = common::Internal(e.what());
  }
  if (!held.ok() || !*held) {
    if (!held.ok()) common::LogWarning("edge.db: the catalogue: " + held.status().message());
    return nullptr;
  }
  common::StatusOr<common::Catalogue> parsed =
      common::CatalogueFromRows((*held)->rows, (*held)->version, (*held)->received_ms);
  if (!parsed.ok()) {
    common::LogWarning("edge.db: catalogue " + (*held)->version +
                       " is not used: " + parsed.status().message());
    return nullptr;
  }
  auto catalogue = std::make_shared<const common::Catalogue>(std::move(parsed).value());
  std::lock_guard lock(cache_mutex);
  cached = catalogue;
  return catalogue;
}

}  // namespace storepulse::edge
