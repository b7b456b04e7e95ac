#include "edge/connectors/shopify_connector.h"

#include <utility>
#include <vector>

#include "common/event_limits.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/json_values.h"
#include "edge/connectors/shopify_signature.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr std::string_view kOrderTopic = "orders/create";
constexpr std::string_view kRefundTopic = "refunds/create";

std::optional<std::string> IdAt(const json& object, std::string_view key) {
  const json* value = JsonField(object, key);
  return value ? JsonIdText(*value) : std::nullopt;
}

std::string Where(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

// An amount in the shop's currency, in minor units: `<key>_set.shop_money.amount` (a string in
// every API version) when sent, else `<key>` (a string, or a number in older refund payloads).
// Presentment money — the buyer's currency — is never used: the network has one currency.
common::StatusOr<int64_t> ShopMoney(const json& object, const std::string& key,
                                    const std::string& where, int digits) {
  const json* set = JsonField(object, key + "_set");
  const json* shop = set ? JsonField(*set, "shop_money") : nullptr;
  const json* value = shop ? JsonField(*shop, "amount") : nullptr;
  if (value == nullptr) value = JsonField(object, key);
  if (value == nullptr) return common::InvalidArgument(where + " has no '" + key + "'");
  auto amount = JsonDecimal(*value, digits);
  if (!amount.ok())
    return common::InvalidArgument(where + "." + key + ": " + amount.status().message());
  if (*amount < 0 || *amount > common::kMaxEventValue) {
    return common::InvalidArgument(where + "." + key + " is negative or too large");
  }
  return amount;
}

// A line's SKU: its own; else its variant's id; else one SKU for every custom item (a POS sale of
// something not in the catalogue has neither).
std::string LineSku(const json& line) {
  if (auto sku = IdAt(line, "sku")) return *sku;
  if (auto variant = IdAt(line, "variant_id")) return "shopify-variant-" + *variant;
  return "shopify-custom-item";
}

// A quantity: an integer ≥ 0.
common::StatusOr<int64_t> Quantity(const json& line, const std::string& where) {
  const json* qty = JsonField(line, "quantity");
  if (qty == nullptr || !qty->is_number_integer() || qty->get<int64_t>() < 0 ||
      qty->get<int64_t>() > common::kMaxQty) {
    return common::InvalidArgument(where + ".quantity is not an integer in 0 … " +
                                   std::to_string(common::kMaxQty));
  }
  return qty->get<int64_t>();
}

// A line's discount, all discounts allocated to it: the sum of its `discount_allocations` (which
// include order-level discounts spread over the lines) when the field is sent; only when it is
// absent, the older `total_discount`. Never both: Shopify may repeat one amount in the two.
common::StatusOr<int64_t> LineDiscount(const json& line, const std::string& where, int digits) {
  const json* allocations = JsonField(line, "discount_allocations");
  if (allocations == nullptr) {
    if (JsonField(line, "total_discount") == nullptr) return int64_t{0};
    return ShopMoney(line, "total_discount", where, digits);
  }
  if (!allocations->is_array()) {
    return common::InvalidArgument(where + ".discount_allocations is not an array");
  }
  int64_t discount = 0;
  for (size_t i = 0; i < allocations->size(); ++i) {
    ASSIGN_OR_RETURN(int64_t amount, ShopMoney((*allocations)[i], "amount",
                                               Where(where + ".discount_allocations", i), digits));
    discount += amount;
  }
  return discount;
}

common::StatusOr<json> SaleLine(const json& line, const std::string& where, int digits) {
  ASSIGN_OR_RETURN(int64_t qty, Quantity(line, where));
  ASSIGN_OR_RETURN(int64_t price, ShopMoney(line, "price", where, digits));
  ASSIGN_OR_RETURN(int64_t discount, LineDiscount(line, where, digits));
  return json{{"sku", LineSku(line)}, {"qty", qty}, {"unit_price", price}, {"discount", discount}};
}

// When it happened: processed_at (the sale's own time, also for orders a POS sent late), else
// created_at; both RFC 3339 with the shop's offset.
common::StatusOr<int64_t> When(const json& record, const ConnectorRequest& request) {
  const json* text = JsonField(record, "processed_at");
  if (text == nullptr || !text->is_string()) text = JsonField(record, "created_at");
  if (text == nullptr || !text->is_string()) {
    return common::InvalidArgument("no processed_at nor created_at");
  }
  return ParseSourceTime(text->get_ref<const std::string&>(), *request.zone);
}

std::string Listed(const std::set<std::string>& locations) {
  std::string out;
  for (const std::string& location : locations) out += (out.empty() ? "" : ",") + location;
  return out;
}

// Where a refund happened: the location its goods went back to, else that of its transactions
// (a POS refund without restock has only those); nothing for a refund made in the admin.
std::optional<std::string> RefundLocation(const json& refund) {
  for (const char* list : {"refund_line_items", "transactions"}) {
    const json* items = JsonField(refund, list);
    if (items == nullptr || !items->is_array()) continue;
    for (const json& item : *items) {
      if (auto location = IdAt(item, "location_id")) return location;
    }
  }
  return std::nullopt;
}

// restock_type → restock; the refund's older `restock` flag when a line has none.
common::StatusOr<bool> Restock(const json& refund_line, const json& refund,
                               const std::string& where) {
  const json* type = JsonField(refund_line, "restock_type");
  if (type == nullptr) {
    const json* flag = JsonField(refund, "restock");
    return flag && flag->is_boolean() ? flag->get<bool>() : true;
  }
  if (*type == "no_restock") return false;
  if (*type == "return" || *type == "cancel" || *type == "legacy_restock") return true;
  return common::InvalidArgument(where + ".restock_type " + type->dump() +
                                 " is not one of "
                                 "no_restock, return, cancel, legacy_restock");
}

// A refunded line at the value refunded: qty × the line item's price, less what was not paid
// for it (its discounts) as the refund's own `subtotal` says.
common::StatusOr<json> ReturnLine(const json& refund_line, const std::string& where, int digits) {
  ASSIGN_OR_RETURN(int64_t qty, Quantity(refund_line, where));
  const json* item = JsonField(refund_line, "line_item");
  if (item == nullptr || !item->is_object()) {
    return common::InvalidArgument(where + " has no line_item (the line refunded)");
  }
  ASSIGN_OR_RETURN(int64_t price, ShopMoney(*item, "price", where + ".line_item", digits));
  int64_t discount = 0;
  if (JsonField(refund_line, "subtotal_set") || JsonField(refund_line, "subtotal")) {
    ASSIGN_OR_RETURN(int64_t subtotal, ShopMoney(refund_line, "subtotal", where, digits));
    if (subtotal > qty * price) {
      return common::InvalidArgument(where + ".subtotal is more than quantity × price");
    }
    discount = qty * price - subtotal;
  }
  return json{{"sku", LineSku(*item)}, {"qty", qty}, {"unit_price", price}, {"discount", discount}};
}

}  // namespace

