#include "common/kpi/day_figures.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <set>

namespace storepulse::common {

Status DayFiguresBuilder::Add(const Event& event) {
  Channel channel = Channel::kStore;
  Status added = totals_.Add(MeasuresOf(event, &channel));
  if (!added.ok() && overflow_.ok()) overflow_ = added;
  ++events_;
  ids_.push_back(event.id);
  return added;
}

DayFigures DayFiguresBuilder::Finish() {
  DayFigures figures;
  figures.events = events_;
  for (size_t m = 0; m < kMeasureCount; ++m) {
    if (totals_.v[m] != 0) figures.totals[std::string(kMeasureNames[m])] = totals_.v[m];
  }
  figures.ids_hash = DayIdsHash(std::move(ids_));
  ids_.clear();
  return figures;
}

std::string DayIdsHash(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  for (const std::string& id : ids) {
    EVP_DigestUpdate(context, id.data(), id.size());
    EVP_DigestUpdate(context, "", 1);  // the NUL after each id
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

std::vector<std::string> DescribeDayDifferences(const DayFigures& edge, const DayFigures& central) {
  std::vector<std::string> out;
  if (edge.events != central.events) {
    out.push_back("events: edge " + std::to_string(edge.events) + ", central " +
                  std::to_string(central.events));
  }
  std::set<std::string> names;
  for (const auto& [name, value] : edge.totals) names.insert(name);
  for (const auto& [name, value] : central.totals) names.insert(name);
  for (const std::string& name : names) {
    auto e = edge.totals.find(name);
    auto c = central.totals.find(name);
    const int64_t at_edge = e == edge.totals.end() ? 0 : e->second;
    const int64_t at_central = c == central.totals.end() ? 0 : c->second;
    if (at_edge != at_central) {
      out.push_back(name + ": edge " + std::to_string(at_edge) + ", central " +
                    std::to_string(at_central));
    }
  }
  if (edge.ids_hash != central.ids_hash) out.push_back("ids hash");
  return out;
}

}  // namespace storepulse::common
