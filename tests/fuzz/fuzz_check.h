// FUZZ_CHECK: a property a fuzz target asserts (tests/fuzz/*_fuzzer.cc). When it does not hold the
// target prints what and where and aborts, which libFuzzer reports as a crash and saves the input
// (crash-<sha1>), like a sanitizer's finding. Active in every build type: no NDEBUG dependence.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                     \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::fprintf(stderr, "%s:%d: property failed: %s (%s)\n", __FILE__, __LINE__, \
                   #condition, std::string(what).c_str());                             \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)
