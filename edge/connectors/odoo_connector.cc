#include "edge/connectors/odoo_connector.h"

#include <optional>
#include <string>
#include <vector>

#include "common/checked_math.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/json_values.h"
#include "edge/connectors/line_amounts.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr int64_t kOneUnit = 1'000'000;  // a quantity of 1 in millionths (kQuantityDigits)

// One line of goods, its quantity made positive.
struct Line {
  std::string sku;
  int64_t quantity = 0;  // millionths
  int64_t unit_price = 0;
  int64_t value = 0;              // quantity × unit_price less the line's percentage, rounded once
  std::optional<std::string> id;  // the line's own id
  std::optional<std::string> refunded_line;  // refunded_orderline_id
};

// The goods sold (side 0) or refunded (side 1) by an order, and what its negative-price lines
// (a global discount, a loyalty reward) take off them.
struct Side {
  std::vector<Line> lines;
  int64_t taken_off = 0;
};

std::string Where(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

// A many2one as Odoo writes it — 7, [7, "Display name"], {"id": 7, …} — as its id; nothing for
// false or null (not set).
std::optional<std::string> Many2oneId(const json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_array() && !value->empty()) return JsonIdText((*value)[0]);
  if (value->is_object()) {
    const json* id = JsonField(*value, "id");
    return id ? JsonIdText(*id) : std::nullopt;
  }
  return JsonIdText(*value);
}

// The product's internal reference (default_code): on the line, in the product object, or as
// the "[CODE] Name" of a product's display name; else the product's id.
std::optional<std::string> LineSku(const json& line) {
  if (const json* code = JsonField(line, "default_code"); code && JsonIdText(*code)) {
    return JsonIdText(*code);
  }
  const json* product = JsonField(line, "product_id");
  if (product == nullptr) return std::nullopt;
  if (product->is_object()) {
    if (const json* code = JsonField(*product, "default_code"); code && JsonIdText(*code)) {
      return JsonIdText(*code);
    }
  }
  if (product->is_array() && product->size() >= 2 && (*product)[1].is_string()) {
    const std::string& display = (*product)[1].get_ref<const std::string&>();
    size_t close = display.find(']');
    if (!display.empty() && display[0] == '[' && close != std::string::npos && close > 1) {
      return display.substr(1, close - 1);
    }
  }
  std::optional<std::string> id = Many2oneId(product);
  if (!id) return std::nullopt;
  return "odoo-product-" + *id;
}

// The order's own reference: pos_reference ("Order 00042-003-0017", the POS's numbering), else
// the POS JSON's uid or name; "Order " left off, so every shape of one order gives one reference.
std::optional<std::string> Reference(const json& order) {
  for (const char* key : {"pos_reference", "uid", "name"}) {
    const json* value = JsonField(order, key);
    if (value == nullptr || !value->is_string() || value->get_ref<const std::string&>().empty()) {
      continue;
    }
    std::string reference = value->get<std::string>();
    if (reference.rfind("Order ", 0) == 0) reference.erase(0, 6);
    if (!reference.empty()) return reference;
  }
  return std::nullopt;
}

// date_order (Odoo's database: UTC, written without an offset) or creation_date (the POS JSON:
// UTC with "Z", or an offset); a time without an offset is UTC, never the store's local time.
common::StatusOr<int64_t> OrderTime(const json& order, const common::TimeZone& zone) {
  const json* value = JsonField(order, "date_order");
  if (value == nullptr || !value->is_string()) value = JsonField(order, "creation_date");
  if (value == nullptr || !value->is_string()) {
    return common::InvalidArgument("no date_order nor creation_date");
  }
  std::string text = value->get<std::string>();
  if (text.find_first_of("Zz+-", 11) == std::string::npos) text += "Z";
  return ParseSourceTime(text, zone);
}

// True for an order read from Odoo's database (date_order, or export_for_ui's server_id), whose
// line ids are database ids; the POS's own JSON numbers its lines itself.
bool FromDatabase(const json& order) {
  const json* server_id = JsonField(order, "server_id");
  return JsonField(order, "date_order") != nullptr || (server_id && JsonIdText(*server_id));
}

// A line's fields: a record, or the [0, 0, {…}] create command the POS sends.
const json* LineFields(const json& line) {
  if (line.is_object()) return &line;
  if (line.is_array() && line.size() == 3 && line[2].is_object()) return &line[2];
  return nullptr;
}

