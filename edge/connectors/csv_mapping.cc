#include "edge/connectors/csv_mapping.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/utf8.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

using Kind = CsvValueKind;

// The event fields a mapping may set, per event type (SPEC §2); `required` ones it must set.
struct FieldSpec {
  std::string_view name;
  Kind kind = Kind::kText;
  bool required = false;
  bool line_item = false;
};

constexpr std::array<std::string_view, 7> kTypes = {"footfall", "sale",     "return",       "stock",
                                                    "order",    "feedback", "customer_link"};
constexpr std::array<std::string_view, 7> kSettings = {
    "type", "delimiter", "header", "decimal", "date_format", "money", "id"};

std::vector<FieldSpec> FieldsOf(std::string_view type) {
  std::vector<FieldSpec> fields = {{"ts", Kind::kTime, true}};
  auto add = [&](std::initializer_list<FieldSpec> more) { fields.insert(fields.end(), more); };
  if (type == "footfall") {
    add({{"sensor", Kind::kText, true},
         {"period_s", Kind::kInteger, true},
         {"in", Kind::kInteger, true},
         {"out", Kind::kInteger, true}});
  } else if (type == "sale" || type == "return") {
    add({{"txn", Kind::kText, true},
         {"channel"},
         {"till"},
         {"employee"},
         {"customer"},
         {"sku", Kind::kText, true, true},
         {"qty", Kind::kInteger, true, true},
         {"unit_price", Kind::kMoney, true, true},
         {"discount", Kind::kMoney, false, true}});
    if (type == "return") {
      add({{"original_txn"}, {"original_channel"}, {"reason"}, {"restock", Kind::kBool}});
    }
  } else if (type == "stock") {
    add({{"sku", Kind::kText, true}, {"kind", Kind::kText, true}, {"qty", Kind::kInteger, true}});
  } else if (type == "order") {
    add({{"order", Kind::kText, true},
         {"kind", Kind::kText, true},
         {"status", Kind::kText, true},
         {"source"},
         {"reason"},
         {"promised", Kind::kTime}});
  } else if (type == "feedback") {
    add({{"scale", Kind::kText, true}, {"score", Kind::kInteger, true}, {"channel"}, {"customer"}});
  } else if (type == "customer_link") {
    add({{"customer", Kind::kText, true}, {"alias", Kind::kText, true}});
  }
  return fields;
}

template <size_t N>
std::string Joined(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string FieldNames(const std::vector<FieldSpec>& fields) {
  std::string out;
  for (const FieldSpec& f : fields) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// One `key = value` line of the file, in its section ("" before the first).
struct Entry {
  int line = 0;
  std::string section, key, value;
};

class MappingParser {
 public:
  MappingParser(const std::string& file, const std::string& name) : file_(file) {
    mapping_.name = name;
    mapping_.file = file;
  }
  common::StatusOr<CsvMapping> Parse(std::string_view text);

 private:
  common::Status Error(int line, const std::string& what) const {
    return common::InvalidArgument("mapping " + file_ +
                                   (line > 0 ? " line " + std::to_string(line) : "") + ": " + what);
  }
  common::Status Read(std::string_view text);
  common::Status Setting(const Entry& entry);
  common::Status Field(const Entry& entry, const std::vector<FieldSpec>& specs);
  common::Status CheckConstant(const CsvFieldMapping& field) const;
  common::Status CheckRequired(const std::vector<FieldSpec>& specs) const;
  common::Status IdFields();

  std::string file_;
  CsvMapping mapping_;
  std::vector<Entry> entries_;
  std::map<std::string, int> set_at_;  // setting or field → its line
  Entry id_;                           // the `id` setting, if any
};

common::Status MappingParser::Read(std::string_view text) {
  std::istringstream lines{std::string(text)};
  std::string section;
  int number = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    const std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (!common::IsValidUtf8(line)) return Error(number, "the line is not UTF-8 text");
    if (line.front() == '[') {
      section = Lower(Trim(line.substr(1, line.size() - (line.back() == ']' ? 2 : 1))));
      if (line.back() != ']' || (section != "columns" && section != "constants")) {
        return Error(number, "unknown section " + common::QuoteForMessage(line) +
                                 " (sections: [columns], [constants])");
      }
      continue;
    }
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      return Error(number, "expected key = value, got " + common::QuoteForMessage(line));
    }
    Entry entry{number, section, Lower(Trim(line.substr(0, equals))),
                std::string(Trim(line.substr(equals + 1)))};
    if (entry.value.size() >= 2 && entry.value.front() == '"' && entry.value.back() == '"') {
      entry.value = entry.value.substr(1, entry.value.size() - 2);  // "…" keeps blanks and '#'
    }
    if (entry.key.empty()) return Error(number, "a line with no key before '='");
    if (entry.value.empty()) return Error(number, "no value for '" + entry.key + "'");
    entries_.push_back(std::move(entry));
  }
  return common::OkStatus();
}

