// Fuzzes central's stores file (central/stores_file.h: StoreDirectory::Parse), which central reads
// at start and on SIGHUP and `storepulse stores add` / `enroll` write. Asserts, for a file it
// loads:
//   - every store's sales area is a finite number >= 0 (the KPIs divide by it);
//   - stores are found by their id and key;
//   - the entries written back (FormatStoresFileLine under the header) load to the same entries.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "central/stores_file.h"
#include "tests/fuzz/fuzz_check.h"

namespace central = storepulse::central;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto directory =
      central::StoreDirectory::Parse(std::string(reinterpret_cast<const char*>(data), size));
  if (!directory.ok()) return 0;
  std::string written = std::string(central::kStoresFileHeader) + "\n";
  for (const central::StoreEntry& entry : (*directory)->stores()) {
    FUZZ_CHECK(std::isfinite(entry.area_m2) && entry.area_m2 >= 0,
               "store " + entry.store + " has area " + std::to_string(entry.area_m2));
    FUZZ_CHECK((*directory)->FindByStore(entry.store) == &entry, "not found by id: " + entry.store);
    FUZZ_CHECK((*directory)->FindByKey(entry.public_key) == &entry, "not found by key");
    written += central::FormatStoresFileLine(entry) + "\n";
  }
  auto again = central::StoreDirectory::Parse(written);
  FUZZ_CHECK(again.ok(), "the written file is refused: " + again.status().message());
  const auto& before = (*directory)->stores();
  const auto& after = (*again)->stores();
  FUZZ_CHECK(before.size() == after.size(), "store count differs after writing back");
  for (size_t i = 0; i < before.size(); ++i) {
    FUZZ_CHECK(before[i].store == after[i].store && before[i].public_key == after[i].public_key &&
                   before[i].name == after[i].name && before[i].region == after[i].region &&
                   before[i].zone.name() == after[i].zone.name() &&
                   before[i].area_m2 == after[i].area_m2,
               "store " + before[i].store + " differs after writing back: " + written);
  }
  return 0;
}
