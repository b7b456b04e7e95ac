#include "common/http/query_params.h"

#include <algorithm>

#include "common/utf8.h"

namespace storepulse::common {

StatusOr<QueryParams> QueryParams::Read(const httplib::Request& req,
                                        std::initializer_list<QueryParamSpec> specs) {
  QueryParams params;
  for (const auto& [name, value] : req.params) {
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const QueryParamSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      std::string known;
      for (const QueryParamSpec& s : specs)
        known += (known.empty() ? "" : ", ") + std::string(s.name);
      return InvalidArgument((name.empty() ? "(empty name)" : EscapeForMessage(name, 40)) +
                             ": unknown parameter (GET " + EscapeForMessage(req.path, 40) +
                             (known.empty() ? " takes none)" : " takes " + known + ")"));
    }
    if (req.params.count(name) > 1) {
      return InvalidArgument(name + ": given " + std::to_string(req.params.count(name)) +
                             " times; give it once");
    }
    if (!IsValidUtf8(value)) {
      return InvalidArgument(name + ": " + QuoteForMessage(value) + " is not valid UTF-8");
    }
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
      return InvalidArgument(name + ": " + QuoteForMessage(value) + " holds a control character");
    }
    if (value.size() > spec->max_bytes) {
      return InvalidArgument(name + ": longer than " + std::to_string(spec->max_bytes) +
                             " bytes, no valid value is");
    }
    params.values_.emplace(name, value);
  }
  return params;
}

std::string QueryParams::Get(std::string_view name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? "" : it->second;
}

}  // namespace storepulse::common