ShopifyConnector::ShopifyConnector(std::string secret, std::set<std::string> locations)
    : secret_(std::move(secret)), locations_(std::move(locations)) {}

common::StatusOr<ConnectorOutput> ShopifyConnector::Map(const ConnectorRequest& request) const {
  if (secret_.empty()) {
    return common::PermissionDenied(
        "the shopify connector has no shared secret: set --shopify-secret-file to a file holding "
        "the secret Shopify signs its webhooks with");
  }
  auto signature = request.headers.find("x-shopify-hmac-sha256");
  if (signature == request.headers.end()) {
    return common::PermissionDenied(
        "no X-Shopify-Hmac-Sha256 header: not a signed Shopify webhook");
  }
  RETURN_IF_ERROR(VerifyShopifySignature(secret_, request.body, signature->second));

  auto parsed = ParseSourceJson(request.body);
  if (!parsed.ok() || !parsed->is_object()) {
    return common::InvalidArgument("a Shopify webhook's body is a JSON object" +
                                   (parsed.ok() ? "" : ": " + parsed.status().message()));
  }
  const json body = std::move(parsed).value();
  // The topic is Shopify's header; a body sent without it (a replay by hand) is known by its
  // shape: a refund has refund_line_items, an order line_items.
  std::string topic;
  if (auto header = request.headers.find("x-shopify-topic"); header != request.headers.end()) {
    topic = header->second;
  } else if (body.contains("refund_line_items")) {
    topic = kRefundTopic;
  } else if (body.contains("line_items")) {
    topic = kOrderTopic;
  } else {
    return common::InvalidArgument(
        "no X-Shopify-Topic header, and the body is neither an order (line_items) nor a refund "
        "(refund_line_items)");
  }
  ConnectorOutput out;
  if (topic == kOrderTopic) {
    MapOrder(body, request, &out);
  } else if (topic == kRefundTopic) {
    MapRefund(body, request, &out);
  } else {
    out.skipped.push_back({0, "webhook " + topic,
                           "topic " + topic +
                               " is not mapped (only orders/create and "
                               "refunds/create are): answered so that Shopify does not retry it"});
  }
  return out;
}