common::StatusOr<int64_t> Amount(const json& fields, const char* key, int digits,
                                 const std::string& where, bool required = true) {
  const json* value = JsonField(fields, key);
  if (value == nullptr || value->is_boolean()) {  // Odoo writes false for an empty number
    if (!required) return int64_t{0};
    return common::InvalidArgument(where + " has no " + key);
  }
  auto amount = JsonDecimal(*value, digits);
  if (!amount.ok()) {
    return common::InvalidArgument(where + "." + key + ": " + amount.status().message());
  }
  return amount;
}

// Reads one line into its side; a line of quantity 0 is left out.
common::Status ReadLine(const json& fields, const std::string& where, int money_digits,
                        Side sides[2]) {
  ASSIGN_OR_RETURN(int64_t quantity, Amount(fields, "qty", kQuantityDigits, where));
  ASSIGN_OR_RETURN(int64_t price, Amount(fields, "price_unit", money_digits, where));
  ASSIGN_OR_RETURN(int64_t percent, Amount(fields, "discount", kPercentDigits, where, false));
  if (quantity == 0) return common::OkStatus();
  Side& side = sides[quantity < 0 ? 1 : 0];
  quantity = quantity < 0 ? -quantity : quantity;
  auto value = DiscountedValue(quantity, price < 0 ? -price : price, percent);
  if (!value.ok()) return common::InvalidArgument(where + ": " + value.status().message());
  if (price < 0) {
    std::optional<int64_t> taken_off = common::CheckedAdd(side.taken_off, *value);
    if (!taken_off) {
      return common::InvalidArgument(where +
                                     ": the negative-price lines take off more than a 64-bit "
                                     "count of minor units holds");
    }
    side.taken_off = *taken_off;
    return common::OkStatus();
  }
  std::optional<std::string> sku = LineSku(fields);
  if (!sku) return common::InvalidArgument(where + " has no product_id");
  side.lines.push_back({*sku, quantity, price, *value, JsonIdText(fields.value("id", json())),
                        Many2oneId(JsonField(fields, "refunded_orderline_id"))});
  return common::OkStatus();
}

// The event lines of one side, with what its negative-price lines take off spread over them.
// A line with a fractional quantity (a weighed product) is one unit at the line's undiscounted
// value: storepulse counts units, and the money stays exact.
common::StatusOr<json> EventLines(const Side& side, const char* what) {
  __int128 total = 0;
  std::vector<int64_t> values;
  for (const Line& line : side.lines) {
    values.push_back(line.value);
    total += line.value;
  }
  if (side.taken_off > total) {
    return common::InvalidArgument(std::string("the negative-price lines of the ") + what +
                                   " take off more than its lines are worth");
  }
  std::vector<int64_t> shares =
      total > 0 ? SpreadInProportion(side.taken_off, values) : std::vector<int64_t>(values.size());
  json lines = json::array();
  for (size_t i = 0; i < side.lines.size(); ++i) {
    const Line& line = side.lines[i];
    ASSIGN_OR_RETURN(int64_t gross, LineValue(line.quantity, line.unit_price));
    const bool whole = line.quantity % kOneUnit == 0;
    lines.push_back({{"sku", line.sku},
                     {"qty", whole ? line.quantity / kOneUnit : 1},
                     {"unit_price", whole ? line.unit_price : gross},
                     {"discount", gross - line.value + shares[i]}});
  }
  return lines;
}

// The people and the till of an order's events.
void AddPeople(const json& order, json* event) {
  // A pos.config is one point of sale: a till.
  if (auto till = Many2oneId(JsonField(order, "config_id"))) (*event)["till"] = *till;
  // The cashier: the employee who logged in to the POS (pos_hr), else the user.
  std::optional<std::string> employee = Many2oneId(JsonField(order, "employee_id"));
  if (!employee) employee = Many2oneId(JsonField(order, "user_id"));
  if (employee) (*event)["employee"] = *employee;
  if (auto customer = Many2oneId(JsonField(order, "partner_id"))) (*event)["customer"] = *customer;
}

// The order a refund's lines came from: the first refunded line whose order is known, from this
// request or kept from an earlier one.
std::optional<std::string> OriginalOrder(const Side& refunded, const ConnectorRequest& request,
                                         const ConnectorOutput& out) {
  for (const Line& line : refunded.lines) {
    if (!line.refunded_line) continue;
    const std::string key = "line:" + *line.refunded_line;
    if (auto it = out.state.find(key); it != out.state.end()) return it->second;
    if (auto reference = request.state(key)) return reference;
  }
  return std::nullopt;
}

