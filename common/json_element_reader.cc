#include "common/json_element_reader.h"

#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "common/event_limits.h"
#include "common/event_size.h"
#include "common/utf8.h"

namespace storepulse::common {

namespace {

using Json = nlohmann::json;

constexpr size_t kMaxParseErrorChars = 200;

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, escaped and cut:
// it quotes the offending token, which may be long or not UTF-8.
std::string ParseErrorText(const std::exception& e) {
  std::string_view text = e.what();
  const size_t end = text.starts_with("[json.exception.") ? text.find("] ") : text.npos;
  if (end != text.npos) text.remove_prefix(end + 2);
  return EscapeForMessage(text, kMaxParseErrorChars);
}

// The SAX handler (nlohmann's json_sax interface): meters every value of an element, builds the
// element's document while it is within the limits, and drops what it built the moment it is not.
class ElementSax {
 public:
  ElementSax(JsonShape shape, size_t max_elements,
             const std::function<void(JsonElement)>& on_element)
      : element_depth_(shape == JsonShape::kArray ? 1 : 0),
        max_elements_(max_elements),
        on_element_(on_element) {}

  bool null() {
    return Scalar([](EventSizeMeter& m) { m.Null(); }, [] { return Json(nullptr); });
  }
  bool boolean(bool value) {
    return Scalar([&](EventSizeMeter& m) { m.Bool(value); }, [&] { return Json(value); });
  }
  bool number_integer(Json::number_integer_t value) {
    return Scalar([&](EventSizeMeter& m) { m.Integer(value); }, [&] { return Json(value); });
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return Scalar([&](EventSizeMeter& m) { m.Unsigned(value); }, [&] { return Json(value); });
  }
  bool number_float(Json::number_float_t value, const Json::string_t& /*text*/) {
    return Scalar([&](EventSizeMeter& m) { m.Float(value); }, [&] { return Json(value); });
  }
  bool string(Json::string_t& value) {
    if (id_next_ && value.size() <= kMaxIdBytes) id_ = value;
    return Scalar([&](EventSizeMeter& m) { m.String(value); },
                  [&] { return Json(std::move(value)); });
  }
  bool binary(Json::binary_t& value) {  // never in JSON text; here for the interface
    return Scalar([&](EventSizeMeter& m) { m.Opaque(value.size()); }, [] { return Json(); });
  }
  bool start_object(size_t /*elements*/) { return Open(false); }
  bool start_array(size_t /*elements*/) { return Open(true); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(Json::string_t& name) {
    if (!in_element_) return true;
    meter_.String(name);
    meter_.EndKey();
    id_next_ = meter_.depth() == 1 && name == "id";
    Keep();
    if (building_) key_ = std::move(name);
    return true;
  }
  bool parse_error(size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& e) {
    error_ = ParseErrorText(e);
    return false;
  }

  size_t count() const { return count_; }
  const std::optional<std::string>& error() const { return error_; }

 private:
  // Starts an element when a value begins at the elements' depth; true if it did.
  bool Begin() {
    if (in_element_ || depth_ != element_depth_) return false;
    in_element_ = true;
    ++count_;
    meter_ = EventSizeMeter();
    building_ = count_ <= max_elements_;
    document_ = Json();
    stack_.clear();
    id_.clear();
    id_next_ = false;
    return true;
  }

  template <typename Measure, typename Make>
  bool Scalar(Measure measure, Make make) {
    const bool whole_element = Begin();
    if (in_element_) {
      measure(meter_);
      id_next_ = false;
      Keep();
      if (building_) Insert(make());
    }
    if (whole_element) Finish();
    return true;
  }

  bool Open(bool array) {
    Begin();
    if (in_element_) {
      array ? meter_.StartArray() : meter_.StartMap();
      id_next_ = false;
      Keep();
      if (building_) stack_.push_back(Insert(array ? Json::array() : Json::object()));
    }
    ++depth_;
    return true;
  }

  bool Close() {
    --depth_;
    if (!in_element_) return true;
    meter_.End();
    if (building_) stack_.pop_back();
    if (depth_ == element_depth_) Finish();
    return true;
  }

  // Stops building (and frees what was built) once the element is over a limit.
  void Keep() {
    if (!building_ || meter_.WithinLimits()) return;
    building_ = false;
    stack_.clear();
    document_ = Json();
  }

  // Puts `value` where the parser is: the element itself, an array's next item, or the member
  // of the pending key. Returns where it went (valid until its container grows again, which only
  // happens after this value is complete).
  Json* Insert(Json value) {
    if (stack_.empty()) {
      document_ = std::move(value);
      return &document_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    Json& member = parent[key_];  // a repeated key: the last one wins, as in nlohmann's parse()
    member = std::move(value);
    return &member;
  }

  void Finish() {
    in_element_ = false;
    if (count_ > max_elements_) return;
    JsonElement element{building_ ? std::move(document_) : Json(), meter_.CheckLimits(),
                        std::move(id_)};
    document_ = Json();
    stack_.clear();
    on_element_(std::move(element));
  }

  const size_t element_depth_;  // containers around an element: 1 in an array, 0 for a value
  const size_t max_elements_;
  const std::function<void(JsonElement)>& on_element_;

  size_t depth_ = 0;  // containers open in the whole text
  size_t count_ = 0;  // elements begun
  std::optional<std::string> error_;

  // The element being read.
  bool in_element_ = false;
  EventSizeMeter meter_;
  bool building_ = false;
  Json document_;
  std::vector<Json*> stack_;  // its open containers while building (at most kMaxEventDepth)
  std::string key_;           // the member name the next value goes under
  std::string id_;
  bool id_next_ = false;  // the next value is the element's "id" member
};

}  // namespace

StatusOr<size_t> ReadJsonElements(std::string_view text, JsonShape shape, size_t max_elements,
                                  const std::function<void(JsonElement)>& on_element) {
  ElementSax sax(shape, max_elements, on_element);
  try {
    Json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const std::exception& e) {
    return InvalidArgument(ParseErrorText(e));
  }
  if (sax.error()) return InvalidArgument(*sax.error());
  return sax.count();
}

}  // namespace storepulse::common
