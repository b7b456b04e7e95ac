// MappedEvent (connector.h): a connector's event kept as compact JSON text, or why it cannot be
// sent. Apart from the ingest (connector_ingest.cc), so that the connectors' mapping links alone
// (tests/fuzz/csv_connector_fuzzer.cc).
#include <nlohmann/json.hpp>
#include <string>

#include "common/utf8.h"
#include "edge/connectors/connector.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

// Why `event` cannot be sent: its first text field that is not UTF-8, named; "" for none. An event
// of SPEC §2 nests two levels at most (lines[0].sku).
std::string NotUtf8(const json& event) {
  auto bad = [](const json& value) {
    return value.is_string() && !common::IsValidUtf8(value.get_ref<const std::string&>());
  };
  auto why = [](const std::string& field, const json& value) {
    return "field '" + field +
           "' is not UTF-8 text: " + common::QuoteForMessage(value.get_ref<const std::string&>()) +
           " (send UTF-8; an XML file in another encoding must declare it)";
  };
  for (const auto& [key, value] : event.items()) {
    if (bad(value)) return why(key, value);
    if (!value.is_array()) continue;
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string at = key + "[" + std::to_string(i) + "]";
      if (bad(value[i])) return why(at, value[i]);
      if (!value[i].is_object()) continue;
      for (const auto& [member, text] : value[i].items()) {
        if (bad(text)) return why(at + "." + member, text);
      }
    }
  }
  return "";
}

}  // namespace

MappedEvent::MappedEvent(size_t record, std::string source, const nlohmann::json& event)
    : record(record), source(std::move(source)), not_utf8(NotUtf8(event)) {
  if (not_utf8.empty()) json = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace storepulse::edge