common::Status MappingParser::Setting(const Entry& e) {
  const std::string& v = e.value;
  const std::string lower = Lower(v);
  auto bad = [&](const std::string& expected) {
    return Error(e.line, e.key + " must be " + expected + ", not " + common::QuoteForMessage(v));
  };
  if (e.key == "type") {
    for (std::string_view type : kTypes) {
      if (lower == type) mapping_.type = lower;
    }
    if (mapping_.type.empty()) return bad("one of " + Joined(kTypes));
  } else if (e.key == "delimiter") {
    if (v != "," && v != ";" && v != "|" && lower != "tab") return bad("',', ';', '|' or tab");
    mapping_.delimiter = lower == "tab" ? '\t' : v[0];
  } else if (e.key == "header") {
    if (lower != "yes" && lower != "no") return bad("yes or no");
    mapping_.header = lower == "yes";
  } else if (e.key == "decimal") {
    if (v != "." && v != ",") return bad("'.' or ','");
    mapping_.decimal = v[0];
  } else if (e.key == "date_format") {
    auto format = DateFormat::Parse(v);
    if (!format.ok()) return Error(e.line, format.status().message());
    mapping_.date_format = *format;
  } else if (e.key == "money") {
    if (lower != "major" && lower != "minor") return bad("major (12.50) or minor (1250)");
    mapping_.money = lower == "major" ? MoneyUnit::kMajor : MoneyUnit::kMinor;
  } else if (e.key == "id") {
    id_ = e;
  } else {
    return Error(e.line, "unknown setting '" + e.key + "' (settings: " + Joined(kSettings) +
                             "; event fields go under [columns] or [constants])");
  }
  return common::OkStatus();
}

common::Status MappingParser::Field(const Entry& e, const std::vector<FieldSpec>& specs) {
  auto spec =
      std::find_if(specs.begin(), specs.end(), [&](const FieldSpec& s) { return s.name == e.key; });
  if (spec == specs.end()) {
    for (std::string_view setting : kSettings) {
      if (e.key == setting) {
        return Error(e.line, "'" + e.key + "' is a setting: put it before [" + e.section + "]");
      }
    }
    return Error(e.line, "unknown field '" + e.key + "' (a " + mapping_.type +
                             " mapping has: " + FieldNames(specs) + ")");
  }
  CsvFieldMapping field;
  field.field = e.key;
  field.kind = spec->kind;
  field.line_item = spec->line_item;
  field.line = e.line;
  if (e.section == "constants") {
    field.constant = e.value;
    RETURN_IF_ERROR(CheckConstant(field));
  } else if (mapping_.header) {
    field.column = e.value;
  } else {
    auto number = ParseDecimal(e.value, 0);
    if (!number.ok() || *number < 1 || *number > 10'000) {
      return Error(e.line, "with header = no a column is named by its number from 1, not " +
                               common::QuoteForMessage(e.value));
    }
    field.column_number = static_cast<size_t>(*number);
  }
  mapping_.fields.push_back(std::move(field));
  return common::OkStatus();
}

common::Status MappingParser::CheckConstant(const CsvFieldMapping& field) const {
  const std::string& v = field.constant;
  switch (field.kind) {
    case Kind::kTime:
      return Error(field.line, "'" + field.field + "' must come from a column, not a constant");
    case Kind::kInteger:
      if (!ParseDecimal(v, 0, mapping_.decimal).ok()) {
        return Error(field.line, "'" + field.field + "' must be a whole number, not " +
                                     common::QuoteForMessage(v));
      }
      break;
    case Kind::kMoney:
      if (!ParseDecimal(v, 4, mapping_.decimal).ok()) {
        return Error(field.line,
                     "'" + field.field + "' must be an amount, not " + common::QuoteForMessage(v));
      }
      break;
    case Kind::kBool: {
      const std::string lower = Lower(v);
      if (lower != "yes" && lower != "no" && lower != "true" && lower != "false") {
        return Error(field.line, "'" + field.field + "' must be yes or no");
      }
      break;
    }
    case Kind::kText:
      break;
  }
  return common::OkStatus();
}