void ShopifyConnector::MapOrder(const json& order, const ConnectorRequest& request,
                                ConnectorOutput* out) const {
  const std::optional<std::string> id = IdAt(order, "id");
  const std::optional<std::string> name = IdAt(order, "name");
  const std::string source =
      "order " + (name ? *name + " (id " + id.value_or("?") + ")" : id.value_or("without id"));
  auto reject = [&](std::string reason) {
    out->rejected.push_back({0, source, std::move(reason)});
  };
  auto skip = [&](std::string reason) { out->skipped.push_back({0, source, std::move(reason)}); };
  if (!id) return reject("the order has no id");
  if (const json* test = JsonField(order, "test"); test && *test == true) {
    return skip("test order");
  }
  // Shopify POS marks its orders source_name "pos"; every other source (the online store, draft
  // orders, apps, marketplaces) sells at a distance: web.
  const bool pos = IdAt(order, "source_name") == "pos";
  if (auto why = NotOurOrder(order, pos)) return skip(*why);

  auto ts = When(order, request);
  if (!ts.ok()) return reject(ts.status().message());
  const json* items = JsonField(order, "line_items");
  if (items == nullptr || !items->is_array()) return reject("the order has no line_items");
  json lines = json::array();
  for (size_t i = 0; i < items->size(); ++i) {
    auto line = SaleLine((*items)[i], Where("line_items", i), request.money_digits);
    if (!line.ok()) return reject(line.status().message());
    if ((*line)["qty"] != 0) lines.push_back(std::move(*line));
  }
  if (lines.empty()) return skip("no line with a quantity");

  const std::string channel = pos ? "store" : "web";
  json sale = {{"id", StableEventId("shopify", {"order", *id})},
               {"type", "sale"},
               {"ts", *ts},
               {"txn", *id},
               {"channel", channel},
               {"lines", std::move(lines)}};
  json kept = {{"channel", channel}};
  if (auto till = IdAt(order, "device_id")) sale["till"] = *till;
  if (auto employee = IdAt(order, "user_id")) sale["employee"] = *employee;
  if (const json* customer = JsonField(order, "customer")) {
    if (auto customer_id = IdAt(*customer, "id"))
      sale["customer"] = kept["customer"] = *customer_id;
  }
  out->events.push_back({0, source, std::move(sale)});
  out->state["order:" + *id] = kept.dump();
}

