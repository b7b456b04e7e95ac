#include "common/reference/network_context.h"

#include "common/kpi/kpi_json.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

json FiguresJson(const ContextFigures& figures) {
  json object = json::object();
  for (size_t i = 0; i < kContextFigureCount; ++i) {
    object[std::string(kContextFigures[i])] = KpiValueJson(figures[i]);
  }
  return object;
}

json DayJson(const ContextDay& day) {
  json rank = json::object();
  for (size_t i = 0; i < kContextFigureCount; ++i) {
    rank[std::string(kContextFigures[i])] = {
        {"rank", day.rank[i].rank ? json(*day.rank[i].rank) : json(nullptr)},
        {"of", day.rank[i].of}};
  }
  return {{"date", day.date},
          {"store", FiguresJson(day.store)},
          {"region", FiguresJson(day.region)},
          {"network", FiguresJson(day.network)},
          {"rank", std::move(rank)}};
}

json StoreJson(const NetworkContext& context) {
  return {{"store", context.store},
          {"name", context.name},
          {"region", context.region},
          {"as_of", FormatRfc3339Utc(context.as_of_ms)},
          {"region_stores", context.region_stores},
          {"network_stores", context.network_stores}};
}

// The member `name` of `object`, of the type `check` accepts; `where` names it in errors.
template <typename Check>
StatusOr<const json*> Member(const json& object, const std::string& where, const char* name,
                             Check check, const char* type) {
  if (!object.is_object() || !object.contains(name) || !check(object.at(name))) {
    return InvalidArgument("context: " + where + "." + name + " is missing or not " + type);
  }
  return &object.at(name);
}

const auto kIsString = [](const json& v) { return v.is_string(); };
const auto kIsInteger = [](const json& v) { return v.is_number_integer(); };
const auto kIsObject = [](const json& v) { return v.is_object(); };

StatusOr<KpiValue> ValueFromJson(const json& value, const std::string& where) {
  if (value.is_null()) return KpiValue();
  if (value.is_number_integer()) return KpiValue::Integer(value.get<int64_t>());
  if (value.is_number()) return KpiValue::Real(value.get<double>());
  return InvalidArgument("context: " + where + " is not a number or null");
}

StatusOr<ContextFigures> FiguresFromJson(const json& day, const std::string& where,
                                         const char* scope) {
  ASSIGN_OR_RETURN(const json* object, Member(day, where, scope, kIsObject, "an object"));
  ContextFigures figures;
  for (size_t i = 0; i < kContextFigureCount; ++i) {
    const std::string name(kContextFigures[i]);
    const std::string at = where + "." + scope + "." + name;
    if (!object->contains(name)) return InvalidArgument("context: " + at + " is missing");
    ASSIGN_OR_RETURN(figures[i], ValueFromJson(object->at(name), at));
  }
  return figures;
}

StatusOr<ContextDay> DayFromJson(const DocumentRows& rows, const std::string& key) {
  const auto found = rows.find(key);
  if (found == rows.end()) return InvalidArgument("context: no \"" + key + "\" row");
  const json& row = found->second;
  ContextDay day;
  ASSIGN_OR_RETURN(const json* date, Member(row, key, "date", kIsString, "a string"));
  day.date = date->get<std::string>();
  ASSIGN_OR_RETURN(day.store, FiguresFromJson(row, key, "store"));
  ASSIGN_OR_RETURN(day.region, FiguresFromJson(row, key, "region"));
  ASSIGN_OR_RETURN(day.network, FiguresFromJson(row, key, "network"));
  ASSIGN_OR_RETURN(const json* ranks, Member(row, key, "rank", kIsObject, "an object"));
  for (size_t i = 0; i < kContextFigureCount; ++i) {
    const std::string where = key + ".rank";
    ASSIGN_OR_RETURN(const json* rank,
                     Member(*ranks, where, kContextFigures[i].data(), kIsObject, "an object"));
    const std::string at = where + "." + std::string(kContextFigures[i]);
    ASSIGN_OR_RETURN(const json* of, Member(*rank, at, "of", kIsInteger, "an integer"));
    day.rank[i].of = of->get<int>();
    if (!rank->contains("rank") || !(rank->at("rank").is_null() || kIsInteger(rank->at("rank")))) {
      return InvalidArgument("context: " + at + ".rank is missing or not an integer or null");
    }
    if (!rank->at("rank").is_null()) day.rank[i].rank = rank->at("rank").get<int>();
  }
  return day;
}

}  // namespace

std::optional<size_t> ContextFigureIndex(std::string_view figure) {
  for (size_t i = 0; i < kContextFigureCount; ++i) {
    if (kContextFigures[i] == figure) return i;
  }
  return std::nullopt;
}

DocumentRows ContextRows(const NetworkContext& context) {
  return {{"store", StoreJson(context)},
          {"today", DayJson(context.today)},
          {"yesterday", DayJson(context.yesterday)}};
}

StatusOr<NetworkContext> ContextFromRows(const DocumentRows& rows) {
  const auto store = rows.find("store");
  if (store == rows.end()) return InvalidArgument("context: no \"store\" row");
  const json& row = store->second;
  NetworkContext context;
  ASSIGN_OR_RETURN(const json* id, Member(row, "store", "store", kIsString, "a string"));
  ASSIGN_OR_RETURN(const json* name, Member(row, "store", "name", kIsString, "a string"));
  ASSIGN_OR_RETURN(const json* region, Member(row, "store", "region", kIsString, "a string"));
  ASSIGN_OR_RETURN(const json* as_of, Member(row, "store", "as_of", kIsString, "a string"));
  ASSIGN_OR_RETURN(const json* region_stores,
                   Member(row, "store", "region_stores", kIsInteger, "an integer"));
  ASSIGN_OR_RETURN(const json* network_stores,
                   Member(row, "store", "network_stores", kIsInteger, "an integer"));
  context.store = id->get<std::string>();
  context.name = name->get<std::string>();
  context.region = region->get<std::string>();
  StatusOr<int64_t> as_of_ms = ParseRfc3339(as_of->get<std::string>());
  if (!as_of_ms.ok())
    return InvalidArgument("context: store.as_of: " + as_of_ms.status().message());
  context.as_of_ms = *as_of_ms;
  context.region_stores = region_stores->get<int>();
  context.network_stores = network_stores->get<int>();
  ASSIGN_OR_RETURN(context.today, DayFromJson(rows, "today"));
  ASSIGN_OR_RETURN(context.yesterday, DayFromJson(rows, "yesterday"));
  return context;
}

json ContextJson(const NetworkContext& context) {
  json answer = StoreJson(context);
  answer["today"] = DayJson(context.today);
  answer["yesterday"] = DayJson(context.yesterday);
  return answer;
}

}  // namespace storepulse::common
