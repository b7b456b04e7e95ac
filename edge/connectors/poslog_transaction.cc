#include "edge/connectors/poslog_transaction.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "common/status.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/poslog_line.h"
#include "edge/connectors/poslog_xml.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge::poslog {
namespace {

using common::InvalidArgument;
using common::StatusOr;
using nlohmann::json;

// What identifies the transaction and who made it, as the till wrote it.
struct Header {
  std::string store_id, till, txn, day, employee, customer;
  std::string time, time_field;  // EndDateTime, else BeginDateTime
};

std::string Quoted(std::string_view text) { return "\"" + std::string(text.substr(0, 40)) + "\""; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Header ReadHeader(pugi::xml_node transaction, pugi::xml_node retail) {
  Header h;
  h.store_id = ChildText(transaction, "RetailStoreID");
  h.till = ChildText(transaction, "WorkstationID");
  h.txn = ChildText(transaction, "SequenceNumber");
  h.day = ChildText(transaction, "BusinessDayDate");
  for (const char* field : {"EndDateTime", "BeginDateTime"}) {
    if (!h.time.empty()) break;
    h.time = ChildText(transaction, field);
    h.time_field = field;
  }
  h.employee = ChildText(transaction, "OperatorID");
  // The customer's own id first; a loyalty card's number when that is all the till knows.
  for (pugi::xml_node scope : {retail, transaction}) {
    if (h.customer.empty()) h.customer = ChildText(Child(scope, "Customer"), "CustomerID");
  }
  for (pugi::xml_node scope : {retail, transaction}) {
    if (h.customer.empty()) {
      h.customer = ChildText(Child(scope, "LoyaltyAccount"), "LoyaltyAccountID");
    }
  }
  return h;
}

// "transaction 1042 (till 3, 2026-12-04)", or by position when the till gave no number.
std::string Describe(const Header& h, size_t index) {
  std::string out = h.txn.empty() ? "transaction #" + std::to_string(index + 1)
                                  : "transaction " + h.txn.substr(0, 40);
  std::string where;
  if (!h.till.empty()) where = "till " + h.till.substr(0, 40);
  if (!h.day.empty()) where += (where.empty() ? "" : ", ") + h.day.substr(0, 40);
  return where.empty() ? out : out + " (" + where + ")";
}

// The kind of a transaction that is not a RetailTransaction: "ControlTransaction"…
std::string OtherKind(pugi::xml_node transaction) {
  for (pugi::xml_node child : transaction.children()) {
    std::string_view name = LocalName(child.name());
    if (child.type() == pugi::node_element && name.size() > 11 &&
        name.substr(name.size() - 11) == "Transaction") {
      return std::string(name);
    }
  }
  return "";
}

// Why the transaction maps to no event on purpose; "" when it is to be mapped.
std::string SkipReason(pugi::xml_node transaction, pugi::xml_node retail) {
  if (Flag(transaction, "TrainingModeFlag")) return "training mode";
  if (Flag(transaction, "CancelFlag")) return "cancelled transaction";
  if (Flag(transaction, "VoidFlag")) return "voided transaction";
  if (!retail) {
    std::string kind = OtherKind(transaction);
    return "not a retail transaction" + (kind.empty() ? "" : " (" + kind + ")");
  }
  const std::string status = Lower(Attribute(retail, "TransactionStatus"));
  if (status == "voided" || status == "postvoided") return "voided transaction";
  if (status == "canceled" || status == "cancelled") return "cancelled transaction";
  if (status == "suspended") return "suspended transaction (logged again when resumed)";
  return "";
}

common::Status CheckHeader(const Header& h, const PoslogContext& context) {
  if (h.txn.empty()) return InvalidArgument("no SequenceNumber (part of the event id)");
  if (h.till.empty()) return InvalidArgument("no WorkstationID (part of the event id)");
  if (h.day.empty()) return InvalidArgument("no BusinessDayDate (part of the event id)");
  if (!h.store_id.empty() && h.store_id != context.retail_store_id) {
    return InvalidArgument("RetailStoreID " + Quoted(h.store_id) + " is not this store (" +
                           Quoted(context.retail_store_id) +
                           "): another store's transaction; if the tills number this store so, "
                           "post with ?retail_store=" +
                           h.store_id.substr(0, 40));
  }
  if (h.time.empty()) return InvalidArgument("no EndDateTime or BeginDateTime");
  // In each of the transaction's events: a sale and one return per reason.
  RETURN_IF_ERROR(CheckTextLength("SequenceNumber", h.txn));
  RETURN_IF_ERROR(CheckTextLength("WorkstationID", h.till));
  RETURN_IF_ERROR(CheckTextLength("OperatorID", h.employee));
  RETURN_IF_ERROR(CheckTextLength("the customer's id", h.customer));
  return common::OkStatus();
}

struct Lines {
  std::vector<PoslogLine> lines;
  size_t voided = 0;
};

StatusOr<Lines> ReadLines(pugi::xml_node retail, int money_digits) {
  Lines out;
  size_t position = 0;
  for (pugi::xml_node line_item : Children(retail, "LineItem")) {
    ++position;
    if (Flag(line_item, "VoidFlag")) {
      if (MovesGoods(line_item)) ++out.voided;
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<PoslogLine> line,
                     ReadLineItem(line_item, position, money_digits));
    if (line) out.lines.push_back(std::move(*line));
  }
  return out;
}

json LinesJson(const std::vector<common::Line>& lines) {
  json out = json::array();
  for (const common::Line& l : lines) {
    out.push_back(
        {{"sku", l.sku}, {"qty", l.qty}, {"unit_price", l.unit_price}, {"discount", l.discount}});
  }
  return out;
}

json BaseEvent(std::string_view type, std::string id, int64_t ts_ms, const Header& h) {
  json event = {{"id", std::move(id)}, {"type", type},   {"ts", ts_ms},
                {"txn", h.txn},        {"till", h.till}, {"channel", "store"}};
  if (!h.employee.empty()) event["employee"] = h.employee;
  if (!h.customer.empty()) event["customer"] = h.customer;
  return event;
}

// Return lines that go into one return event: those of one original transaction, reason and
// disposal, in the order of their first line.
struct ReturnGroup {
  const PoslogLine* first;
  std::vector<common::Line> lines;
};

std::vector<ReturnGroup> GroupReturns(const Lines& lines) {
  std::vector<ReturnGroup> groups;
  for (const PoslogLine& line : lines.lines) {
    if (line.kind != LineKind::kReturn) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const ReturnGroup& g) {
      return g.first->original_txn == line.original_txn && g.first->reason == line.reason &&
             g.first->restock == line.restock;
    });
    if (it == groups.end()) it = groups.insert(groups.end(), ReturnGroup{&line, {}});
    it->lines.push_back(line.line);
  }
  return groups;
}

