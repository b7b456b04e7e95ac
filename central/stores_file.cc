#include "central/stores_file.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "common/csv.h"
#include "common/transport/curve_keys.h"

namespace storepulse::central {

namespace {

constexpr const char* kHeader = kStoresFileHeader;

common::Status RowError(size_t line, const std::string& what) {
  return common::InvalidArgument("stores file line " + std::to_string(line) + ": " + what);
}

common::StatusOr<StoreEntry> ParseRow(const common::CsvRow& row) {
  if (row.fields.size() != 6) {
    return RowError(row.line, "expected 6 fields (" + std::string(kHeader) + "), got " +
                                  std::to_string(row.fields.size()));
  }
  const auto& f = row.fields;
  if (f[0].empty() || f[0].size() > 64) return RowError(row.line, "store id must be 1–64 bytes");
  if (!common::IsZ85Key(f[1])) {
    return RowError(row.line, "public_key of store " + f[0] +
                                  " is not a 40-character Z85 key (the .pub file of keygen)");
  }
  auto zone = common::TimeZone::Load(f[4]);
  if (!zone.ok()) return RowError(row.line, zone.status().message());
  double area = 0;
  if (!f[5].empty()) {
    try {
      size_t used = 0;
      area = std::stod(f[5], &used);
      // std::stod reads "nan" and "inf" too: a sales area must be a finite number.
      if (used != f[5].size() || !std::isfinite(area) || area < 0) {
        throw std::invalid_argument("");
      }
    } catch (const std::exception&) {
      return RowError(row.line, "area_m2 must be a number >= 0, got \"" + f[5] + "\"");
    }
  }
  return StoreEntry{f[0], f[1], f[2], f[3], *zone, area};
}

// A CSV field, quoted when it holds a comma, a quote, a line break or edge spaces.
std::string CsvField(const std::string& value) {
  const bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string quoted = "\"";
  for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

common::StatusOr<StoreEntry> ParseStoresFileLine(const std::string& line) {
  if (line.find_first_of("\r\n") != std::string::npos) {
    return common::InvalidArgument("a stores-file line is one line: it holds a line break");
  }
  ASSIGN_OR_RETURN(auto rows, common::ParseCsv(line));
  if (rows.size() != 1) return common::InvalidArgument("the line is empty");
  auto entry = ParseRow(rows[0]);
  if (entry.ok()) return entry;
  const std::string prefix = "stores file line 1: ";
  std::string message = entry.status().message();
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  return common::InvalidArgument(message);
}

std::string FormatStoresFileLine(const StoreEntry& entry) {
  std::string area;
  if (entry.area_m2 > 0) {
    char text[32];  // 850, 1200.5: the shortest form that reads back the same
    const auto end = std::to_chars(text, text + sizeof text, entry.area_m2).ptr;
    area.assign(text, end);
  }
  return CsvField(entry.store) + "," + entry.public_key + "," + CsvField(entry.name) + "," +
         CsvField(entry.region) + "," + entry.zone.name() + "," + area;
}

common::StatusOr<std::shared_ptr<const StoreDirectory>> StoreDirectory::Load(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return common::NotFound("cannot read the stores file " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto directory = Parse(text.str());
  if (!directory.ok()) return common::InvalidArgument(path + ": " + directory.status().message());
  return directory;
}

common::StatusOr<std::shared_ptr<const StoreDirectory>> StoreDirectory::Parse(
    const std::string& text) {
  ASSIGN_OR_RETURN(auto rows, common::ParseCsv(text));
  if (rows.empty() || rows[0].fields != std::vector<std::string>{"store", "public_key", "name",
                                                                 "region", "timezone", "area_m2"}) {
    return common::InvalidArgument(std::string("the first line must be the header ") + kHeader);
  }
  auto directory = std::make_shared<StoreDirectory>();
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSIGN_OR_RETURN(StoreEntry entry, ParseRow(rows[i]));
    if (directory->by_store_.count(entry.store)) {
      return RowError(rows[i].line, "store " + entry.store + " is listed twice");
    }
    if (directory->by_key_.count(entry.public_key)) {
      return RowError(rows[i].line, "the public key of " + entry.store +
                                        " is already used by another store: each edge needs its own");
    }
    directory->by_store_[entry.store] = directory->stores_.size();
    directory->by_key_[entry.public_key] = directory->stores_.size();
    directory->stores_.push_back(std::move(entry));
  }
  return std::shared_ptr<const StoreDirectory>(std::move(directory));
}

const StoreEntry* StoreDirectory::FindByKey(const std::string& public_key) const {
  auto it = by_key_.find(public_key);
  return it == by_key_.end() ? nullptr : &stores_[it->second];
}

const StoreEntry* StoreDirectory::FindByStore(const std::string& store) const {
  auto it = by_store_.find(store);
  return it == by_store_.end() ? nullptr : &stores_[it->second];
}

}  // namespace storepulse::central
