#include "common/sketch/hash64.h"

namespace storepulse::common {

namespace {
// FNV-1a, 64-bit: the published offset basis and prime.
constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
}  // namespace

uint64_t Hash64(std::string_view bytes) {
  uint64_t h = kFnvOffsetBasis;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  // FNV leaves its last byte in the low bits; the finalizer (a bijection) spreads every input bit
  // over the whole word, so the sketch's register index (the top bits) is uniform too.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace storepulse::common
