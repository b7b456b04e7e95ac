// The tables behind one customer across identities and channels (issue 15, docs/KPIS.md "One
// customer across identities"), in the edge and central databases alike. Schema (edge 3,
// central 4), WITHOUT ROWID:
//   customer_link(store TEXT, customer TEXT, alias TEXT, PRIMARY KEY(store, customer, alias))
//     each customer_link event of a store, the pair ordered (customer < alias) so a link sent
//     both ways is one row. Links are kept raw: who is whom is resolved when read
//     (common/kpi/customer_persons.h), so a link changes no stored figure and arrival order
//     cannot matter.
//   customer_channel(store TEXT, bucket INTEGER, customer TEXT, channel INTEGER,
//                    PRIMARY KEY(store, bucket, customer, channel))
//     who bought on which channel in each 15-minute bucket (identified sales): omnichannel
//     customers and retention are read from it.
// Not thread-safe: one writer or reader per connection and thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/event.h"
#include "common/kpi/customers.h"
#include "common/status.h"
#include "common/store/event_log.h"
#include "common/store/statement_cache.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace storepulse::common {

// Creates the two tables if missing.
Status CreateCustomerIdentityTables(SQLite::Database& db);

// Refolds the identified sales the view pass folded before customer_channel existed (the events
// up to the watermark still in the log; an edge's pruned events are gone). Idempotent.
// REQUIRES: inside the caller's write transaction (a schema step).
Status BackfillCustomerChannels(SQLite::Database& db, EventLogKind kind,
                                const std::string& edge_store);

// Writes a batch's links and identified sales' channels: Add gathers one store's events into a
// Batch in memory, Flush writes each distinct row once, in key order (neighbouring B-tree pages).
// The events must outlive the Flush. REQUIRES: Flush inside the caller's write transaction.
// Throws SQLite::Exception on a database error. One thread.
class CustomerIdentityWriter {
 public:
  explicit CustomerIdentityWriter(SQLite::Database& db);
  ~CustomerIdentityWriter();
  CustomerIdentityWriter(const CustomerIdentityWriter&) = delete;
  CustomerIdentityWriter& operator=(const CustomerIdentityWriter&) = delete;

  struct Batch {
    std::vector<std::pair<std::string, std::string>> links;              // ordered pairs
    std::vector<std::tuple<int64_t, const std::string*, int>> channels;  // bucket, id, channel
  };
  static void Add(const Event& event, Batch* batch);
  void Flush(const std::string& store, Batch& batch);

 private:
  std::unique_ptr<SQLite::Statement> link_, channel_;
};

// Readers on a query's cached statements.
Status ReadStoreLinks(StatementCache& statements, const std::string& store,
                      const CustomerReader::LinkSink& sink);
Status ReadEveryLink(StatementCache& statements, const ScopeFirstsReader::StoreLinkSink& sink);
Status ReadStoreChannels(StatementCache& statements, const std::string& store, int64_t from_bucket,
                         int64_t to_bucket, const CustomerReader::ChannelSink& sink);
StatusOr<std::optional<int64_t>> ReadStoreFirstOf(StatementCache& statements,
                                                  const std::string& store,
                                                  const std::string& customer);
// `scope`: "network" or "region:R".
StatusOr<std::optional<ScopeFirstsReader::ScopeFirst>> ReadScopeFirstOf(
    StatementCache& statements, const std::string& scope, const std::string& customer);

// The pair of a link as stored: the smaller id first.
inline std::pair<std::string, std::string> OrderedLink(const std::string& a, const std::string& b) {
  return a < b ? std::pair(a, b) : std::pair(b, a);
}

}  // namespace storepulse::common
