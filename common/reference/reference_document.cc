#include "common/reference/reference_document.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

namespace storepulse::common {

std::string DocumentVersion(const DocumentRows& rows) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  static constexpr char kNul = '\0';
  for (const auto& [key, row] : rows) {
    const std::string text = row.dump();
    EVP_DigestUpdate(context.get(), key.data(), key.size());
    EVP_DigestUpdate(context.get(), &kNul, 1);
    EVP_DigestUpdate(context.get(), text.data(), text.size());
    EVP_DigestUpdate(context.get(), &kNul, 1);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  EVP_DigestFinal_ex(context.get(), digest, nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string version;
  for (int i = 0; i < 8; ++i) {
    version += kHex[digest[i] >> 4];
    version += kHex[digest[i] & 0xf];
  }
  return version;
}

DocumentDelta DiffDocuments(const DocumentRows& from, const DocumentRows& to) {
  DocumentDelta delta;
  for (const auto& [key, row] : to) {
    const auto old = from.find(key);
    if (old == from.end() || old->second != row) delta.upserts.emplace(key, row);
  }
  for (const auto& [key, row] : from) {
    if (!to.contains(key)) delta.removals.push_back(key);
  }
  return delta;
}

void ApplyDocumentDelta(DocumentRows& rows, const DocumentDelta& delta) {
  for (const std::string& key : delta.removals) rows.erase(key);
  for (const auto& [key, row] : delta.upserts) rows[key] = row;
}

}  // namespace storepulse::common
