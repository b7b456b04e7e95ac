// The query parameters of a GET route, checked before any is used: each must be one the route
// takes, given at most once, UTF-8 without control characters, and no longer than its limit.
// A refusal is InvalidArgument whose message starts with the parameter's name ("from: …"), as
// every bad parameter's is (the values' own parsers name theirs the same way). Plain value.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "common/event_limits.h"
#include "common/status.h"

namespace storepulse::common {

struct QueryParamSpec {
  std::string_view name;
  size_t max_bytes;  // no valid value is longer
};

// The parameters of GET /api/v1/kpi and /api/v1/stock (SPEC §6) at both daemons.
inline constexpr QueryParamSpec kFromParam{"from", 64};  // a date or an RFC 3339 instant
inline constexpr QueryParamSpec kToParam{"to", 64};
inline constexpr QueryParamSpec kByParam{"by", 16};
inline constexpr QueryParamSpec kCompareParam{"compare", 16};
inline constexpr QueryParamSpec kMarginsParam{"margins", 8};              // 1 (default) or 0
inline constexpr QueryParamSpec kScopeParam{"scope", 7 + kMaxTextBytes};  // "region:" + a name
inline constexpr QueryParamSpec kSkuParam{"sku", kMaxTextBytes};
// GET /api/v1/orders (common/store/overdue_orders.h).
inline constexpr QueryParamSpec kStatusParam{"status", 16};
inline constexpr QueryParamSpec kLimitParam{"limit", 8};
inline constexpr QueryParamSpec kPeriodParam{"period", 8};     // day | week | month (drivers)
inline constexpr QueryParamSpec kAgainstParam{"against", 16};  // drivers: what the gap is against

class QueryParams {
 public:
  static StatusOr<QueryParams> Read(const httplib::Request& req,
                                    std::initializer_list<QueryParamSpec> specs);

  // The value; "" when the parameter is absent.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace storepulse::common
