// The HyperLogLog sketch (common/sketch/hyperloglog.h): its error stays within 3 standard errors
// from a thousand to ten million ids, a union is exactly the sketch of the union, the stored form
// round-trips and is stable, and bytes that are not a sketch are refused, never trusted.
#include "common/sketch/hyperloglog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <string>

#include "common/sketch/hash64.h"

namespace storepulse::common {
namespace {

// The ids [first, last) of a family, as a simulator names customers.
HyperLogLog SketchOf(int64_t first, int64_t last, const std::string& prefix = "S1-C") {
  HyperLogLog sketch;
  for (int64_t i = first; i < last; ++i) sketch.Add(prefix + std::to_string(i));
  return sketch;
}

TEST(HyperLogLogTest, TheHashIsPinnedBecauseSketchesAreStored) {
  // Computed independently (FNV-1a 64 then MurmurHash3's fmix64, in Python) when the format was
  // made; a change here would silently corrupt every stored sketch.
  EXPECT_EQ(Hash64(""), 0xefd01f60ba992926ULL);
  EXPECT_EQ(Hash64("c1"), 0x4ad219d4c2397083ULL);
  EXPECT_EQ(Hash64("S1-N000123"), 0x56d4d2bf711317feULL);
  EXPECT_EQ(Hash64("customer-42"), 0xe5c7993df9de03b9ULL);
  HyperLogLog three;
  for (const char* id : {"c1", "c2", "c3"}) three.Add(id);
  EXPECT_EQ(three.Serialize(),
            std::string("\x01\x0e\x01\x03\xc2\xb4\x25\xc6\xb9\x1d\xf2\xe5\x2d", 13));
}

TEST(HyperLogLogTest, EstimatesAreWithinThreeStandardErrorsFromOneThousandToTenMillion) {
  const auto start = std::chrono::steady_clock::now();
  HyperLogLog sketch;
  int64_t added = 0;
  for (int64_t n : {1'000, 10'000, 100'000, 1'000'000, 10'000'000}) {
    for (; added < n; ++added) sketch.Add("S1-C" + std::to_string(added));
    const double error = std::fabs(sketch.Estimate() - n) / n;
    EXPECT_LE(error, 3 * HyperLogLog::kStandardError)
        << n << " ids: estimate " << sketch.Estimate();
    RecordProperty("relative_error_ppm_" + std::to_string(n), std::to_string(error * 1e6));
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  RecordProperty("seconds_for_10M_ids", std::to_string(seconds.count()));
}

TEST(HyperLogLogTest, SmallSetsAreCountedAlmostExactly) {
  EXPECT_EQ(HyperLogLog().Estimate(), 0);
  for (int64_t n : {1, 2, 30, 100, 300, 1000, 4000}) {
    HyperLogLog sketch = SketchOf(0, n);
    EXPECT_TRUE(sketch.sparse()) << n;
    // Linear counting over 2^20 fine registers: a few collisions at most, corrected for.
    EXPECT_NEAR(sketch.Estimate(), n, std::max(1.0, n * 0.002)) << n;
  }
  HyperLogLog twice = SketchOf(0, 300);
  twice.Merge(SketchOf(0, 300));
  EXPECT_EQ(twice, SketchOf(0, 300));  // adding an id again changes nothing
}

TEST(HyperLogLogTest, TheUnionOfTwoSketchesIsTheSketchOfTheUnion) {
  struct Case {
    int64_t a_first, a_last, b_first, b_last;
  };
  // sparse+sparse staying sparse, sparse+sparse turning dense, sparse+dense, dense+dense.
  for (const Case& c : {Case{0, 300, 200, 700}, Case{0, 3'000, 2'000, 6'000},
                        Case{0, 100, 50, 50'000}, Case{0, 40'000, 30'000, 90'000}}) {
    const HyperLogLog a = SketchOf(c.a_first, c.a_last);
    const HyperLogLog b = SketchOf(c.b_first, c.b_last);
    const HyperLogLog both = SketchOf(c.a_first, c.b_last);
    HyperLogLog ab = a, ba = b;
    ab.Merge(b);
    ba.Merge(a);
    EXPECT_EQ(ab.Registers(), both.Registers()) << c.a_last << "/" << c.b_last;
    EXPECT_EQ(ab, both);
    EXPECT_EQ(ba, both);
    EXPECT_EQ(ab.Serialize(), both.Serialize());
    EXPECT_EQ(ab.sparse(), both.sparse());
  }
}

TEST(HyperLogLogTest, SparseAndDenseMergeIntoTheDenseRegisters) {
  HyperLogLog sparse = SketchOf(0, 500);
  HyperLogLog dense = SketchOf(400, 20'000);
  ASSERT_TRUE(sparse.sparse());
  ASSERT_FALSE(dense.sparse());
  HyperLogLog into_sparse = sparse, into_dense = dense;
  into_sparse.Merge(dense);
  into_dense.Merge(sparse);
  EXPECT_FALSE(into_sparse.sparse());
  EXPECT_EQ(into_sparse, into_dense);
  EXPECT_EQ(into_dense.Registers(), SketchOf(0, 20'000).Registers());
  // The dense registers of a sparse sketch are those the dense form gets from the same ids.
  HyperLogLog forced = SketchOf(0, 500);
  forced.Merge(SketchOf(1'000'000, 1'010'000));  // dense now
  HyperLogLog direct = SketchOf(1'000'000, 1'010'000);
  direct.Merge(SketchOf(0, 500));
  EXPECT_EQ(forced, direct);
}

TEST(HyperLogLogTest, SerialisationRoundTripsBothForms) {
  for (int64_t n : {0, 1, 300, 4'096, 4'097, 100'000}) {
    const HyperLogLog sketch = SketchOf(0, n);
    const std::string bytes = sketch.Serialize();
    StatusOr<HyperLogLog> back = HyperLogLog::Deserialize(bytes);
    ASSERT_TRUE(back.ok()) << n << ": " << back.status().message();
    EXPECT_EQ(*back, sketch) << n;
    EXPECT_EQ(back->Serialize(), bytes);
    EXPECT_EQ(back->Estimate(), sketch.Estimate());
  }
}

TEST(HyperLogLogTest, AStoreDayOfAFewHundredCustomersTakesUnderAKilobyte) {
  // docs/KPIS.md quotes these sizes (bytes per store-day).
  for (auto [n, most] :
       {std::pair<int64_t, size_t>{100, 300}, {300, 750}, {1'000, 2'200}, {10'000, 12'291}}) {
    const size_t bytes = SketchOf(0, n).Serialize().size();
    EXPECT_LE(bytes, most) << n;
    RecordProperty("bytes_for_" + std::to_string(n) + "_ids", std::to_string(bytes));
  }
  EXPECT_EQ(SketchOf(0, 10'000).Serialize().size(), 3u + 12'288u);  // dense: 6 bits a register
}

void ExpectRefused(const std::string& bytes, const std::string& what) {
  StatusOr<HyperLogLog> sketch = HyperLogLog::Deserialize(bytes);
  EXPECT_FALSE(sketch.ok()) << what;
  if (!sketch.ok()) {
    EXPECT_EQ(sketch.status().code(), StatusCode::kInvalidArgument) << what;
  }
}

TEST(HyperLogLogTest, BytesThatAreNotASketchAreRefused) {
  const std::string sparse = SketchOf(0, 300).Serialize();
  const std::string dense = SketchOf(0, 20'000).Serialize();
  for (size_t n = 0; n < sparse.size(); ++n) ExpectRefused(sparse.substr(0, n), "sparse prefix");
  for (size_t n = 0; n < dense.size(); n += 97) ExpectRefused(dense.substr(0, n), "dense prefix");
  ExpectRefused(sparse + '\0', "a byte past the last entry");
  ExpectRefused(dense + '\0', "a byte past the registers");
  auto with = [](std::string bytes, size_t at, char value) {
    bytes[at] = value;
    return bytes;
  };
  ExpectRefused(with(sparse, 0, 2), "version 2");
  ExpectRefused(with(sparse, 1, 12), "precision 12");
  ExpectRefused(with(sparse, 2, 3), "form 3");
  ExpectRefused(std::string("\x01\x0e\x01\x81\x20", 5), "4097 sparse entries");
  ExpectRefused(std::string("\x01\x0e\x01\x01\x80\x00", 6), "an overlong varint");
  ExpectRefused(std::string("\x01\x0e\x01\x01\x01\x00", 6), "rank 0");
  ExpectRefused(std::string("\x01\x0e\x01\x01\x01\x2e", 6), "rank 46");
  ExpectRefused(std::string("\x01\x0e\x01\x01\x03\x05", 6), "a rank where none belongs");
  ExpectRefused(std::string("\x01\x0e\x01\x01\x00", 5), "register 0 without its rank");
  ExpectRefused(std::string("\x01\x0e\x01\x01\x80\x80\x80\x01", 8), "register 2^20");
  EXPECT_TRUE(HyperLogLog::Deserialize(std::string("\x01\x0e\x01\x01\xfe\xff\x7f", 7)).ok())
      << "register 2^20 - 1";
  std::string high_rank = std::string("\x01\x0e\x02", 3) + std::string(12'288, '\0');
  high_rank[3] = 52;  // register 0 = 52 > 51
  ExpectRefused(high_rank, "a dense rank of 52");
  high_rank[3] = 51;
  EXPECT_TRUE(HyperLogLog::Deserialize(high_rank).ok());

  // Random damage: refused or read as some valid sketch, never a crash (and a sketch read back
  // serialises to a valid sketch again).
  std::mt19937 random(9);
  for (int i = 0; i < 6'000; ++i) {
    std::string bytes = i % 2 ? sparse : dense;
    for (int flips = 1 + static_cast<int>(random() % 3); flips > 0; --flips) {
      bytes[random() % bytes.size()] ^= static_cast<char>(1 + random() % 255);
    }
    StatusOr<HyperLogLog> sketch = HyperLogLog::Deserialize(bytes);
    if (sketch.ok()) {
      EXPECT_TRUE(HyperLogLog::Deserialize(sketch->Serialize()).ok());
    }
  }
}

}  // namespace
}  // namespace storepulse::common