common::Status MappingParser::CheckRequired(const std::vector<FieldSpec>& specs) const {
  for (const FieldSpec& spec : specs) {
    if (spec.required && mapping_.Find(spec.name) == nullptr) {
      return Error(0, "a " + mapping_.type + " mapping needs '" + std::string(spec.name) +
                          "' (under [columns] or [constants])");
    }
  }
  if (mapping_.has_line_items() && set_at_.count("money") == 0) {
    return Error(0, "a " + mapping_.type +
                        " mapping needs money = major (amounts like 12.50) "
                        "or money = minor (amounts already in cents, like 1250)");
  }
  return common::OkStatus();
}

common::Status MappingParser::IdFields() {
  if (id_.line == 0) {
    if (mapping_.type == "footfall") {
      mapping_.id_fields = {"sensor", "ts"};
    } else if (mapping_.has_line_items()) {
      mapping_.id_fields = {"txn"};
      if (mapping_.Find("till") != nullptr) mapping_.id_fields.push_back("till");
    } else {
      return Error(0, "a " + mapping_.type +
                          " mapping needs id = the fields that tell one row "
                          "from another (e.g. id = sku, kind, ts), so that a re-import is a "
                          "duplicate");
    }
    return common::OkStatus();
  }
  std::istringstream list(id_.value);
  for (std::string item; std::getline(list, item, ',');) {
    const std::string field = Lower(Trim(item));
    const CsvFieldMapping* mapped = mapping_.Find(field);
    if (mapped == nullptr) {
      return Error(id_.line,
                   "id field '" + field + "' is not mapped (under [columns] or [constants])");
    }
    if (mapped->line_item) {
      return Error(id_.line, "id field '" + field + "' is a line item: a " + mapping_.type +
                                 "'s id is made of the fields of the whole " + mapping_.type);
    }
    mapping_.id_fields.push_back(field);
  }
  return common::OkStatus();
}

common::StatusOr<CsvMapping> MappingParser::Parse(std::string_view text) {
  RETURN_IF_ERROR(Read(text));
  std::vector<FieldSpec> specs;
  for (const Entry& entry : entries_) {
    const std::string key = (entry.section.empty() ? "" : "field ") + entry.key;
    auto [first, fresh] = set_at_.emplace(key, entry.line);
    if (!fresh) {
      return Error(entry.line, "'" + entry.key + "' is set twice (first at line " +
                                   std::to_string(first->second) + ")");
    }
    if (entry.section.empty()) {
      RETURN_IF_ERROR(Setting(entry));
      continue;
    }
    if (mapping_.type.empty()) {
      return Error(entry.line,
                   "set type = (" + Joined(kTypes) + ") before [" + entry.section + "]");
    }
    if (specs.empty()) specs = FieldsOf(mapping_.type);
    RETURN_IF_ERROR(Field(entry, specs));
  }
  if (mapping_.type.empty()) return Error(0, "no type = (" + Joined(kTypes) + ")");
  if (specs.empty()) specs = FieldsOf(mapping_.type);
  RETURN_IF_ERROR(CheckRequired(specs));
  RETURN_IF_ERROR(IdFields());
  return std::move(mapping_);
}

}  // namespace

const CsvFieldMapping* CsvMapping::Find(std::string_view field) const {
  for (const CsvFieldMapping& mapped : fields) {
    if (mapped.field == field) return &mapped;
  }
  return nullptr;
}

common::StatusOr<CsvMapping> ParseCsvMapping(std::string_view text, const std::string& file,
                                             const std::string& name) {
  return MappingParser(file, name).Parse(text);
}

common::StatusOr<CsvMapping> LoadCsvMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::NotFound("cannot read the CSV mapping file " + path);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return common::Unavailable("cannot read the CSV mapping file " + path);
  return ParseCsvMapping(text.str(), path, std::filesystem::path(path).stem().string());
}

}  // namespace storepulse::edge
