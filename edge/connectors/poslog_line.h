// One POSLog LineItem of a RetailTransaction read as a storepulse line: the Sale or Return of an
// item, with its whole quantity, unit price and discount in minor units, and for a return what it
// says about the goods coming back. Line items that move no goods (Tender, Tax, Total,
// LoyaltyReward…) read as nothing. Stateless.
//
// The price rule (docs/CONNECTORS.md, "poslog"): a line's RetailPriceModifiers (Action Subtract)
// are its discount, taken off the RegularSalesUnitPrice they were applied to; a line without any
// is priced at its ActualSalesUnitPrice, what the customer was charged per unit (a markdown or a
// price override the till recorded without a modifier). Each price stands in for the other when
// missing. So qty × unit_price − discount is what the line was sold (or refunded) for.
#pragma once

#include <cstddef>
#include <optional>
#include <pugixml.hpp>
#include <string>

#include "common/event.h"
#include "common/status.h"

namespace storepulse::edge::poslog {

enum class LineKind { kSale, kReturn };

struct PoslogLine {
  LineKind kind = LineKind::kSale;
  common::Line line;
  // A return's: its reason ("defective" for a defect-like code, else as the till wrote it), whether
  // the goods go back into stock (its Disposal Method), and the SequenceNumber of the sale it
  // returns (its TransactionLink), each empty or default when the till does not say.
  std::string reason;
  bool restock = true;
  std::string original_txn;
};

// True when the line item sells or returns goods (it holds a Sale or a Return), voided or not.
bool MovesGoods(pugi::xml_node line_item);

// Nothing for a line item that moves no goods. An error names the line ("line 3 (ItemID 4006…)":
// its SequenceNumber, or `position` from 1 when it has none) and says why it cannot be mapped.
// REQUIRES: `line_item` is not voided: voided lines are the caller's to leave out.
common::StatusOr<std::optional<PoslogLine>> ReadLineItem(pugi::xml_node line_item, size_t position,
                                                         int money_digits);

}  // namespace storepulse::edge::poslog
