// A HyperLogLog sketch of a set of customer ids: a fixed-size summary from which the number of
// distinct ids is estimated, and which merges (set union) with another without the ids. Two forms,
// chosen by size, with the same meaning:
//
//  - dense: 2^14 = 16,384 registers (precision p = 14), each the largest "rank" (position of the
//    first 1-bit in the 50 hash bits after the register index, 1..51) seen in that register.
//    Standard error of the estimate: 1.04 / sqrt(2^14) ≈ 0.81 % of the count (so within ±2.4 %
//    for 99.7 % of sets), whatever the count. Serialised: 12,291 bytes.
//  - sparse, for small sets (a store-day holds a few hundred customers): the sorted list of the
//    occupied registers at a finer precision p' = 20 (2^20 = 1,048,576 registers), so that small
//    sets are counted almost exactly by linear counting (at 300 ids the standard deviation is
//    ~0.2 customer); each entry also keeps what the dense form needs, so converting to dense gives
//    exactly the registers the dense form would have had. A sketch turns dense, for good, when it
//    holds more than kMaxSparseEntries entries (then 4 bytes an entry in memory, as much as dense).
//
// The form is a function of the set alone (sparse iff its distinct p'-entries are at most
// kMaxSparseEntries), so the union of two sketches is identical — byte for byte once serialised —
// to the sketch of the union of their sets.
//
// Estimate: sparse, linear counting over the 2^20 fine registers; dense, Ertl's improved estimator
// ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which behaves like
// linear counting while many registers are empty and needs no empirical bias table. Ids are
// hashed with Hash64 (hash64.h), which is persisted with the sketch.
//
// Serialised form, version 1 (stored in the databases: never change it without a new version):
//   byte 0 version (1), byte 1 precision (14), byte 2 form (1 sparse, 2 dense), then
//   sparse: a varint n (<= kMaxSparseEntries), then n entries in increasing register order, each
//     the varint (gap << 1 | has_rank) — gap is the register minus the previous one minus 1 (the
//     first: the register itself) — followed, when has_rank, by one byte: the rank (1..45) of the
//     44 hash bits past p'. has_rank is set exactly when the 6 bits between p and p' are zero.
//   dense: 16,384 registers of 6 bits each, little-endian bit order, 12,288 bytes.
// Varints are LEB128, minimal. Deserialize refuses anything else (InvalidArgument): bytes read
// from a database are not trusted.
//
// A value type; not thread-safe for writes (one writer, or readers of a const sketch).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace storepulse::common {

class HyperLogLog {
 public:
  static constexpr int kPrecision = 14;
  static constexpr int kRegisters = 1 << kPrecision;
  static constexpr int kSparsePrecision = 20;
  static constexpr size_t kMaxSparseEntries = 4096;
  // The relative standard error of a dense estimate: 1.04 / sqrt(kRegisters).
  static constexpr double kStandardError = 1.04 / 128;
  static constexpr uint8_t kVersion = 1;

  HyperLogLog() = default;  // the empty set, sparse

  // Adds a customer id (Hash64 of its bytes).
  void Add(std::string_view id);
  // Adds an id by its 64-bit hash (REQUIRES: a Hash64 value, or as uniform).
  void AddHash(uint64_t hash);
  // This becomes the sketch of the union of both sets.
  void Merge(const HyperLogLog& other);

  // The estimated number of distinct ids; 0 for the empty set.
  double Estimate() const;

  bool empty() const { return dense_.empty() && sparse_.empty(); }
  bool sparse() const { return dense_.empty(); }
  // The dense registers (kRegisters values, 0..51), whatever the form: equal for equal sets.
  std::vector<uint8_t> Registers() const;

  std::string Serialize() const;
  // InvalidArgument, saying what is wrong, for anything that is not a version-1 sketch.
  static StatusOr<HyperLogLog> Deserialize(std::string_view bytes);
  // The same into `sketch`, reusing its memory (a reader of many sketches); `sketch` is the empty
  // set after an error.
  static Status DeserializeInto(std::string_view bytes, HyperLogLog* sketch);

  friend bool operator==(const HyperLogLog& a, const HyperLogLog& b) {
    return a.sparse_ == b.sparse_ && a.dense_ == b.dense_;
  }

 private:
  void AddSparseEntry(uint32_t entry);
  void SetRegister(uint32_t index, uint8_t rank);
  void ToDense();
  std::string SerializeSparse() const;
  std::string SerializeDense() const;
  // REQUIRES: empty.
  Status DeserializeSparse(std::string_view body);
  Status DeserializeDense(std::string_view body);

  // Sparse form: (register at p' << 6 | rank past p', or 0 when the p..p' bits are not all zero),
  // sorted, one entry per register. Empty when dense.
  std::vector<uint32_t> sparse_;
  // Dense form: kRegisters ranks; empty while sparse.
  std::vector<uint8_t> dense_;
};

}  // namespace storepulse::common
