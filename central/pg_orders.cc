#include "central/pg_orders.h"

#include <map>
#include <optional>

#include "common/kpi/order_fold.h"

namespace storepulse::central {
namespace {

constexpr char kColumns[] =
    "kind, source, first_ts, first_id, created_ts, promise_ts, promise_id, promised_ms, ready_ts, "
    "collected_ts, delivered_ts, cancelled_ts, cancelled_id, reason";

std::optional<int64_t> OptionalInt(const PgResult& r, int c) {
  return r.null(0, c) ? std::nullopt : std::optional<int64_t>(r.integer(0, c));
}

std::optional<common::EventMark> OptionalMark(const PgResult& r, int c) {
  if (r.null(0, c)) return std::nullopt;
  return common::EventMark{r.integer(0, c), std::string(r.text(0, c + 1))};
}

common::OrderState ReadState(const PgResult& r) {
  common::OrderState s;
  s.kind = static_cast<common::OrderKind>(r.integer(0, 0));
  s.source = static_cast<common::OrderSource>(r.integer(0, 1));
  s.first = common::EventMark{r.integer(0, 2), std::string(r.text(0, 3))};
  s.created_ms = OptionalInt(r, 4);
  s.promise = OptionalMark(r, 5);
  s.promised_ms = OptionalInt(r, 7);
  s.ready_ms = OptionalInt(r, 8);
  s.collected_ms = OptionalInt(r, 9);
  s.delivered_ms = OptionalInt(r, 10);
  s.cancelled = OptionalMark(r, 11);
  s.reason = std::string(r.text(0, 13));
  return s;
}

PgParams& Optional(PgParams& p, const std::optional<int64_t>& v) {
  return v ? p.integer(*v) : p.null();
}

PgParams& Mark(PgParams& p, const std::optional<common::EventMark>& mark) {
  return mark ? p.integer(mark->ts).text(mark->id) : p.null().null();
}

common::Status WriteState(PgConnection& db, const std::string& store, const std::string& order,
                          const common::OrderState& s) {
  PgParams p;
  p.text(store).text(order).integer(static_cast<int>(s.kind)).integer(static_cast<int>(s.source));
  p.integer(s.first->ts).text(s.first->id);
  Optional(p, s.created_ms);
  Mark(p, s.promise);
  Optional(p, s.promised_ms);
  Optional(p, s.ready_ms);
  Optional(p, s.collected_ms);
  Optional(p, s.delivered_ms);
  Mark(p, s.cancelled);
  p.text(s.reason);
  std::string set;
  for (std::string_view rest = kColumns; !rest.empty();) {
    const size_t comma = rest.find(", ");
    const std::string column(rest.substr(0, comma));
    set += (set.empty() ? "" : ", ") + column + " = excluded." + column;
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 2);
  }
  return db
      .Exec(std::string("INSERT INTO storepulse.orders(store, order_id, ") + kColumns +
                ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
                "ON CONFLICT(store, order_id) DO UPDATE SET " +
                set,
            p, "write the state of order " + order + " of store " + store)
      .status();
}

}  // namespace

const char* PgOrdersSchemaSql() {
  return R"sql(
CREATE TABLE storepulse.orders(
  store text NOT NULL, order_id text NOT NULL, kind integer NOT NULL, source integer NOT NULL,
  first_ts bigint NOT NULL, first_id text NOT NULL, created_ts bigint, promise_ts bigint,
  promise_id text, promised_ms bigint, ready_ts bigint, collected_ts bigint, delivered_ts bigint,
  cancelled_ts bigint, cancelled_id text, reason text NOT NULL DEFAULT '',
  PRIMARY KEY(store, order_id));
)sql";
}

common::Status FoldPgOrders(PgConnection& db, const std::string& store,
                            const std::vector<const common::Event*>& events,
                            common::MeasureDeltas* deltas) {
  std::map<std::string, common::OrderState> changed;
  RETURN_IF_ERROR(common::FoldOrders(
      events,
      [&](const std::string& order) -> common::StatusOr<std::optional<common::OrderState>> {
        ASSIGN_OR_RETURN(PgResult row,
                         db.Exec(std::string("SELECT ") + kColumns +
                                     " FROM storepulse.orders WHERE store = $1 AND order_id = $2",
                                 PgParams().text(store).text(order), "read an order's state"));
        if (row.rows() == 0) return std::optional<common::OrderState>();
        return std::optional<common::OrderState>(ReadState(row));
      },
      deltas, &changed));
  for (const auto& [order, state] : changed) {
    RETURN_IF_ERROR(WriteState(db, store, order, state));
  }
  return common::OkStatus();
}

}  // namespace storepulse::central
