#include "edge/connectors/json_values.h"

#include <charconv>

#include "edge/connectors/source_values.h"

namespace storepulse::edge {

using nlohmann::json;

const json* JsonField(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> JsonIdText(const json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (!text.empty()) return text;
    return std::nullopt;
  }
  if (value.is_number_integer()) return value.dump();  // signed and unsigned, exact
  return std::nullopt;
}

common::StatusOr<int64_t> JsonDecimal(const json& value, int digits) {
  if (value.is_string()) return ParseDecimal(value.get_ref<const std::string&>(), digits);
  if (value.is_number_integer()) return ParseDecimal(value.dump(), digits);
  if (value.is_number_float()) {
    char text[32];
    auto end = std::to_chars(text, text + sizeof text, value.get<double>(),
                             std::chars_format::general, 15);
    return ParseDecimal(std::string_view(text, end.ptr - text), digits);
  }
  return common::InvalidArgument("not a number: " + value.dump().substr(0, 40));
}

}  // namespace storepulse::edge
