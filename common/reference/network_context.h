// The `context` reference document (docs/PROTOCOL.md, "Reference documents → context"): what
// central tells one store about itself, its region and the network, every few minutes — the
// store's name and region, and for its local today (so far) and yesterday the headline figures of
// the store, its region and the network, with the store's rank in its region on each. Central
// builds it (central/network_context.h) and the edge serves it (GET /api/v1/context) while central
// is away. Rows, keyed:
//   "store"     {"store":S, "name":…, "region":R, "as_of":RFC 3339 (when central computed it),
//                "region_stores":n, "network_stores":n}
//   "today"     {"date":"YYYY-MM-DD" (the store's local date),
//   "yesterday"  "store":{<figure>:value…}, "region":{…}, "network":{…},
//                "rank":{<figure>:{"rank":n|null, "of":n}}}
// The figures (kContextFigures) are KPI values of the KPI JSON (money in minor units, rates as
// fractions, null when there is nothing to divide by) plus `net_sales_change`, the relative change
// of net sales against the same weekday a week earlier (today: up to the same time). Pure
// functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/kpi/kpi_row.h"
#include "common/reference/reference_document.h"
#include "common/status.h"

namespace storepulse::common {

// The figures of a context, in display order; "net_sales_change" is the only one not a KPI.
inline constexpr std::array<std::string_view, 7> kContextFigures = {
    "net_sales", "net_sales_change", "conversion_rate", "aov", "upt", "nps", "availability"};
inline constexpr size_t kContextFigureCount = kContextFigures.size();

using ContextFigures = std::array<KpiValue, kContextFigureCount>;  // by kContextFigures' index

// The store's place in its region on one figure: 1 is the best; equal figures share a rank (1, 2,
// 2, 4); a store without the figure has none. `of`: the stores of the region ranked.
struct ContextRank {
  std::optional<int> rank;
  int of = 0;
  bool operator==(const ContextRank&) const = default;
};

struct ContextDay {
  std::string date;  // the store's local date
  ContextFigures store;
  ContextFigures region;
  ContextFigures network;
  std::array<ContextRank, kContextFigureCount> rank;
  bool operator==(const ContextDay&) const = default;
};

struct NetworkContext {
  std::string store;
  std::string name;
  std::string region;
  int64_t as_of_ms = 0;    // when central computed it (central clock)
  int region_stores = 0;   // stores of the region in central's stores file
  int network_stores = 0;  // stores of the network
  ContextDay today;
  ContextDay yesterday;
  bool operator==(const NetworkContext&) const = default;
};

// The index of `figure` in kContextFigures; none for another name.
std::optional<size_t> ContextFigureIndex(std::string_view figure);

DocumentRows ContextRows(const NetworkContext& context);

// InvalidArgument naming the row and field that is missing or of the wrong type.
StatusOr<NetworkContext> ContextFromRows(const DocumentRows& rows);

// The rows as one object: the "store" row's fields, and "today", "yesterday" (GET /api/v1/context
// adds the version and age the edge holds it at).
nlohmann::json ContextJson(const NetworkContext& context);

}  // namespace storepulse::common
