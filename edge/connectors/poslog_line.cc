#include "edge/connectors/poslog_line.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "common/checked_math.h"
#include "edge/connectors/poslog_xml.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge::poslog {
namespace {

using common::InvalidArgument;
using common::StatusOr;

std::string Quoted(std::string_view text) { return "\"" + std::string(text.substr(0, 40)) + "\""; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whole units only: SPEC §2 lines take an integer qty ≥ 1, and "2.000" is 2.
StatusOr<int64_t> ReadQuantity(const std::string& text) {
  if (text.empty()) return InvalidArgument("no Quantity");
  const size_t point = text.find('.');
  const std::string_view fraction =
      point == std::string::npos ? std::string_view() : std::string_view(text).substr(point + 1);
  const bool digits =
      std::all_of(fraction.begin(), fraction.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool zeros = std::all_of(fraction.begin(), fraction.end(), [](char c) { return c == '0'; });
  if (digits && !zeros) {
    return InvalidArgument("Quantity " + Quoted(text) +
                           " is not a whole number of units: storepulse lines take an integer "
                           "qty >= 1 (SPEC §2), so a weighed or measured item cannot be mapped");
  }
  auto qty = ParseDecimal(text, 0);
  if (!qty.ok()) return InvalidArgument("Quantity: " + qty.status().message());
  if (*qty < 1) {
    return InvalidArgument("Quantity " + Quoted(text) +
                           " is not >= 1 (a Return states the units coming back as a positive "
                           "quantity)");
  }
  return *qty;
}

StatusOr<int64_t> ReadMoney(std::string_view field, const std::string& text, int digits) {
  auto value = ParseDecimal(text, digits);
  if (!value.ok()) return InvalidArgument(std::string(field) + ": " + value.status().message());
  if (*value < 0) return InvalidArgument(std::string(field) + " " + Quoted(text) + " is negative");
  return *value;
}

// Σ of the line's RetailPriceModifier amounts: the discount for the whole line.
StatusOr<int64_t> ReadDiscount(pugi::xml_node goods, int digits) {
  int64_t total = 0;
  for (pugi::xml_node modifier : Children(goods, "RetailPriceModifier")) {
    if (Flag(modifier, "VoidFlag")) continue;
    pugi::xml_node amount = Child(modifier, "Amount");
    if (!amount) {
      return InvalidArgument(
          "a RetailPriceModifier without an Amount (a Percent alone is not "
          "converted: rounding it is the till's to do)");
    }
    std::string action = Attribute(amount, "Action");
    if (action.empty()) action = Attribute(modifier, "Action");
    if (!action.empty() && action != "Subtract") {
      return InvalidArgument("a RetailPriceModifier with Action " + Quoted(action) +
                             ": only discounts (Subtract) map, a line's value cannot exceed "
                             "qty x unit price");
    }
    ASSIGN_OR_RETURN(int64_t value, ReadMoney("RetailPriceModifier Amount", Text(amount), digits));
    std::optional<int64_t> sum = common::CheckedAdd(total, value);
    if (!sum) return InvalidArgument("the RetailPriceModifier amounts overflow");
    total = *sum;
  }
  return total;
}

StatusOr<int64_t> ReadUnitPrice(pugi::xml_node goods, bool discounted, int digits) {
  const std::string regular = ChildText(goods, "RegularSalesUnitPrice");
  const std::string actual = ChildText(goods, "ActualSalesUnitPrice");
  const bool use_regular = discounted ? !regular.empty() : actual.empty();
  if (regular.empty() && actual.empty()) {
    return InvalidArgument("no RegularSalesUnitPrice or ActualSalesUnitPrice");
  }
  return use_regular ? ReadMoney("RegularSalesUnitPrice", regular, digits)
                     : ReadMoney("ActualSalesUnitPrice", actual, digits);
}

// Codes that say the goods were faulty count in the defect rate (SPEC: reason "defective").
std::string MapReason(const std::string& text) {
  static constexpr std::array<std::string_view, 4> kDefectLike = {"defect", "faulty", "damaged",
                                                                  "broken"};
  const std::string lower = Lower(text);
  for (std::string_view word : kDefectLike) {
    if (lower.find(word) != std::string::npos) return "defective";
  }
  return text;
}

// Disposal methods (ARTS DisposalMethodCode) that keep the goods out of sellable stock.
bool Restocked(const std::string& method) {
  static constexpr std::array<std::string_view, 8> kNotRestocked = {
      "writeoff",         "destroy",        "scrap", "repair", "transform", "returntomanufacturer",
      "returntosupplier", "returntovendor",
  };
  const std::string lower = Lower(method);
  return std::find(kNotRestocked.begin(), kNotRestocked.end(), lower) == kNotRestocked.end();
}

StatusOr<PoslogLine> ReadGoods(pugi::xml_node goods, LineKind kind, int digits) {
  PoslogLine out;
  out.kind = kind;
  out.line.sku = ChildText(goods, "ItemID");
  if (out.line.sku.empty()) return InvalidArgument("no ItemID");
  ASSIGN_OR_RETURN(out.line.qty, ReadQuantity(ChildText(goods, "Quantity")));
  ASSIGN_OR_RETURN(out.line.discount, ReadDiscount(goods, digits));
  ASSIGN_OR_RETURN(out.line.unit_price, ReadUnitPrice(goods, out.line.discount > 0, digits));
  if (kind == LineKind::kReturn) {
    std::string reason = ChildText(goods, "Reason");
    if (reason.empty()) reason = ChildText(goods, "ReasonCode");
    out.reason = MapReason(reason);
    out.restock = Restocked(Attribute(Child(goods, "Disposal"), "Method"));
    out.original_txn = ChildText(Child(goods, "TransactionLink"), "SequenceNumber");
  }
  return out;
}

// "line 3 (ItemID 4006381333931)": the line's SequenceNumber, else its position.
std::string LineLabel(pugi::xml_node line_item, size_t position, const std::string& sku) {
  std::string number = ChildText(line_item, "SequenceNumber");
  if (number.empty()) number = "#" + std::to_string(position);
  std::string label = "line " + number;
  if (!sku.empty()) label += " (ItemID " + sku.substr(0, 40) + ")";
  return label;
}

}  // namespace

bool MovesGoods(pugi::xml_node line_item) {
  return Child(line_item, "Sale") || Child(line_item, "Return");
}

StatusOr<std::optional<PoslogLine>> ReadLineItem(pugi::xml_node line_item, size_t position,
                                                 int money_digits) {
  pugi::xml_node sale = Child(line_item, "Sale");
  pugi::xml_node goods = sale ? sale : Child(line_item, "Return");
  if (!goods) {
    if (Child(line_item, "Discount")) {
      return InvalidArgument(LineLabel(line_item, position, "") +
                             ": a transaction-level Discount is not spread over the lines here; "
                             "have the till export it as each line's RetailPriceModifier");
    }
    return std::optional<PoslogLine>();
  }
  StatusOr<PoslogLine> line =
      ReadGoods(goods, sale ? LineKind::kSale : LineKind::kReturn, money_digits);
  if (!line.ok()) {
    return InvalidArgument(LineLabel(line_item, position, ChildText(goods, "ItemID")) + ": " +
                           line.status().message());
  }
  return std::optional<PoslogLine>(std::move(line).value());
}

}  // namespace storepulse::edge::poslog
