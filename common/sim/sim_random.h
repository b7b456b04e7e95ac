// Deterministic randomness for the store simulator.
//
// The simulator never keeps a generator running across time: every piece of simulated traffic
// (a 15-minute slot's footfall, sale number i of a slot, an order, a day's factors) draws from its
// own stream, keyed by StreamKey(store key, what, slot, index). So any slot can be rebuilt on its
// own, and generating a period in one call or in many small windows gives the same events.
//
// The generator is SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): one add and one mix per draw, good statistical quality for a
// simulation, not for cryptography. Value type; not thread-safe (one per stream).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace storepulse::common::sim {

// The SplitMix64 finaliser: a bijective 64-bit mix.
inline uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a of a name (a store id), to key its streams.
inline uint64_t HashName(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return Mix64(h);
}

// What a stream simulates; part of every stream's key. Values are frozen: changing one changes
// every simulated store.
enum class Stream : uint64_t {
  kDay = 1,    // a local day's traffic factors
  kFootfall,   // a slot's door counts
  kTraffic,    // a slot's sale counts
  kSale,       // one sale of a slot
  kSlot,       // a slot's returns, stock movements and feedback
  kOrders,     // how many orders a slot creates
  kOrder,      // one order's life
  kCatalogue,  // the chain's catalogue
  kLinks,      // a slot's customer links
};

inline uint64_t StreamKey(uint64_t base, Stream what, int64_t a, int64_t b = 0) {
  uint64_t k = Mix64(base ^ (static_cast<uint64_t>(what) * 0x9e3779b97f4a7c15ULL));
  k = Mix64(k ^ static_cast<uint64_t>(a));
  return Mix64(k ^ (static_cast<uint64_t>(b) + 0x632be59bd9b4e019ULL));
}

class SimRandom {
 public:
  explicit SimRandom(uint64_t key) : state_(key) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); n > 0 (Lemire's multiply-shift, bias below 2^-40 for our n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return Uniform() < p; }

  // Standard normal (Box–Muller, one of the pair).
  double Normal() {
    const double u = 1.0 - Uniform();  // (0, 1]
    const double v = Uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
  // exp(sigma·N − sigma²/2): a multiplicative noise of mean 1.
  double LogNormalFactor(double sigma) { return std::exp(sigma * Normal() - sigma * sigma / 2); }

  // Poisson(lambda): Knuth's product method below 30, a rounded normal above.
  int64_t Poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda >= 30) {
      const double x = std::round(lambda + std::sqrt(lambda) * Normal());
      return x < 0 ? 0 : static_cast<int64_t>(x);
    }
    const double limit = std::exp(-lambda);
    int64_t k = 0;
    for (double p = Uniform(); p > limit; p *= Uniform()) ++k;
    return k;
  }

  // Binomial(n, p): n coin flips up to 64 trials, a rounded normal above.
  int64_t Binomial(int64_t n, double p) {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 64) {
      int64_t k = 0;
      for (int64_t i = 0; i < n; ++i) k += Uniform() < p ? 1 : 0;
      return k;
    }
    const double mean = static_cast<double>(n) * p;
    const double x = std::round(mean + std::sqrt(mean * (1 - p)) * Normal());
    return x < 0 ? 0 : (x > static_cast<double>(n) ? n : static_cast<int64_t>(x));
  }

  // An index drawn from cumulative weights `cdf[0..n)` (non-decreasing, cdf[n-1] > 0).
  template <typename Array>
  size_t Pick(const Array& cdf) {
    const double x = Uniform() * cdf[cdf.size() - 1];
    size_t i = 0;
    while (i + 1 < cdf.size() && x >= cdf[i]) ++i;
    return i;
  }

 private:
  uint64_t state_;
};

}  // namespace storepulse::common::sim