// One sale of every Sale line, then the returns: "…:sale", "…:return", "…:return:2"…
std::vector<json> BuildEvents(const Lines& lines, const Header& h, int64_t ts_ms,
                              const std::string& store) {
  std::vector<json> events;
  std::vector<common::Line> sold;
  for (const PoslogLine& line : lines.lines) {
    if (line.kind == LineKind::kSale) sold.push_back(line.line);
  }
  if (!sold.empty()) {
    json sale =
        BaseEvent("sale", StableEventId("poslog", {store, h.till, h.day, h.txn, "sale"}), ts_ms, h);
    sale["lines"] = LinesJson(sold);
    events.push_back(std::move(sale));
  }
  std::vector<ReturnGroup> groups = GroupReturns(lines);
  for (size_t i = 0; i < groups.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    json r = BaseEvent("return",
                       i == 0 ? StableEventId("poslog", {store, h.till, h.day, h.txn, "return"})
                              : StableEventId("poslog", {store, h.till, h.day, h.txn, "return", n}),
                       ts_ms, h);
    const PoslogLine& first = *groups[i].first;
    if (!first.original_txn.empty()) r["original_txn"] = first.original_txn;
    if (!first.reason.empty()) r["reason"] = first.reason;
    r["restock"] = first.restock;
    r["lines"] = LinesJson(groups[i].lines);
    events.push_back(std::move(r));
  }
  return events;
}

}  // namespace

PoslogRecord MapTransaction(pugi::xml_node transaction, size_t index,
                            const PoslogContext& context) {
  pugi::xml_node retail = Child(transaction, "RetailTransaction");
  const Header h = ReadHeader(transaction, retail);
  PoslogRecord record;
  record.source = Describe(h, index);
  record.skipped = SkipReason(transaction, retail);
  if (!record.skipped.empty()) return record;

  StatusOr<Lines> lines = ReadLines(retail, context.money_digits);
  if (!lines.ok()) {
    record.rejected = lines.status().message();
    return record;
  }
  if (lines->lines.empty()) {
    record.skipped = lines->voided > 0 ? "every line voided" : "no Sale or Return line items";
    return record;
  }
  if (common::Status header = CheckHeader(h, context); !header.ok()) {
    record.rejected = header.message();
    return record;
  }
  StatusOr<int64_t> ts_ms = ParseSourceTime(h.time, *context.zone);
  if (!ts_ms.ok()) {
    record.rejected = h.time_field + ": " + ts_ms.status().message();
    return record;
  }
  record.events = BuildEvents(*lines, h, *ts_ms, context.store);
  return record;
}

}  // namespace storepulse::edge::poslog
