// The 64-bit hash of a customer id that every HyperLogLog sketch (hyperloglog.h) is built from:
// FNV-1a over the id's bytes, then the MurmurHash3 64-bit finalizer ("fmix64") so that ids that
// differ in one character differ in about half the bits of the hash, leading bits included.
//
// PERSISTED: sketches stored in the edge and central databases hold bits of these hashes. Changing
// the function (or its constants) silently corrupts every stored sketch, so it must never change
// without a new sketch serialisation version; tests/common/hyperloglog_test.cc pins known values.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace storepulse::common {

uint64_t Hash64(std::string_view bytes);

}  // namespace storepulse::common
