#include "common/sketch/hyperloglog.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "common/sketch/hash64.h"

namespace storepulse::common {

namespace {

constexpr int kHashBits = 64;
constexpr int kMidBits = HyperLogLog::kSparsePrecision - HyperLogLog::kPrecision;  // 6
constexpr uint32_t kMidMask = (1u << kMidBits) - 1;
constexpr uint32_t kSparseRegisters = 1u << HyperLogLog::kSparsePrecision;
// The largest rank: the hash bits past the register index all zero, plus one.
constexpr int kMaxRank = kHashBits - HyperLogLog::kPrecision + 1;              // 51
constexpr int kMaxSparseRank = kHashBits - HyperLogLog::kSparsePrecision + 1;  // 45
constexpr int kRankBits = 6;
constexpr size_t kDenseBytes = HyperLogLog::kRegisters * kRankBits / 8;  // 12,288
constexpr size_t kHeaderBytes = 3;
constexpr uint8_t kSparseForm = 1;
constexpr uint8_t kDenseForm = 2;

// The position of the first 1-bit of `bits` (the rest of a hash, shifted to the top), counting
// from 1; `max_rank` when they are all zero.
uint8_t RankOf(uint64_t bits, int max_rank) {
  return bits == 0 ? static_cast<uint8_t>(max_rank)
                   : static_cast<uint8_t>(__builtin_clzll(bits) + 1);
}

// A sparse entry's dense register and rank: the rank is read from the 6 bits between p and p'
// when they are not all zero, otherwise it is 6 more than the rank kept past p'.
uint32_t DenseIndex(uint32_t entry) { return entry >> (kRankBits + kMidBits); }
uint8_t DenseRank(uint32_t entry) {
  const uint32_t mid = (entry >> kRankBits) & kMidMask;
  if (mid != 0) return static_cast<uint8_t>(__builtin_clz(mid) - (32 - kMidBits) + 1);
  return static_cast<uint8_t>(kMidBits + (entry & ((1u << kRankBits) - 1)));
}

// sigma and tau of Ertl's improved estimator (2017, section 4), evaluated until they stop moving.
double Sigma(double x) {
  if (x == 1) return std::numeric_limits<double>::infinity();
  double y = 1, z = x;
  for (;;) {
    x *= x;
    const double before = z;
    z += x * y;
    y += y;
    if (z == before) return z;
  }
}

double Tau(double x) {
  if (x == 0 || x == 1) return 0;
  double y = 1, z = 1 - x;
  for (;;) {
    x = std::sqrt(x);
    const double before = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
    if (z == before) return z / 3;
  }
}

void PutVarint(uint32_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// A minimal LEB128 varint of at most 32 bits from `*in`, which it advances; false when truncated,
// overlong or too large.
bool GetVarint(std::string_view* in, uint32_t* value) {
  const auto* at = reinterpret_cast<const uint8_t*>(in->data());
  const size_t size = std::min<size_t>(in->size(), 5);
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) {
    v |= static_cast<uint64_t>(at[i] & 0x7f) << (7 * i);
    if ((at[i] & 0x80) == 0) {
      if (at[i] == 0 && i > 0) return false;  // overlong: a trailing zero group
      if (v > std::numeric_limits<uint32_t>::max()) return false;
      *value = static_cast<uint32_t>(v);
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace

void HyperLogLog::Add(std::string_view id) { AddHash(Hash64(id)); }

void HyperLogLog::AddHash(uint64_t hash) {
  if (!sparse()) {
    SetRegister(static_cast<uint32_t>(hash >> (kHashBits - kPrecision)),
                RankOf(hash << kPrecision, kMaxRank));
    return;
  }
  const auto index = static_cast<uint32_t>(hash >> (kHashBits - kSparsePrecision));
  const uint32_t rank =
      (index & kMidMask) == 0 ? RankOf(hash << kSparsePrecision, kMaxSparseRank) : 0;
  AddSparseEntry(index << kRankBits | rank);
}

void HyperLogLog::AddSparseEntry(uint32_t entry) {
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), entry & ~((1u << kRankBits) - 1));
  if (it != sparse_.end() && (*it >> kRankBits) == (entry >> kRankBits)) {
    *it = std::max(*it, entry);  // same register: the larger rank
    return;
  }
  sparse_.insert(it, entry);
  if (sparse_.size() > kMaxSparseEntries) ToDense();
}

void HyperLogLog::SetRegister(uint32_t index, uint8_t rank) {
  dense_[index] = std::max(dense_[index], rank);
}

void HyperLogLog::ToDense() {
  dense_.assign(kRegisters, 0);
  for (const uint32_t entry : sparse_) SetRegister(DenseIndex(entry), DenseRank(entry));
  sparse_.clear();
  sparse_.shrink_to_fit();
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  if (other.sparse()) {
    if (!sparse()) {
      for (const uint32_t entry : other.sparse_) SetRegister(DenseIndex(entry), DenseRank(entry));
      return;
    }
    // Into a buffer kept per thread: a union of many sketches merges into it again and again.
    thread_local std::vector<uint32_t> merged;
    merged.resize(sparse_.size() + other.sparse_.size());
    const uint32_t *a = sparse_.data(), *a_end = a + sparse_.size();
    const uint32_t *b = other.sparse_.data(), *b_end = b + other.sparse_.size();
    uint32_t* out = merged.data();
    while (a != a_end && b != b_end) {
      const uint32_t left = *a >> kRankBits, right = *b >> kRankBits;
      if (left < right) {
        *out++ = *a++;
      } else if (right < left) {
        *out++ = *b++;
      } else {
        *out++ = std::max(*a++, *b++);  // the same register: the larger rank
      }
    }
    out = std::copy(a, a_end, out);
    out = std::copy(b, b_end, out);
    merged.resize(static_cast<size_t>(out - merged.data()));
    sparse_.swap(merged);
    if (sparse_.size() > kMaxSparseEntries) ToDense();
    return;
  }
  if (sparse()) ToDense();
  if (&other == this) return;
  // Not aliased (checked above): the compiler may then take the maximum 16 or 32 bytes at a time.
  uint8_t* __restrict into = dense_.data();
  const uint8_t* __restrict from = other.dense_.data();
  for (int i = 0; i < kRegisters; ++i) into[i] = std::max(into[i], from[i]);
}

double HyperLogLog::Estimate() const {
  if (sparse()) {
    // Linear counting over the fine registers: m' ln(m' / empty).
    const double m = kSparseRegisters;
    return -m * std::log1p(-static_cast<double>(sparse_.size()) / m);
  }
  std::array<int, kMaxRank + 1> counts{};
  for (const uint8_t rank : dense_) ++counts[rank];
  const double m = kRegisters;
  double z = m * Tau(1 - counts[kMaxRank] / m);
  for (int k = kMaxRank - 1; k >= 1; --k) z = 0.5 * (z + counts[k]);
  z += m * Sigma(counts[0] / m);
  const double alpha_infinity = 0.5 / std::log(2.0);
  return alpha_infinity * m * m / z;
}

std::vector<uint8_t> HyperLogLog::Registers() const {
  if (!sparse()) return dense_;
  std::vector<uint8_t> registers(kRegisters, 0);
  for (const uint32_t entry : sparse_) {
    registers[DenseIndex(entry)] = std::max(registers[DenseIndex(entry)], DenseRank(entry));
  }
  return registers;
}

std::string HyperLogLog::Serialize() const {
  std::string out = {static_cast<char>(kVersion), static_cast<char>(kPrecision),
                     static_cast<char>(sparse() ? kSparseForm : kDenseForm)};
  out += sparse() ? SerializeSparse() : SerializeDense();
  return out;
}

std::string HyperLogLog::SerializeSparse() const {
  std::string out;
  out.reserve(5 + sparse_.size() * 3);
  PutVarint(static_cast<uint32_t>(sparse_.size()), &out);
  uint32_t next = 0;  // the lowest register the next entry may have
  for (const uint32_t entry : sparse_) {
    const uint32_t index = entry >> kRankBits;
    const uint32_t rank = entry & ((1u << kRankBits) - 1);
    PutVarint((index - next) << 1 | (rank != 0 ? 1 : 0), &out);
    if (rank != 0) out.push_back(static_cast<char>(rank));
    next = index + 1;
  }
  return out;
}

std::string HyperLogLog::SerializeDense() const {
  std::string out;
  out.reserve(kDenseBytes);
  uint64_t bits = 0;
  int held = 0;
  for (const uint8_t rank : dense_) {
    bits |= static_cast<uint64_t>(rank) << held;
    held += kRankBits;
    while (held >= 8) {
      out.push_back(static_cast<char>(bits & 0xff));
      bits >>= 8;
      held -= 8;
    }
  }
  return out;
}

StatusOr<HyperLogLog> HyperLogLog::Deserialize(std::string_view bytes) {
  HyperLogLog sketch;
  RETURN_IF_ERROR(DeserializeInto(bytes, &sketch));
  return sketch;
}

Status HyperLogLog::DeserializeInto(std::string_view bytes, HyperLogLog* sketch) {
  sketch->sparse_.clear();
  sketch->dense_.clear();
  if (bytes.size() < kHeaderBytes) return InvalidArgument("sketch: shorter than its header");
  if (static_cast<uint8_t>(bytes[0]) != kVersion) {
    return InvalidArgument("sketch: unknown version " +
                           std::to_string(static_cast<uint8_t>(bytes[0])));
  }
  if (static_cast<uint8_t>(bytes[1]) != kPrecision) {
    return InvalidArgument("sketch: precision " + std::to_string(static_cast<uint8_t>(bytes[1])) +
                           ", expected " + std::to_string(kPrecision));
  }
  const auto form = static_cast<uint8_t>(bytes[2]);
  Status read = form == kSparseForm ? sketch->DeserializeSparse(bytes.substr(kHeaderBytes))
                : form == kDenseForm
                    ? sketch->DeserializeDense(bytes.substr(kHeaderBytes))
                    : InvalidArgument("sketch: unknown form " + std::to_string(form));
  if (!read.ok()) {  // nothing of a bad sketch is kept
    sketch->sparse_.clear();
    sketch->dense_.clear();
  }
  return read;
}

Status HyperLogLog::DeserializeSparse(std::string_view body) {
  uint32_t count = 0;
  if (!GetVarint(&body, &count)) return InvalidArgument("sketch: bad entry count");
  if (count > kMaxSparseEntries) {
    return InvalidArgument("sketch: " + std::to_string(count) + " sparse entries, at most " +
                           std::to_string(kMaxSparseEntries));
  }
  sparse_.reserve(count);
  uint64_t next = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t word = 0;
    if (!GetVarint(&body, &word)) return InvalidArgument("sketch: truncated or bad sparse entry");
    const uint64_t index = next + (word >> 1);
    if (index >= kSparseRegisters) return InvalidArgument("sketch: register out of range");
    const bool has_rank = (word & 1) != 0;
    if (has_rank != ((index & kMidMask) == 0)) {
      return InvalidArgument(
          "sketch: a sparse entry's rank is present where it must not be, "
          "or missing");
    }
    uint32_t rank = 0;
    if (has_rank) {
      if (body.empty()) return InvalidArgument("sketch: truncated sparse rank");
      rank = static_cast<uint8_t>(body.front());
      body.remove_prefix(1);
      if (rank < 1 || rank > kMaxSparseRank) return InvalidArgument("sketch: rank out of range");
    }
    sparse_.push_back(static_cast<uint32_t>(index) << kRankBits | rank);
    next = index + 1;
  }
  if (!body.empty()) return InvalidArgument("sketch: bytes after the last sparse entry");
  return OkStatus();
}

Status HyperLogLog::DeserializeDense(std::string_view body) {
  if (body.size() != kDenseBytes) {
    return InvalidArgument("sketch: dense registers of " + std::to_string(body.size()) +
                           " bytes, expected " + std::to_string(kDenseBytes));
  }
  // Four registers in every three bytes, low bits first: a network month reads hundreds of these.
  static_assert(kRankBits == 6 && kRegisters % 4 == 0);
  dense_.resize(kRegisters);
  const auto* in = reinterpret_cast<const uint8_t*>(body.data());
  uint8_t highest = 0;
  for (int i = 0; i < kRegisters; i += 4, in += 3) {
    const uint32_t word = in[0] | (uint32_t{in[1]} << 8) | (uint32_t{in[2]} << 16);
    for (int k = 0; k < 4; ++k) {
      const auto rank = static_cast<uint8_t>((word >> (kRankBits * k)) & ((1u << kRankBits) - 1));
      dense_[i + k] = rank;
      highest = std::max(highest, rank);
    }
  }
  if (highest > kMaxRank) return InvalidArgument("sketch: rank out of range");
  return OkStatus();
}

}  // namespace storepulse::common
