#include "common/store/customer_identity.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <vector>

#include "common/kpi/measures.h"
#include "common/log.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"

namespace storepulse::common {

namespace {
constexpr size_t kBackfillChunk = 10'000;  // events decoded at a time by the backfill
}  // namespace

Status CreateCustomerIdentityTables(SQLite::Database& db) {
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_link(store TEXT NOT NULL, customer TEXT NOT NULL, "
        "alias TEXT NOT NULL, PRIMARY KEY(store, customer, alias)) WITHOUT ROWID");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_channel(store TEXT NOT NULL, bucket INTEGER NOT "
        "NULL, customer TEXT NOT NULL, channel INTEGER NOT NULL, PRIMARY KEY(store, bucket, "
        "customer, channel)) WITHOUT ROWID");
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "create the customer identity tables");
  }
}

CustomerIdentityWriter::CustomerIdentityWriter(SQLite::Database& db)
    : link_(std::make_unique<SQLite::Statement>(
          db, "INSERT OR IGNORE INTO customer_link(store, customer, alias) VALUES(?, ?, ?)")),
      channel_(std::make_unique<SQLite::Statement>(
          db,
          "INSERT OR IGNORE INTO customer_channel(store, bucket, customer, channel) "
          "VALUES(?, ?, ?, ?)")) {}

CustomerIdentityWriter::~CustomerIdentityWriter() = default;

void CustomerIdentityWriter::Add(const Event& e, Batch* batch) {
  if (e.type == EventType::kCustomerLink) {
    batch->links.push_back(OrderedLink(e.customer, e.alias));
  } else if (e.type == EventType::kSale && !e.customer.empty()) {
    batch->channels.emplace_back(BucketOf(e.ts_ms), &e.customer, static_cast<int>(e.channel));
  }
}

void CustomerIdentityWriter::Flush(const std::string& store, Batch& batch) {
  auto& links = batch.links;
  auto& channels = batch.channels;
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  for (const auto& [customer, alias] : links) {
    StatementUse use(*link_);
    use->bind(1, store);
    use->bind(2, customer);
    use->bind(3, alias);
    use->exec();
  }
  auto less = [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    if (*std::get<1>(a) != *std::get<1>(b)) return *std::get<1>(a) < *std::get<1>(b);
    return std::get<2>(a) < std::get<2>(b);
  };
  auto same = [](const auto& a, const auto& b) {
    return std::get<0>(a) == std::get<0>(b) && *std::get<1>(a) == *std::get<1>(b) &&
           std::get<2>(a) == std::get<2>(b);
  };
  std::sort(channels.begin(), channels.end(), less);
  channels.erase(std::unique(channels.begin(), channels.end(), same), channels.end());
  for (const auto& [bucket, customer, channel] : channels) {
    StatementUse use(*channel_);
    use->bind(1, store);
    use->bind(2, bucket);
    use->bindNoCopy(3, *customer);
    use->bind(4, channel);
    use->exec();
  }
}

Status BackfillCustomerChannels(SQLite::Database& db, EventLogKind kind,
                                const std::string& edge_store) {
  ASSIGN_OR_RETURN(const int64_t watermark, ReadWatermark(db, kind));
  try {
    CustomerIdentityWriter writer(db);
    int64_t after = 0, sales = 0;
    while (after < watermark) {
      std::vector<LogEntry> entries;
      RETURN_IF_ERROR(ReadLogAfter(db, kind, edge_store, after, kBackfillChunk, &entries));
      if (entries.empty()) break;
      for (const LogEntry& entry : entries) {
        if (entry.position > watermark) break;  // the view pass folds those
        CustomerIdentityWriter::Batch batch;
        CustomerIdentityWriter::Add(entry.event, &batch);
        writer.Flush(entry.store, batch);  // central's log interleaves stores
        sales += entry.event.type == EventType::kSale && !entry.event.customer.empty();
      }
      after = entries.back().position;
    }
    LogInfo("customer channels refolded from " + std::to_string(sales) +
            " identified sales still in the log");
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "refold the customer channels");
  }
}

namespace {

template <typename Bind, typename Emit>
Status Query(StatementCache& statements, const char* sql, const char* what, const Bind& bind,
             const Emit& emit) {
  try {
    StatementUse q(statements.Get(sql));
    bind(*q);
    while (q->executeStep()) emit(*q);
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(statements.db(), e, what);
  }
}

}  // namespace

Status ReadStoreLinks(StatementCache& statements, const std::string& store,
                      const CustomerReader::LinkSink& sink) {
  return Query(
      statements, "SELECT customer, alias FROM customer_link WHERE store = ?",
      "read the customer links", [&](SQLite::Statement& q) { q.bind(1, store); },
      [&](SQLite::Statement& q) { sink(q.getColumn(0).getString(), q.getColumn(1).getString()); });
}

Status ReadEveryLink(StatementCache& statements, const ScopeFirstsReader::StoreLinkSink& sink) {
  return Query(
      statements, "SELECT store, customer, alias FROM customer_link", "read the customer links",
      [](SQLite::Statement&) {},
      [&](SQLite::Statement& q) {
        sink(q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString());
      });
}

Status ReadStoreChannels(StatementCache& statements, const std::string& store, int64_t from_bucket,
                         int64_t to_bucket, const CustomerReader::ChannelSink& sink) {
  return Query(
      statements,
      "SELECT bucket, customer, channel FROM customer_channel WHERE store = ? AND bucket >= ? "
      "AND bucket < ?",
      "read the customers' channels",
      [&](SQLite::Statement& q) {
        q.bind(1, store);
        q.bind(2, from_bucket);
        q.bind(3, to_bucket);
      },
      [&](SQLite::Statement& q) {
        const int channel = q.getColumn(2).getInt();
        if (channel < 0 || channel >= static_cast<int>(kChannelNames.size())) return;
        sink(q.getColumn(0).getInt64(), q.getColumn(1).getString(), static_cast<Channel>(channel));
      });
}

StatusOr<std::optional<int64_t>> ReadStoreFirstOf(StatementCache& statements,
                                                  const std::string& store,
                                                  const std::string& customer) {
  std::optional<int64_t> first;
  RETURN_IF_ERROR(Query(
      statements, "SELECT first_ts FROM customer_first WHERE store = ? AND customer = ?",
      "read a first purchase",
      [&](SQLite::Statement& q) {
        q.bind(1, store);
        q.bind(2, customer);
      },
      [&](SQLite::Statement& q) { first = q.getColumn(0).getInt64(); }));
  return first;
}

StatusOr<std::optional<ScopeFirstsReader::ScopeFirst>> ReadScopeFirstOf(
    StatementCache& statements, const std::string& scope, const std::string& customer) {
  std::optional<ScopeFirstsReader::ScopeFirst> first;
  auto emit = [&](SQLite::Statement& q) {
    first = ScopeFirstsReader::ScopeFirst{q.getColumn(0).getInt64(), q.getColumn(1).getString()};
  };
  if (scope == kNetworkScope) {
    RETURN_IF_ERROR(Query(
        statements, "SELECT first_ts, store FROM customer_first_network WHERE customer = ?",
        "read a first purchase", [&](SQLite::Statement& q) { q.bind(1, customer); }, emit));
  } else {
    RETURN_IF_ERROR(Query(
        statements,
        "SELECT first_ts, store FROM customer_first_region WHERE region = ? AND customer = ?",
        "read a first purchase",
        [&](SQLite::Statement& q) {
          q.bind(1, scope.substr(scope.find(':') + 1));
          q.bind(2, customer);
        },
        emit));
  }
  return first;
}

}  // namespace storepulse::common
