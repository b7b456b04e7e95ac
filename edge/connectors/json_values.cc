#include "edge/connectors/json_values.h"

#include <charconv>

#include "edge/connectors/source_values.h"

namespace storepulse::edge {

using nlohmann::json;

namespace {

// Reads a body as JSON without building it, and stops at its first error or at the first value
// nested deeper than kMaxSourceJsonDepth. (Not a parse with a callback dropping the deep values:
// nlohmann's callback parser scans an array for dropped values after each element, quadratic
// time on an array of a million objects.)
class DepthCheck final : public json::json_sax_t {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return Leave(); }
  bool start_array(std::size_t) override { return Enter(); }
  bool end_array() override { return Leave(); }
  bool parse_error(std::size_t byte, const std::string&,
                   const nlohmann::detail::exception&) override {
    error_byte = byte;
    return false;
  }

  bool too_deep = false;
  size_t error_byte = 0;

 private:
  bool Enter() {
    too_deep = ++depth_ > kMaxSourceJsonDepth;
    return !too_deep;
  }
  bool Leave() {
    --depth_;
    return true;
  }
  int depth_ = 0;
};

}  // namespace

common::StatusOr<json> ParseSourceJson(std::string_view body) {
  DepthCheck check;
  if (!json::sax_parse(body, &check)) {
    if (check.too_deep) {
      return common::InvalidArgument("JSON nested deeper than " +
                                     std::to_string(kMaxSourceJsonDepth) + " levels");
    }
    return common::InvalidArgument("not JSON (at byte " + std::to_string(check.error_byte) + ")");
  }
  return json::parse(body, nullptr, /*allow_exceptions=*/false);
}

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
