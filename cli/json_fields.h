// Lenient reads of a field of an API answer for the CLI's tables: a missing, null or mistyped
// field reads as "nothing" rather than throwing, so one odd row never hides a whole table.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace storepulse::cli {

// object[name] when it is a string; "" otherwise.
inline std::string StringField(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// object[name] when it is a number; nothing otherwise (a store never seen has no stream).
inline std::optional<int64_t> IntField(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<int64_t>();
}

// object[name] when it is a boolean; `otherwise` if not.
inline bool BoolField(const nlohmann::json& object, const char* name, bool otherwise) {
  auto it = object.find(name);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : otherwise;
}

}  // namespace storepulse::cli
