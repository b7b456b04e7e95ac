#include "central/documents_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace storepulse::central {

common::StatusOr<std::vector<FileDocument>> LoadDocumentsFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return common::Unavailable("cannot read the documents file " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json root = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return common::InvalidArgument(path + ": not a JSON object {\"KIND\": {\"STORE\": {…}}}");
  }
  std::vector<FileDocument> documents;
  for (const auto& [kind, by_store] : root.items()) {
    bool plain = !kind.empty() && kind.size() <= 32;
    for (char c : kind) plain = plain && ((c >= 'a' && c <= 'z') || c == '_');
    if (!plain) return common::InvalidArgument(path + ": kind '" + kind + "': 1 to 32 a-z or _");
    if (!by_store.is_object()) {
      return common::InvalidArgument(path + ": kind " + kind + ": not an object of stores");
    }
    for (const auto& [store, rows] : by_store.items()) {
      if (store.empty() || !rows.is_object()) {
        return common::InvalidArgument(path + ": " + kind + " of store '" + store +
                                       "': a store (or *) and an object of rows");
      }
      FileDocument& document = documents.emplace_back();
      document.kind = kind;
      document.store = store == "*" ? "" : store;
      for (const auto& [key, row] : rows.items()) {
        if (key.empty() || key.size() > 256) {
          return common::InvalidArgument(path + ": " + kind + " of store " + store +
                                         ": keys are 1 to 256 bytes");
        }
        document.rows.emplace(key, row);
      }
    }
  }
  return documents;
}

}  // namespace storepulse::central
