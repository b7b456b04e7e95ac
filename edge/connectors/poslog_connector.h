// The `poslog` connector: ARTS/NRF POSLog XML as tills export it (POST /api/v1/connectors/poslog,
// `storepulse ingest --format poslog FILE`). A document is a POSLog root holding Transactions, with
// or without the ARTS namespace; each Transaction is one source record, mapped to sale and return
// events (poslog_transaction.h), skipped, or rejected with its reason, so every transaction of the
// file is accounted for in the answer. A body that is not a whole XML document (a truncated
// export) is refused whole: 400 with the parser's description and the byte offset.
//
// The query parameter `retail_store` names the RetailStoreID that stands for this edge's store in
// the tills' files (default: the edge's store id); a transaction of any other store is rejected.
// Stateless; thread-safe.
#pragma once

#include "edge/connectors/connector.h"

namespace storepulse::edge {

class PoslogConnector final : public Connector {
 public:
  std::string_view name() const override { return "poslog"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;
};

}  // namespace storepulse::edge