std::optional<std::string> ShopifyConnector::NotOurOrder(const json& order, bool pos) const {
  if (locations_.empty()) return std::nullopt;
  if (!pos) {
    if (locations_.count("web")) return std::nullopt;
    return "web order: taken by the edge whose --shopify-location lists web (this edge: " +
           Listed(locations_) + ")";
  }
  std::optional<std::string> location = IdAt(order, "location_id");
  if (location && locations_.count(*location)) return std::nullopt;
  return "POS order of location " + location.value_or("(none)") +
         ", not this edge's (--shopify-location " + Listed(locations_) + ")";
}

void ShopifyConnector::MapRefund(const json& refund, const ConnectorRequest& request,
                                 ConnectorOutput* out) const {
  const std::optional<std::string> id = IdAt(refund, "id");
  const std::optional<std::string> order_id = IdAt(refund, "order_id");
  const std::string source =
      "refund " + id.value_or("without id") + " of order " + order_id.value_or("?");
  auto reject = [&](std::string reason) {
    out->rejected.push_back({0, source, std::move(reason)});
  };
  auto skip = [&](std::string reason) { out->skipped.push_back({0, source, std::move(reason)}); };
  if (!id || !order_id) return reject("the refund has no id or no order_id");

  json order = json::object();  // what was kept of the order, if this edge took it
  if (std::optional<std::string> kept = request.state("order:" + *order_id)) {
    order = json::parse(*kept, nullptr, false);
    if (!order.is_object()) order = json::object();
  }
  if (auto why = NotOurRefund(refund, !order.empty())) return skip(*why);

  const json* items = JsonField(refund, "refund_line_items");
  if (items == nullptr || !items->is_array() || items->empty()) {
    return skip(
        "no refund_line_items: money refunded (shipping, an adjustment), no goods returned");
  }
  auto ts = When(refund, request);
  if (!ts.ok()) return reject(ts.status().message());
  // A return event has one restock flag: lines put back and lines not are two events.
  json by_restock[2] = {json::array(), json::array()};
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string where = Where("refund_line_items", i);
    auto line = ReturnLine((*items)[i], where, request.money_digits);
    if (!line.ok()) return reject(line.status().message());
    auto restock = Restock((*items)[i], refund, where);
    if (!restock.ok()) return reject(restock.status().message());
    if ((*line)["qty"] != 0) by_restock[*restock ? 1 : 0].push_back(std::move(*line));
  }
  const bool split = !by_restock[0].empty() && !by_restock[1].empty();
  if (by_restock[0].empty() && by_restock[1].empty()) return skip("no line with a quantity");
  for (int restock : {1, 0}) {
    if (by_restock[restock].empty()) continue;
    std::string event_id =
        split ? StableEventId("shopify", {"refund", *id, restock ? "restock" : "no-restock"})
              : StableEventId("shopify", {"refund", *id});
    json event = {{"id", std::move(event_id)},
                  {"type", "return"},
                  {"ts", *ts},
                  {"txn", *id},
                  {"original_txn", *order_id},
                  {"original_channel", order.value("channel", std::string("web"))},
                  {"restock", restock == 1},
                  {"lines", std::move(by_restock[restock])}};
    if (auto employee = IdAt(refund, "user_id")) event["employee"] = *employee;
    if (auto customer = IdAt(order, "customer")) event["customer"] = *customer;
    out->events.push_back({0, source, std::move(event)});
  }
}

std::optional<std::string> ShopifyConnector::NotOurRefund(const json& refund,
                                                          bool order_taken_here) const {
  if (locations_.empty()) return std::nullopt;
  // A refund made at a location belongs to that location (goods brought back to a store), one
  // made in the admin to the edge that took its order: so exactly one edge takes each.
  if (std::optional<std::string> location = RefundLocation(refund)) {
    if (locations_.count(*location)) return std::nullopt;
    return "refund at location " + *location + ", not this edge's (--shopify-location " +
           Listed(locations_) + ")";
  }
  if (order_taken_here) return std::nullopt;
  return "refund at no location of an order this edge did not take";
}

}  // namespace storepulse::edge