// Reads the order's lines into their sides; a reason when one cannot be read.
std::optional<std::string> ReadLines(const json& order, int money_digits, Side sides[2]) {
  const json* lines = JsonField(order, "lines");
  if (lines == nullptr || !lines->is_array()) return "no lines";
  for (size_t i = 0; i < lines->size(); ++i) {
    const std::string where = Where("lines", i);
    const json* fields = LineFields((*lines)[i]);
    if (fields == nullptr) {
      return where +
             " is not a line's fields (an object, or [0, 0, {…}]): send the lines' "
             "fields with the order, not their ids";
    }
    common::Status read = ReadLine(*fields, where, money_digits, sides);
    if (!read.ok()) return read.message();
  }
  return std::nullopt;
}

// Keeps which order each sold line belongs to, for the refunds that will name the line.
void RememberLines(const Side& sold, const std::string& reference, ConnectorOutput* out) {
  for (const Line& line : sold.lines) {
    if (line.id) out->state["line:" + *line.id] = reference;
  }
}

void MapOrder(size_t index, const json& order, const ConnectorRequest& request,
              ConnectorOutput* out) {
  const std::optional<std::string> reference = Reference(order);
  const std::string source =
      reference ? "order " + *reference : "order at position " + std::to_string(index);
  auto reject = [&](std::string why) { out->rejected.push_back({index, source, std::move(why)}); };
  auto skip = [&](std::string why) { out->skipped.push_back({index, source, std::move(why)}); };
  if (!reference) return reject("no pos_reference, uid nor name");
  // In its events, and kept for each of its lines.
  if (common::Status length = CheckTextLength("the order's reference", *reference); !length.ok()) {
    return reject(length.message());
  }
  const json* state = JsonField(order, "state");
  if (state && *state == "cancel") return skip("cancelled order");
  if (state && *state == "draft") return skip("draft order (not paid)");
  auto ts = OrderTime(order, *request.zone);
  if (!ts.ok()) return reject(ts.status().message());
  Side sides[2];
  if (auto why = ReadLines(order, request.money_digits, sides)) return reject(*why);

  json events[2];
  const char* kinds[2] = {"sale", "refund"};
  for (int s : {0, 1}) {
    if (sides[s].lines.empty() && sides[s].taken_off == 0) continue;
    auto lines = EventLines(sides[s], kinds[s]);
    if (!lines.ok()) return reject(lines.status().message());
    events[s] = {{"ts", *ts}, {"txn", *reference}, {"lines", std::move(*lines)}};
    AddPeople(order, &events[s]);
  }
  if (events[0].is_null() && events[1].is_null()) return skip("no line with a quantity");
  if (!events[0].is_null()) {
    events[0]["id"] = StableEventId("odoo", {"order", *reference});
    events[0]["type"] = "sale";
    events[0]["channel"] = "store";
    out->events.push_back({index, source, std::move(events[0])});
  }
  if (!events[1].is_null()) {
    events[1]["id"] = StableEventId("odoo", {"order", *reference, "return"});
    events[1]["type"] = "return";
    events[1]["original_channel"] = "store";
    events[1]["restock"] = true;  // an Odoo POS refund returns the goods to the shop's stock
    if (auto original = OriginalOrder(sides[1], request, *out))
      events[1]["original_txn"] = *original;
    out->events.push_back({index, source, std::move(events[1])});
  }
  if (FromDatabase(order)) RememberLines(sides[0], *reference, out);
}

}  // namespace

common::StatusOr<ConnectorOutput> OdooConnector::Map(const ConnectorRequest& request) const {
  auto parsed = ParseSourceJson(request.body);
  if (!parsed.ok()) {
    return common::InvalidArgument("an Odoo body is a pos.order JSON object or an array of them: " +
                                   parsed.status().message());
  }
  json body = std::move(parsed).value();
  if (body.is_object() && body.contains("jsonrpc")) {  // Odoo's JSON-RPC answer, as it comes
    const json* result = JsonField(body, "result");
    if (result == nullptr) {
      return common::InvalidArgument("a JSON-RPC answer without a result: " +
                                     body.value("error", json()).dump().substr(0, 200));
    }
    body = json(*result);
  }
  if (body.is_object()) body = json::array({std::move(body)});
  if (!body.is_array()) {
    return common::InvalidArgument("an Odoo body is a pos.order JSON object or an array of them");
  }
  ConnectorOutput out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (!body[i].is_object()) {
      out.rejected.push_back({i, "record " + std::to_string(i), "not a pos.order object"});
      continue;
    }
    const json* data = JsonField(body[i], "data");  // create_from_ui's {"id": …, "data": order}
    MapOrder(i, data && data->is_object() ? *data : body[i], request, &out);
  }
  return out;
}

}  // namespace storepulse::edge
