// The stores file: which edges central accepts, and what it knows of each store.
// CSV with the header `store,public_key,name,region,timezone,area_m2` (SPEC §6), one store a row.
// A StoreDirectory is immutable once loaded; central swaps in a new one on SIGHUP, so it is shared
// between threads through std::shared_ptr<const StoreDirectory>.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::central {

struct StoreEntry {
  std::string store;
  std::string public_key;  // the edge's CURVE public key, Z85
  std::string name;
  std::string region;
  common::TimeZone zone;
  double area_m2 = 0;  // sales area; 0 when unknown
};

// The stores file's first line.
inline constexpr const char* kStoresFileHeader = "store,public_key,name,region,timezone,area_m2";

// One row of the stores file (no header), checked as a row of the file is; the message names what
// is wrong without a line number. For `storepulse stores add`.
common::StatusOr<StoreEntry> ParseStoresFileLine(const std::string& line);

// The row of `entry` as the file holds it, CSV-quoted where a field needs it; area_m2 empty when 0
// (unknown). No line break.
std::string FormatStoresFileLine(const StoreEntry& entry);

class StoreDirectory {
 public:
  // Every row is checked (key shape, zone, area, duplicates); the first bad row fails the load,
  // naming its line.
  static common::StatusOr<std::shared_ptr<const StoreDirectory>> Load(const std::string& path);
  static common::StatusOr<std::shared_ptr<const StoreDirectory>> Parse(const std::string& text);

  const StoreEntry* FindByKey(const std::string& public_key) const;
  const StoreEntry* FindByStore(const std::string& store) const;
  const std::vector<StoreEntry>& stores() const { return stores_; }

 private:
  std::vector<StoreEntry> stores_;
  std::map<std::string, size_t> by_key_;
  std::map<std::string, size_t> by_store_;
};

}  // namespace storepulse::central
