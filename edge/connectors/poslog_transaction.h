// One POSLog Transaction mapped to storepulse events (SPEC §2): a RetailTransaction's Sale lines
// become one sale, its Return lines one return per (original transaction, reason, restock) — an
// exchange gives both — or the transaction maps to nothing, with the reason: skipped on purpose
// (voided, cancelled, suspended, training mode, not a retail transaction, every line voided) or
// rejected (a line that cannot be mapped, a missing identifier, another store's transaction).
// Event ids come from the till's own numbering: store, WorkstationID, BusinessDayDate,
// SequenceNumber and "sale"/"return". Stateless.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "common/time_zone.h"

namespace storepulse::edge::poslog {

struct PoslogContext {
  std::string store;            // the edge's store id, the first part of every event id
  std::string retail_store_id;  // the RetailStoreID that names this store in the tills' files
  const common::TimeZone* zone = nullptr;  // for times without an offset
  int money_digits = 2;
};

struct PoslogRecord {
  std::string source;  // "transaction 1042 (till 3, 2026-12-04)"
  std::vector<nlohmann::json> events;
  std::string skipped;   // why no event, on purpose; empty otherwise
  std::string rejected;  // why no event, an error; empty otherwise
};

// `index` is the transaction's position in the document, from 0 (named when it has no number).
PoslogRecord MapTransaction(pugi::xml_node transaction, size_t index, const PoslogContext& context);

}  // namespace storepulse::edge::poslog
