// The independent oracle (issue 4): random event streams for five stores in four time zones —
// random order, duplicates, late events, returns of web purchases, orders across statuses, labour
// intervals across buckets and local midnights (issue 15) — sent
// through real edges to a real central; then every KPI of by=total|day|store|region is compared
// with a plain-loop computation written here, from the events alone, with the date library used
// directly for local days. Stock is replayed in each store's arrival order, as docs/KPIS.md
// ("Stock") defines it.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "common/event_codec.h"
#include "common/kpi/kpi_catalogue.h"
#include "common/sketch/hyperloglog.h"
#include "tests/integration/chain.h"
#include "tests/integration/credit_oracle.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

using common::Event;
using common::EventType;

// Plain sums, and the KPIs they give, exactly as SPEC §3 states them.
struct Sums {
  int64_t gross = 0, returns_value = 0, txns = 0, store_txns = 0, units = 0, units_ret = 0;
  int64_t footfall = 0, web_returns = 0, web_returns_value = 0, nps_n = 0, nps_pro = 0;
  int64_t nps_det = 0, csat_n = 0, csat_ok = 0, shrink = 0, cc = 0, cc_wh = 0, sfs = 0;
  int64_t sfs_cancel = 0, promised = 0, kept = 0, late_ms = 0;  // settled orders (SettleOrders)
  int64_t ready_n = 0, ready_ms = 0, delivered_n = 0, delivery_ms = 0;
  int64_t identified_txns = 0, identified_net = 0, defective = 0;
  int64_t labour_s = 0;  // staff-seconds: the part of each labour interval in the row's days
  std::set<std::string> customers;                            // persons: ids after links (`person`)
  std::map<std::string, std::set<common::Channel>> channels;  // each person's
  int64_t new_customers = -1;  // set by the test where "new" differs from "seen"
  std::set<std::string> previous;        // the persons of the previous period (retention)
  std::map<std::string, int64_t> types;  // events of each type, for the failure messages
  // The person of a customer id: the id itself unless the test links ids.
  std::function<std::string(const std::string&)> person = [](const std::string& id) { return id; };

  void Add(const Event& e) {
    ++types[std::string(common::TypeName(e.type))];
    int64_t value = 0, qty = 0;
    for (const auto& l : e.lines) value += l.qty * l.unit_price - l.discount, qty += l.qty;
    switch (e.type) {
      case EventType::kSale:
        gross += value, txns++, units += qty;
        if (e.channel == common::Channel::kStore) store_txns++;
        if (!e.customer.empty()) customers.insert(person(e.customer)), identified_txns++;
        if (!e.customer.empty()) identified_net += value;
        if (!e.customer.empty()) channels[person(e.customer)].insert(e.channel);
        break;
      case EventType::kReturn:
        returns_value += value, units_ret += qty;
        if (e.reason == "defective") defective += qty;
        if (!e.customer.empty()) identified_net -= value;
        if (e.original_channel == common::Channel::kWeb) web_returns++, web_returns_value += value;
        break;
      case EventType::kFootfall: footfall += e.in; break;
      case EventType::kStock:
        if (e.stock_kind == common::StockKind::kShrink) shrink += e.qty;
        break;
      case EventType::kFeedback:
        if (e.scale == common::FeedbackScale::kNps) {
          nps_n++, nps_pro += e.score >= 9, nps_det += e.score <= 6;
        } else {
          csat_n++, csat_ok += e.score >= 4;
        }
        break;
      case EventType::kOrder: AddOrder(e); break;
      case EventType::kLabour:
        AddLabour(e.staff ? *e.staff * e.period_s : *e.hours_s);
        break;
      case EventType::kCustomerLink:
        break;
    }
  }
  // Labour is added by its share of the row's time (Book::Add), not by the event.
  void AddLabour(int64_t staff_seconds) {
    if (staff_seconds != 0) ++types["labour"], labour_s += staff_seconds;
  }
  void AddOrder(const Event& e) {
    bool cc_kind = e.order_kind == common::OrderKind::kClickCollect;
    bool sfs_kind = e.order_kind == common::OrderKind::kShipFromStore;
    if (e.status == common::OrderStatus::kCreated) {
      cc += cc_kind, cc_wh += cc_kind && e.source == common::OrderSource::kWarehouse;
      sfs += sfs_kind;
    }
    if (sfs_kind && e.status == common::OrderStatus::kCancelled && e.reason == "stock_error") {
      sfs_cancel++;
    }
  }
  static nlohmann::json Div(double n, double d, double k = 1) {
    return d == 0 ? nlohmann::json(nullptr) : nlohmann::json(n * k / d);
  }
  nlohmann::json Expected() const {
    int64_t omnichannel = 0, retained = 0;
    for (const auto& [who, used] : channels) omnichannel += used.size() >= 2;
    for (const std::string& who : previous) retained += customers.count(who);
    return {{"omnichannel_customers", omnichannel},
            {"omnichannel_share", Div(omnichannel, customers.size())},
            {"retention_rate", Div(retained, previous.size())},
            {"gross_sales", gross},
            {"returns_value", returns_value},
            {"net_sales", gross - returns_value},
            {"transactions", txns},
            {"units_sold", units},
            {"units_returned", units_ret},
            {"aov", Div(gross, txns)},
            {"upt", Div(units, txns)},
            {"footfall", footfall},
            {"conversion_rate", Div(store_txns, footfall)},
            {"return_rate", Div(returns_value, gross)},
            {"return_rate_units", Div(units_ret, units)},
            {"defect_return_rate", Div(defective, units)},
            {"web_returns_in_store", web_returns},
            {"web_returns_in_store_value", web_returns_value},
            {"nps", Div(nps_pro - nps_det, nps_n, 100)},
            {"nps_responses", nps_n},
            {"csat", Div(csat_ok, csat_n, 100)},
            {"csat_responses", csat_n},
            {"shrink_units", shrink},
            {"cc_orders", cc},
            {"cc_warehouse_share", Div(cc_wh, cc)},
            {"sfs_orders", sfs},
            {"sfs_stock_cancel_rate", Div(sfs_cancel, sfs)},
            {"promise_kept_rate", Div(kept, promised)},
            {"avg_late_minutes", Div(late_ms, promised - kept, 1.0 / 60000)},
            {"avg_ready_minutes", Div(ready_ms, ready_n, 1.0 / 60000)},
            {"avg_delivery_hours", Div(delivery_ms, delivered_n, 1.0 / 3600000)},
            {"customers", customers.size()},
            {"new_customers", new_customers >= 0 ? new_customers : int64_t(customers.size())},
            {"purchase_frequency", Div(identified_txns, customers.size())},
            {"clv", Div(identified_net, customers.size())},
            {"identified_transactions", identified_txns},
            {"identified_net_sales", identified_net},
            {"recruitment_rate",
             Div(new_customers >= 0 ? new_customers : customers.size(), customers.size())},
            {"labour_hours", labour_s / 3600.0},
            {"sales_per_labour_hour", Div(gross - returns_value, labour_s, 3600)},
            {"star", Div(footfall, labour_s, 3600)},
            // No catalogue in this chain: no unit has a cost, every margin is null
            // (tests/integration/catalogue_test.cc has them with costs).
            {"cogs", nullptr},
            {"gross_margin", nullptr},
            {"margin_rate", nullptr},
            {"units_without_cost", units + units_ret}};
  }
};

// Random but valid events of one store over the last four days.
class RandomStore {
 public:
  RandomStore(std::string store, uint32_t seed) : store_(std::move(store)), random_(seed) {}

  std::vector<Event> Generate(int count) {
    std::vector<Event> events;
    for (int i = 0; i < count; ++i) events.push_back(Next(i));
    return events;
  }

 private:
  int64_t Pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random_);
  }
  Event Next(int i) {
    Event e;
    e.id = store_ + "-" + std::to_string(i);
    e.ts_ms = NowMs() - Pick(0, 4LL * 24 * 3600 * 1000);
    e.txn = "t" + std::to_string(i);
    int64_t kind = Pick(0, 99);
    if (kind < 45) return Sale(e);
    if (kind < 55) return Return(e);
    if (kind < 70) return Footfall(e);
    if (kind < 78) return Stock(e);
    if (kind < 90) return Order(e);
    if (kind < 95) return Feedback(e);
    return Labour(e);
  }
  std::vector<common::Line> Lines() {
    std::vector<common::Line> lines(Pick(1, 4));
    for (auto& l : lines) {
      l = {"SKU" + std::to_string(Pick(1, 20)), Pick(1, 3), Pick(100, 5000), 0};
      l.discount = Pick(0, 1) ? Pick(0, l.qty * l.unit_price / 4) : 0;
    }
    return lines;
  }
  Event Sale(Event e) {
    e.type = EventType::kSale;
    e.channel = static_cast<common::Channel>(Pick(0, 4));
    e.customer = Pick(0, 1) ? "c" + std::to_string(Pick(1, 30)) : "";
    e.employee = "emp" + std::to_string(Pick(1, 4));
    e.lines = Lines();
    if (Pick(0, 2) == 0) e.credits = Credits();
    return e;
  }
  // Two or three distinct employees, with shares that split cents unevenly; the third list sums
  // to 1.0005, inside the tolerance.
  std::vector<common::Credit> Credits() {
    static const std::vector<std::vector<int64_t>> kShares = {
        {333'333, 666'667}, {500'000, 500'000}, {250'000, 750'500}, {333'333, 333'333, 333'334}};
    const std::vector<int64_t>& shares = kShares[Pick(0, kShares.size() - 1)];
    std::vector<std::string> staff = {"emp1", "emp2", "emp3", "emp4", "emp5"};
    std::shuffle(staff.begin(), staff.end(), random_);
    std::vector<common::Credit> credits;
    for (size_t i = 0; i < shares.size(); ++i) credits.push_back({staff[i], shares[i]});
    return credits;
  }
  Event Return(Event e) {
    e.type = EventType::kReturn;
    e.original_channel = Pick(0, 1) ? common::Channel::kWeb : common::Channel::kStore;
    e.restock = Pick(0, 1);
    e.reason = std::vector<std::string>{"defective", "too small", ""}[Pick(0, 2)];
    e.employee = Pick(0, 3) ? "emp" + std::to_string(Pick(1, 5)) : "";
    e.lines = Lines();
    return e;
  }
  Event Footfall(Event e) {
    e.type = EventType::kFootfall;
    e.sensor = "door" + std::to_string(Pick(1, 2));
    e.period_s = 900, e.in = Pick(0, 40), e.out = Pick(0, 40);
    return e;
  }
  Event Stock(Event e) {
    e.type = EventType::kStock;
    e.sku = "SKU" + std::to_string(Pick(1, 16));  // SKU17-20 are sold but never ranged
    e.stock_kind = static_cast<common::StockKind>(Pick(0, 5));
    e.qty = e.stock_kind == common::StockKind::kAdjustment ? Pick(1, 5) * (Pick(0, 1) ? 1 : -1)
                                                           : Pick(1, 30);
    return e;
  }
  Event Order(Event e) {
    e.type = EventType::kOrder;
    e.order = "o" + std::to_string(Pick(1, 30));  // ~3 events an order: lifecycles, not events
    e.order_kind = static_cast<common::OrderKind>(Pick(0, 2));
    e.status = static_cast<common::OrderStatus>(Pick(0, 5));
    e.source = Pick(0, 1) ? common::OrderSource::kWarehouse : common::OrderSource::kStore;
    if (e.status == common::OrderStatus::kCancelled) {
      e.reason = Pick(0, 1) ? "stock_error" : "customer";
    }
    // A promise mostly on `created`, sometimes restated (or first given) later.
    const bool created = e.status == common::OrderStatus::kCreated;
    if (created ? Pick(0, 3) : Pick(0, 3) == 0) {
      e.promised_ms = e.ts_ms + Pick(-4, 4) * 3600 * 1000;
    }
    return e;
  }
  Event Feedback(Event e) {
    e.type = EventType::kFeedback;
    e.scale = Pick(0, 1) ? common::FeedbackScale::kNps : common::FeedbackScale::kCsat;
    e.score = e.scale == common::FeedbackScale::kNps ? Pick(0, 10) : Pick(1, 5);
    return e;
  }
  // An interval of 1 s to 4 h, at any millisecond, over before now (the answers count up to now);
  // staff on the floor or hours worked (as whole seconds, up to 6 staff's).
  Event Labour(Event e) {
    e.type = EventType::kLabour;
    e.period_s = Pick(0, 1) ? Pick(1, 16) * 900 : Pick(1, 4 * 3600);
    e.ts_ms = std::min(e.ts_ms, NowMs() - e.period_s * 1000);
    if (Pick(0, 1)) e.employee = "emp" + std::to_string(Pick(1, 4));
    if (Pick(0, 1)) {
      e.staff = Pick(0, 6);
    } else {
      e.hours_s = Pick(0, 6 * e.period_s);
    }
    return e;
  }
  std::string store_;
  std::mt19937_64 random_;
};

date::local_days LocalDay(const std::string& zone, int64_t utc_ms) {
  auto local = date::make_zoned(zone, date::sys_time<std::chrono::milliseconds>(
                                          std::chrono::milliseconds(utc_ms)))
                   .get_local_time();
  return date::floor<date::days>(local);
}
std::string LocalDate(const std::string& zone, int64_t utc_ms) {
  return date::format("%F", LocalDay(zone, utc_ms));
}
date::local_days ParseDate(const std::string& text) {
  date::local_days day;
  std::istringstream in(text);
  in >> date::parse("%F", day);
  return day;
}
std::string DayBefore(const std::string& date) {
  return date::format("%F", ParseDate(date) - date::days(1));
}

// A store's stock replayed in arrival order: on-hand per SKU, the SKUs a stock event ranged, and
// the store's totals after each movement, booked to the event's local day or to the latest day
// already booked if that is later.
class StockReplay {
 public:
  struct Totals {
    int64_t ranged = 0, in_stock = 0, on_hand = 0;
  };

  void Apply(const Event& e, date::local_days day) {
    switch (e.type) {
      case EventType::kStock:
        ranged_.insert(e.sku);
        switch (e.stock_kind) {
          case common::StockKind::kCount: on_hand_[e.sku] = e.qty; break;
          case common::StockKind::kShrink:
          case common::StockKind::kTransferOut: on_hand_[e.sku] -= e.qty; break;
          default: on_hand_[e.sku] += e.qty;  // receipt, transfer in, signed adjustment
        }
        break;
      case EventType::kSale:
        for (const auto& l : e.lines) on_hand_[l.sku] -= l.qty;
        break;
      case EventType::kReturn:
        if (!e.restock) return;
        for (const auto& l : e.lines) on_hand_[l.sku] += l.qty;
        break;
      default: return;  // moves no stock, books nothing
    }
    if (!booked_.empty()) day = std::max(day, booked_.rbegin()->first);
    booked_[day] = Current();
  }

  // The value on `day`: today the current totals, otherwise the row booked last at or before it;
  // nothing before the first booked day.
  std::optional<Totals> On(date::local_days day, date::local_days today) const {
    if (booked_.empty() || day < booked_.begin()->first) return std::nullopt;
    if (day == today) return Current();
    return std::prev(booked_.upper_bound(day))->second;
  }

  // The average end-of-day on-hand over the days from the first booked one up to today.
  double AverageOnHand(date::local_days today) const {
    if (booked_.empty()) return 0;
    double sum = 0;
    int days = 0;
    for (auto day = booked_.begin()->first; day <= today; day += date::days(1), ++days) {
      sum += static_cast<double>(On(day, today)->on_hand);
    }
    return sum / days;
  }

 private:
  Totals Current() const {
    Totals t;
    for (const std::string& sku : ranged_) {
      int64_t n = on_hand_.count(sku) ? on_hand_.at(sku) : 0;
      t.ranged++, t.in_stock += n > 0, t.on_hand += std::max<int64_t>(n, 0);
    }
    return t;
  }
  std::map<std::string, int64_t> on_hand_;
  std::set<std::string> ranged_;
  std::map<date::local_days, Totals> booked_;
};

// The stock KPIs of a row from its stores' summed components (never a mean of ratios).
nlohmann::json StockExpected(int64_t ranged, int64_t in_stock, double average_on_hand,
                             int64_t units_sold) {
  return {{"availability", Sums::Div(in_stock, ranged)},
          {"out_of_stock_skus", ranged - in_stock},
          {"stock_turnover", Sums::Div(units_sold, average_on_hand)}};
}

// The figures a row over several local days or several stores estimates from sketches
// (docs/KPIS.md, "Identified customers"), and their stated bound: within 3 standard errors.
const std::set<std::string> kApproximate = {"customers", "recruitment_rate", "purchase_frequency",
                                            "clv"};
constexpr double kBound = 3 * common::HyperLogLog::kStandardError;

// An estimate of `exact` customers, or a figure divided by one, within the bound.
void ExpectWithinBound(const nlohmann::json& got, const nlohmann::json& exact,
                       const std::string& name, const std::string& what) {
  if (exact.is_null() || got.is_null()) {
    EXPECT_EQ(got, exact) << what;
    return;
  }
  const double v = exact.get<double>(), g = got.get<double>();
  // customers: |g − v| ≤ 3σ·v; a ratio n/customers: off by a factor within 1 / (1 ± 3σ).
  const double allowed = name == "customers" ? kBound * v : v * kBound / (1 - kBound);
  EXPECT_LE(std::abs(g - v), allowed + 1e-9 * std::max(1.0, std::abs(v)))
      << what << ": " << g << " for " << v;
}

// Every KPI of `expected` equals the row's (exact integers; doubles to 1e-9 relative) — but for the
// customer figures of a row that says it is `approximate`, which must be within the bound. Whether
// it says so must be `approximate`.
void ExpectRow(const nlohmann::json& row, const nlohmann::json& expected, const std::string& what,
               bool approximate) {
  EXPECT_EQ(row.contains("approximate"), approximate) << what << ": " << row.dump();
  if (approximate && row.contains("approximate")) {
    EXPECT_EQ(row["approximate"].get<std::set<std::string>>(), kApproximate) << what;
    // The ratios divide by the customers given.
    for (const auto& [name, numerator] :
         {std::pair<const char*, const char*>{"purchase_frequency", "identified_transactions"},
          {"clv", "identified_net_sales"}, {"recruitment_rate", "new_customers"}}) {
      if (row["customers"] == 0) continue;
      EXPECT_NEAR(row[name].get<double>(),
                  row[numerator].get<double>() / row["customers"].get<double>(), 1e-9)
          << what << " " << name;
    }
  }
  for (const auto& [name, value] : expected.items()) {
    const nlohmann::json& got = row[name];
    if (approximate && kApproximate.count(name)) {
      ExpectWithinBound(got, value, name, what + " " + name);
    } else if (value.is_null() || value.is_number_integer()) {
      EXPECT_EQ(got, value) << what << " " << name;
    } else {
      ASSERT_TRUE(got.is_number()) << what << " " << name << " = " << got;
      double v = value.get<double>();
      EXPECT_NEAR(got.get<double>(), v, 1e-9 * std::max(1.0, std::abs(v))) << what << " " << name;
    }
  }
}

// Each store's local today.
std::vector<date::local_days> Todays(const std::vector<StoreSpec>& specs) {
  std::vector<date::local_days> days;
  for (const auto& spec : specs) days.push_back(LocalDay(spec.timezone, NowMs()));
  return days;
}

// The oracle computes every KPI of the catalogue but sales_per_m2 (net sales over the stores
// file's areas: ReplicationTest checks it), so a KPI added to the catalogue fails here until the
// oracle computes it too.
// The plain computation's books: every event added to its store, store-day, region, network day
// and network sums, and each customer's first purchase at its store and in the network.
struct Book {
  std::map<std::string, Sums> by_store, by_region, by_day;  // by_day: network, local dates
  std::map<std::pair<std::string, std::string>, Sums> by_store_day;  // (store, local date)
  Sums network;
  std::map<std::string, std::pair<int64_t, size_t>> first_in_network;  // customer -> (ts, store)
  std::map<std::pair<std::string, std::string>, int64_t> first_in_store;  // (store, customer)

  void AddLabour(const StoreSpec& spec, const Event& e);
  // A day row's previous period is the local day before (retention_rate): its persons.
  void SetPreviousDays() {
    for (auto& [key, sums] : by_store_day) {
      auto before = by_store_day.find({key.first, DayBefore(key.second)});
      if (before != by_store_day.end()) sums.previous = before->second.customers;
    }
    for (auto& [date, sums] : by_day) {
      auto before = by_day.find(DayBefore(date));
      if (before != by_day.end()) sums.previous = before->second.customers;
    }
  }

  // `e` of store `specs[i]`.
  void Add(const std::vector<StoreSpec>& specs, size_t i, const Event& e) {
    if (e.type == EventType::kLabour) return AddLabour(specs[i], e);
    if (e.type == EventType::kSale && !e.customer.empty()) {
      auto [it, fresh] = first_in_network.try_emplace(e.customer, e.ts_ms, i);
      if (!fresh && e.ts_ms < it->second.first) it->second = {e.ts_ms, i};
      auto [own, first] = first_in_store.try_emplace({specs[i].store, e.customer}, e.ts_ms);
      if (!first) own->second = std::min(own->second, e.ts_ms);
    }
    by_store_day[{specs[i].store, LocalDate(specs[i].timezone, e.ts_ms)}].Add(e);
    by_store[specs[i].store].Add(e);
    by_region[specs[i].region].Add(e);
    by_day[LocalDate(specs[i].timezone, e.ts_ms)].Add(e);
    network.Add(e);
  }
};

// A labour interval goes to each local day by its share of the time, as docs/KPIS.md ("Staffing")
// defines it: the part [a, b) of an interval of P ms and T staff-seconds is floor(T·b/P) −
// floor(T·a/P), here with a and b the day's own midnights (found with the date library, not
// with the 15-minute buckets the daemons use).
void Book::AddLabour(const StoreSpec& spec, const Event& e) {
  const int64_t total = e.staff ? *e.staff * e.period_s : *e.hours_s;
  const int64_t length = e.period_s * 1000;
  auto floor_share = [&](int64_t part) { return total * part / length; };  // < 2^63 here
  for (date::local_days day = LocalDay(spec.timezone, e.ts_ms);; day += date::days(1)) {
    auto midnight = [&](date::local_days d) {
      return date::make_zoned(spec.timezone, d, date::choose::earliest)
          .get_sys_time()
          .time_since_epoch()
          .count();
    };
    const int64_t a = std::clamp<int64_t>(midnight(day) * 1000 - e.ts_ms, 0, length);
    const int64_t b =
        std::clamp<int64_t>(midnight(day + date::days(1)) * 1000 - e.ts_ms, 0, length);
    const int64_t share = floor_share(b) - floor_share(a);
    const std::string date = date::format("%F", day);
    if (share != 0)
      by_store_day[{spec.store, date}].AddLabour(share), by_day[date].AddLabour(share);
    if (b == length) break;
  }
  by_store[spec.store].AddLabour(total);
  by_region[spec.region].AddLabour(total);
  network.AddLabour(total);
}

// Orders as lifecycles (docs/KPIS.md, "Orders"), from the raw events of each order: its kind is
// its first event's by (ts, id), its promise the first one's that carries one, it is fulfilled at
// its earliest `ready` (click & collect, reserve) or `delivered` (ship-from-store) and judged
// there once, on that event's local day, timed from its earliest `created` when that is not later.
void SettleOrders(const std::vector<StoreSpec>& specs, size_t i, const std::vector<Event>& events,
                  Book* book) {
  std::map<std::string, std::vector<const Event*>> orders;
  for (const Event& e : events) {
    if (e.type == EventType::kOrder) orders[e.order].push_back(&e);
  }
  for (auto& [id, list] : orders) {
    std::sort(list.begin(), list.end(), [](const Event* a, const Event* b) {
      return a->ts_ms != b->ts_ms ? a->ts_ms < b->ts_ms : a->id < b->id;
    });
    const bool sfs = list.front()->order_kind == common::OrderKind::kShipFromStore;
    std::optional<int64_t> promised, created, fulfilled;
    for (const Event* e : list) {
      if (!promised && e->promised_ms) promised = e->promised_ms;
      if (!created && e->status == common::OrderStatus::kCreated) created = e->ts_ms;
      if (!fulfilled &&
          e->status == (sfs ? common::OrderStatus::kDelivered : common::OrderStatus::kReady)) {
        fulfilled = e->ts_ms;
      }
    }
    if (!fulfilled) continue;
    const std::string date = LocalDate(specs[i].timezone, *fulfilled);
    for (Sums* sums : {&book->by_store_day[{specs[i].store, date}], &book->by_store[specs[i].store],
                       &book->by_region[specs[i].region], &book->by_day[date], &book->network}) {
      if (promised) {
        sums->promised++;
        if (*fulfilled <= *promised)
          sums->kept++;
        else
          sums->late_ms += *fulfilled - *promised;
      }
      if (created && *created <= *fulfilled) {
        (sfs ? sums->delivered_n : sums->ready_n)++;
        (sfs ? sums->delivery_ms : sums->ready_ms) += *fulfilled - *created;
      }
    }
  }
}

// What the oracle tests ask: each edge's total and days, and central's network by total, store,
// region and day; `same_day` is false when a store's local midnight passed while asking.
// The local days a by=day answer must list — those with a sale, a return, footfall or feedback,
// each of which makes a row — and may list: a day with only stock moves or orders has a row or not
// as those count. Four days back from now, a test run just after a store's local midnight has such
// a day at either end (CI, 23:40 in Sydney: 2026-12-01 held one order and one stock move).
void ExpectDaysListed(const nlohmann::json& rows,
                      const std::map<std::string, const Sums*>& events_by_date,
                      const std::string& what) {
  std::set<std::string> listed;
  for (const auto& row : rows) listed.insert(row["key"].get<std::string>());
  std::string events;
  for (const auto& [date, sums] : events_by_date) {
    events += date + " (";
    for (const auto& [type, n] : sums->types) events += type + " " + std::to_string(n) + " ";
    events += ") ";
  }
  for (const auto& [date, sums] : events_by_date) {
    bool makes_a_row = false;
    for (const char* type : {"sale", "return", "footfall", "feedback", "labour"}) {
      makes_a_row = makes_a_row || sums->types.count(type) > 0;
    }
    if (makes_a_row) {
      EXPECT_EQ(listed.count(date), 1u) << what << " lacks " << date << "; " << events;
    }
  }
  for (const std::string& date : listed) {
    EXPECT_EQ(events_by_date.count(date), 1u) << what << " lists " << date << "; " << events;
  }
}

struct Answers {
  bool same_day = true;
  std::vector<date::local_days> today;  // each store's local today when asked
  std::vector<nlohmann::json> edge_rows, edge_days;
  nlohmann::json total, stores, regions, days;
};

Answers Ask(Chain& chain, const std::vector<StoreSpec>& specs) {
  Answers a;
  a.today = Todays(specs);
  for (size_t i = 0; i < specs.size(); ++i) {
    a.edge_rows.push_back(chain.EdgeKpis(i)[0]);
    a.edge_days.push_back(chain.EdgeKpis(i, "day"));
  }
  a.total = chain.CentralKpis("network")[0];
  a.stores = chain.CentralKpis("network", "store");
  a.regions = chain.CentralKpis("network", "region");
  a.days = chain.CentralKpis("network", "day");
  a.same_day = Todays(specs) == a.today;
  return a;
}

TEST(KpiOracleTest, ComputesEveryCataloguedKpi) {
  std::set<std::string> computed = {"sales_per_m2"};
  nlohmann::json expected = Sums().Expected();
  expected.update(StockExpected(0, 0, 0, 0));
  for (const auto& [name, value] : expected.items()) computed.insert(name);
  std::set<std::string> catalogued;
  for (const common::KpiInfo& info : common::kKpiCatalogue) catalogued.emplace(info.name);
  EXPECT_EQ(computed, catalogued);
}

// Twice: central's log in central.db, and in PostgreSQL (central answers from its read model).
class KpiOracleOnEitherLog : public testing::TestWithParam<Backend> {};
INSTANTIATE_TEST_SUITE_P(Backends, KpiOracleOnEitherLog, kBothBackends, BackendName);

TEST_P(KpiOracleOnEitherLog, EveryKpiMatchesAPlainComputationAtEdgesAndCentral) {
  std::vector<StoreSpec> specs = {{"PAR1", "europe", "Europe/Paris"},
                                  {"LYS1", "europe", "Europe/Paris"},
                                  {"NYC1", "americas", "America/New_York"},
                                  {"BOM1", "asia", "Asia/Kolkata"},
                                  {"SYD1", "asia", "Australia/Sydney"}};
  Chain chain(specs, {}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  std::mt19937 shuffle(2026);
  Book book;
  auto& [by_store, by_region, by_day, by_store_day, network, first_in_network, first_in_store] =
      book;
  std::vector<StockReplay> stock(specs.size());
  std::vector<EmployeeBook> employees(specs.size());
  EmployeeBook network_employees;
  std::vector<SkuDefects> skus(specs.size());
  SkuDefects network_skus;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto events = RandomStore(specs[i].store, 100 + i).Generate(700);
    for (const Event& e : events) {
      book.Add(specs, i, e);
      employees[i].Add(e), network_employees.Add(e), skus[i].Add(e), network_skus.Add(e);
    }
    SettleOrders(specs, i, events, &book);
    // Sent in random order, in uneven batches, a fifth of them twice; stock moves in the order
    // the edge first receives each event.
    std::vector<Event> sent = events;
    sent.insert(sent.end(), events.begin(), events.begin() + events.size() / 5);
    std::shuffle(sent.begin(), sent.end(), shuffle);
    std::set<std::string> arrived;
    for (const Event& e : sent) {
      if (arrived.insert(e.id).second) stock[i].Apply(e, LocalDay(specs[i].timezone, e.ts_ms));
    }
    for (size_t at = 0; at < sent.size();) {
      size_t n = std::min<size_t>(sent.size() - at, 1 + shuffle() % 150);
      auto reply = PostBody(chain.edge(i).http_port(), "/api/v1/events",
                            common::EncodeJsonLines({sent.begin() + at, sent.begin() + at + n}));
      ASSERT_TRUE(reply && reply->status == 200 && reply->body["rejected"].empty())
          << (reply ? reply->body.dump() : "no reply");
      at += n;
    }
  }
  // Orders judged and timed both ways, so that the order figures compared are not all null.
  ASSERT_GT(network.promised, network.kept);
  ASSERT_GT(network.ready_n, 0);
  ASSERT_GT(network.delivered_n, 0);
  for (size_t i = 0; i < specs.size(); ++i) ASSERT_EQ(chain.WaitCaughtUp(i), 700);
  book.SetPreviousDays();
  const Answers answers = Ask(chain, specs);
  if (!answers.same_day) GTEST_SKIP() << "a store's local midnight passed during the queries";
  const auto& [same_day, today, edge_rows, edge_days, total, stores, regions, days] = answers;

  // A row over whole stores: their stock at the end of the period (today) and their averages.
  auto expect_row = [&](const nlohmann::json& row, const Sums& sums, auto in_row,
                        const std::string& what) {
    int64_t ranged = 0, in_stock = 0;
    double average_on_hand = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
      if (!in_row(specs[i])) continue;
      if (auto end = stock[i].On(today[i], today[i])) ranged += end->ranged, in_stock += end->in_stock;
      average_on_hand += stock[i].AverageOnHand(today[i]);
    }
    nlohmann::json expected = sums.Expected();
    expected.update(StockExpected(ranged, in_stock, average_on_hand, sums.units));
    ExpectRow(row, expected, what, /*approximate=*/true);  // several days (or stores)
  };
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string& store = specs[i].store;
    expect_row(edge_rows[i], by_store[store], [&](const StoreSpec& s) { return s.store == store; },
               "edge " + store);
  }
  expect_row(total, network, [](const StoreSpec&) { return true; }, "network total");
  for (const auto& row : stores) {
    const std::string store = row["key"];
    expect_row(row, by_store[store], [&](const StoreSpec& s) { return s.store == store; },
               "store " + store);
  }
  for (const auto& row : regions) {
    const std::string region = row["key"];
    expect_row(row, by_region[region], [&](const StoreSpec& s) { return s.region == region; },
               "region " + region);
  }

  // Each edge by day (its whole local days: the customers come from the day counts): new at the
  // store, stock as the store stood that day.
  for (auto& [key, sums] : by_store_day) sums.new_customers = 0;
  for (const auto& [key, ts] : first_in_store) {
    const auto& spec = *std::find_if(specs.begin(), specs.end(),
                                     [&](const StoreSpec& s) { return s.store == key.first; });
    by_store_day[{key.first, LocalDate(spec.timezone, ts)}].new_customers++;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    std::map<std::string, const Sums*> dates;
    for (const auto& [key, sums] : by_store_day) {
      if (key.first == specs[i].store) dates[key.second] = &sums;
    }
    ExpectDaysListed(edge_days[i], dates, "edge " + specs[i].store);
    for (const auto& row : edge_days[i]) {
      const std::string date = row["key"];
      const Sums& sums = by_store_day[{specs[i].store, date}];
      auto value = stock[i].On(ParseDate(date), today[i]);
      nlohmann::json expected = sums.Expected();
      expected.update(value ? StockExpected(value->ranged, value->in_stock, value->on_hand,
                                            sums.units)
                            : StockExpected(0, 0, 0, sums.units));
      ExpectRow(row, expected, "edge " + specs[i].store + " day " + date, false);
    }
  }

  // Days: each store's own local day; a store counts on the days up to its today, with the value
  // it had on that day.
  for (auto& [day, sums] : by_day) sums.new_customers = 0;
  for (const auto& [customer, first] : first_in_network) {
    by_day[LocalDate(specs[first.second].timezone, first.first)].new_customers++;
  }
  std::map<std::string, const Sums*> network_dates;
  for (const auto& [date, sums] : by_day) network_dates[date] = &sums;
  ExpectDaysListed(days, network_dates, "central network");
  for (const auto& row : days) {
    const std::string date = row["key"];
    const date::local_days day = ParseDate(date);
    int64_t ranged = 0, in_stock = 0, on_hand = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
      if (day > today[i]) continue;
      if (auto value = stock[i].On(day, today[i])) {
        ranged += value->ranged, in_stock += value->in_stock, on_hand += value->on_hand;
      }
    }
    nlohmann::json expected = by_day[date].Expected();
    expected.update(StockExpected(ranged, in_stock, on_hand, by_day[date].units));
    ExpectRow(row, expected, "day " + date, /*approximate=*/true);  // five stores
  }

  // Shared credit: by=employee at each edge, at central for each store and the network; the
  // employees' rows add up to the total, cents exactly and transactions to the millionth.
  const auto expect_employees = [&](const nlohmann::json& rows, const EmployeeBook& credited,
                                    const nlohmann::json& total, const std::string& what) {
    ASSERT_EQ(rows.size(), credited.by_employee.size()) << what << ": " << rows.dump();
    int64_t gross = 0, millionths = 0;
    for (const auto& row : rows) {
      const std::string key = row["key"];
      ASSERT_EQ(credited.by_employee.count(key), 1u) << what << " lists " << key;
      ExpectRow(row, credited.by_employee.at(key).Expected(), what + " employee " + key, false);
      gross += row["gross_sales"].get<int64_t>();
      millionths += std::llround(row["transactions"].get<double>() * 1e6);
    }
    EXPECT_EQ(gross, total["gross_sales"].get<int64_t>()) << what;
    EXPECT_EQ(millionths, total["transactions"].get<int64_t>() * 1'000'000) << what;
  };
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string& store = specs[i].store;
    expect_employees(chain.EdgeKpis(i, "employee"), employees[i], edge_rows[i], "edge " + store);
    expect_employees(chain.CentralKpis("store:" + store, "employee"), employees[i], edge_rows[i],
                     "central store " + store);
  }
  expect_employees(chain.CentralKpis("network", "employee"), network_employees, total,
                   "central network");

  // Defect returns by SKU (by=category waits for a product catalogue): each edge and the network.
  const auto expect_skus = [&](const nlohmann::json& rows, const SkuDefects& defects,
                               const std::string& what) {
    ASSERT_FALSE(rows.empty()) << what;
    for (const auto& row : rows) {
      const std::string sku = row["key"];
      ExpectRow(row, {{"defect_return_rate", defects.Expected(sku)}}, what + " sku " + sku, false);
    }
  };
  for (size_t i = 0; i < specs.size(); ++i) {
    expect_skus(chain.EdgeKpis(i, "sku"), skus[i], "edge " + specs[i].store);
  }
  expect_skus(chain.CentralKpis("network", "sku"), network_skus, "central network");
}

// A history long enough for the sketches to be in play: three stores over 40 days, 6,000
// identified sales each from overlapping pools of customers — about 4,400 distinct customers a
// store and 9,900 in the network, so every row over several days or stores unions sketches that
// are dense (2^14 registers), while each store-day stays sparse. Every customer figure of those
// rows must be within 3 standard errors of the exact one, and every other KPI equal.
TEST(KpiOracleTest, EstimatedCustomerFiguresStayWithinTheirBoundOverFortyDays) {
  std::vector<StoreSpec> specs = {{"PAR1", "europe", "Europe/Paris"},
                                  {"LYS1", "europe", "Europe/Paris"},
                                  {"BOM1", "asia", "Asia/Kolkata"}};
  Chain chain(specs);
  ASSERT_TRUE(chain.StartAll());
  std::mt19937_64 random(42);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  Book book;
  auto& [by_store, by_region, by_day, by_store_day, network, first_in_network, first_in_store] =
      book;
  const int64_t now = NowMs();
  for (size_t i = 0; i < specs.size(); ++i) {
    std::vector<Event> events(6000);
    for (size_t n = 0; n < events.size(); ++n) {
      Event& e = events[n];
      e.id = specs[i].store + "-" + std::to_string(n);
      e.type = EventType::kSale;
      e.txn = "t" + std::to_string(n);
      e.ts_ms = now - pick(0, 40LL * 24 * 3600 * 1000);
      e.channel = static_cast<common::Channel>(pick(0, 4));
      e.customer = "k" + std::to_string(3000 * i + pick(0, 8999));
      e.lines = {{"SKU" + std::to_string(pick(1, 50)), pick(1, 3), pick(100, 5000), 0}};
      book.Add(specs, i, e);
    }
    for (size_t at = 0; at < events.size(); at += 1000) {
      auto reply = PostBody(chain.edge(i).http_port(), "/api/v1/events",
                            common::EncodeJsonLines({events.begin() + at,
                                                     events.begin() + at + 1000}));
      ASSERT_TRUE(reply && reply->status == 200 && reply->body["rejected"].empty())
          << (reply ? reply->body.dump().substr(0, 300) : "no reply");
    }
  }
  for (size_t i = 0; i < specs.size(); ++i) ASSERT_EQ(chain.WaitCaughtUp(i), 6000);
  book.SetPreviousDays();
  // The sketches hold what the views folded: pending customers are counted from the exact sets.
  ASSERT_TRUE(chain.WaitViewsFolded());
  const Answers answers = Ask(chain, specs);
  if (!answers.same_day) GTEST_SKIP() << "a store's local midnight passed during the queries";
  const auto& [same_day, today, edge_rows, edge_days, total, stores, regions, days] = answers;

  for (const auto& [store, sums] : by_store) ASSERT_GT(sums.customers.size(), 4200u) << store;
  ExpectRow(total, network.Expected(), "network total", true);
  for (size_t i = 0; i < specs.size(); ++i) {
    ExpectRow(edge_rows[i], by_store[specs[i].store].Expected(), "edge " + specs[i].store, true);
  }
  ASSERT_EQ(stores.size(), specs.size());
  for (const auto& row : stores) ExpectRow(row, by_store[row["key"]].Expected(), "store", true);
  ASSERT_EQ(regions.size(), 2u);
  for (const auto& row : regions) ExpectRow(row, by_region[row["key"]].Expected(), "region", true);
  // Days: one store's day is exact at its edge; a network day (three stores) is estimated.
  for (auto& [key, sums] : by_store_day) sums.new_customers = 0;
  for (const auto& [key, ts] : first_in_store) {
    const auto& spec = *std::find_if(specs.begin(), specs.end(),
                                     [&](const StoreSpec& s) { return s.store == key.first; });
    by_store_day[{key.first, LocalDate(spec.timezone, ts)}].new_customers++;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    for (const auto& row : edge_days[i]) {
      ExpectRow(row, by_store_day[{specs[i].store, row["key"]}].Expected(),
                "edge " + specs[i].store + " day " + row["key"].get<std::string>(), false);
    }
  }
  for (auto& [day, sums] : by_day) sums.new_customers = 0;
  for (const auto& [customer, first] : first_in_network) {
    by_day[LocalDate(specs[first.second].timezone, first.first)].new_customers++;
  }
  ASSERT_EQ(days.size(), by_day.size());
  for (const auto& row : days) {
    ExpectRow(row, by_day[row["key"]].Expected(), "day " + row["key"].get<std::string>(), true);
  }
}

// Who is whom, computed here apart from the code under test: the ids joined by links, directly
// or through others; a person is named by its smallest id.
struct Identities {
  std::map<std::string, std::set<std::string>> adjacent;
  void Link(const std::string& a, const std::string& b) {
    adjacent[a].insert(b);
    adjacent[b].insert(a);
  }
  std::string Person(const std::string& id) const {
    std::set<std::string> seen = {id};
    std::vector<std::string> todo = {id};
    while (!todo.empty()) {
      const std::string at = todo.back();
      todo.pop_back();
      auto it = adjacent.find(at);
      if (it == adjacent.end()) continue;
      for (const std::string& next : it->second) {
        if (seen.insert(next).second) todo.push_back(next);
      }
    }
    return *seen.begin();
  }
};

// Issue 15: 60 persons known by up to three ids each (a card, an e-mail, an app id), buying in
// three stores on every channel; links between their ids recorded at random stores — a chain may
// run through two stores. Sent in random order (links often after the sales they join), in uneven
// batches, a fifth twice. Each edge, and central for each store, counts with the store's own
// links; central's network, regions and days with every store's. Every KPI must equal the plain
// computation, before and after the view pass folds the events.
TEST(KpiOracleTest, CustomerFiguresCountPersonsThroughLinksWhateverTheArrivalOrder) {
  std::vector<StoreSpec> specs = {{"PAR1", "europe", "Europe/Paris"},
                                  {"LYS1", "europe", "Europe/Paris"},
                                  {"NYC1", "americas", "America/New_York"}};
  Chain chain(specs);
  ASSERT_TRUE(chain.StartAll());
  std::mt19937_64 random(15);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  const int64_t now = NowMs();
  std::vector<std::vector<Event>> events(specs.size());
  std::vector<Identities> own(specs.size());
  Identities network;
  auto link = [&](size_t store, const std::string& a, const std::string& b) {
    Event e;
    e.id = specs[store].store + "-link-" + std::to_string(events[store].size());
    e.type = EventType::kCustomerLink;
    e.ts_ms = now - pick(0, 4LL * 24 * 3600 * 1000);
    e.customer = a, e.alias = b;
    events[store].push_back(e);
    own[store].Link(a, b);
    network.Link(a, b);
  };
  const auto id = [](const char* kind, int64_t k) { return kind + std::to_string(k); };
  for (int64_t k = 0; k < 60; ++k) {
    if (pick(0, 9) < 7) link(pick(0, 2), id("card-", k), id("mail-", k));
    if (pick(0, 9) < 7) link(pick(0, 2), id("mail-", k), id("app-", k));
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    ASSERT_FALSE(own[i].adjacent.empty()) << specs[i].store << " has no link";
    for (int n = 0; n < 300; ++n) {
      Event e;
      e.id = specs[i].store + "-" + std::to_string(n);
      e.type = EventType::kSale;
      e.txn = "t" + std::to_string(n);
      e.ts_ms = now - pick(0, 4LL * 24 * 3600 * 1000);
      e.channel = static_cast<common::Channel>(pick(0, 4));
      const char* kinds[] = {"card-", "mail-", "app-"};
      e.customer = pick(0, 9) == 0 ? "" : id(kinds[pick(0, 2)], pick(0, 59));
      e.lines = {{"SKU" + std::to_string(pick(1, 20)), pick(1, 3), pick(100, 5000), 0}};
      events[i].push_back(e);
    }
  }

  // The books: each store with its own links; the network, its regions and days with all.
  struct First {
    int64_t ts;
    size_t store;
  };
  std::vector<Sums> store_total(specs.size());
  std::vector<std::map<std::string, Sums>> store_days(specs.size());
  std::vector<std::map<std::string, int64_t>> first_at_store(specs.size());  // person -> ts
  std::map<std::string, Sums> region_total, network_days;
  std::map<std::string, First> first_in_network;
  Sums network_total;
  const auto with = [](const Identities& who) {
    Sums sums;
    sums.person = [&who](const std::string& id) { return who.Person(id); };
    return sums;
  };
  network_total = with(network);
  for (size_t i = 0; i < specs.size(); ++i) {
    store_total[i] = with(own[i]);
    region_total.try_emplace(specs[i].region, with(network));
    for (const Event& e : events[i]) {
      const std::string date = LocalDate(specs[i].timezone, e.ts_ms);
      store_days[i].try_emplace(date, with(own[i])).first->second.Add(e);
      network_days.try_emplace(date, with(network)).first->second.Add(e);
      store_total[i].Add(e);
      region_total.at(specs[i].region).Add(e);
      network_total.Add(e);
      if (e.type != EventType::kSale || e.customer.empty()) continue;
      auto [at_store, fresh] = first_at_store[i].try_emplace(own[i].Person(e.customer), e.ts_ms);
      if (!fresh) at_store->second = std::min(at_store->second, e.ts_ms);
      auto [in_network, first] =
          first_in_network.try_emplace(network.Person(e.customer), First{e.ts_ms, i});
      if (!first && e.ts_ms < in_network->second.ts) in_network->second = {e.ts_ms, i};
    }
    for (auto& [date, sums] : store_days[i]) {
      sums.new_customers = 0;
      auto before = store_days[i].find(DayBefore(date));
      if (before != store_days[i].end()) sums.previous = before->second.customers;
    }
    for (const auto& [who, ts] : first_at_store[i]) {
      store_days[i].at(LocalDate(specs[i].timezone, ts)).new_customers++;
    }
  }
  for (auto& [date, sums] : network_days) {
    sums.new_customers = 0;
    auto before = network_days.find(DayBefore(date));
    if (before != network_days.end()) sums.previous = before->second.customers;
  }
  for (const auto& [who, first] : first_in_network) {
    network_days.at(LocalDate(specs[first.store].timezone, first.ts)).new_customers++;
  }
  const auto expected = [](const Sums& sums) {
    nlohmann::json row = sums.Expected();
    row.update(StockExpected(0, 0, 0, sums.units));  // no stock event
    return row;
  };

  std::mt19937 shuffle(15);
  for (size_t i = 0; i < specs.size(); ++i) {
    std::vector<Event> sent = events[i];
    sent.insert(sent.end(), events[i].begin(), events[i].begin() + events[i].size() / 5);
    std::shuffle(sent.begin(), sent.end(), shuffle);
    for (size_t at = 0; at < sent.size();) {
      size_t n = std::min<size_t>(sent.size() - at, 1 + shuffle() % 120);
      auto reply = PostBody(chain.edge(i).http_port(), "/api/v1/events",
                            common::EncodeJsonLines({sent.begin() + at, sent.begin() + at + n}));
      ASSERT_TRUE(reply && reply->status == 200 && reply->body["rejected"].empty())
          << (reply ? reply->body.dump() : "no reply");
      at += n;
    }
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    ASSERT_EQ(chain.WaitCaughtUp(i), static_cast<int64_t>(events[i].size()));
  }
  for (const bool folded : {false, true}) {
    if (folded) {
      ASSERT_TRUE(chain.WaitViewsFolded());
    }
    const std::string when = folded ? " (folded)" : " (as caught up)";
    const Answers answers = Ask(chain, specs);
    if (!answers.same_day) GTEST_SKIP() << "a store's local midnight passed during the queries";
    // Links make every figure exact: no row is marked approximate.
    ExpectRow(answers.total, expected(network_total), "network total" + when, false);
    for (size_t i = 0; i < specs.size(); ++i) {
      const std::string& store = specs[i].store;
      ExpectRow(answers.edge_rows[i], expected(store_total[i]), "edge " + store + when, false);
      // The store's own figures are the same at central as at its edge (but the sales area,
      // which only central knows).
      nlohmann::json at_central = chain.CentralKpis("store:" + store)[0];
      at_central["sales_per_m2"] = nullptr;
      EXPECT_EQ(at_central, answers.edge_rows[i]) << store << when;
      std::map<std::string, const Sums*> dates;
      for (const auto& [date, sums] : store_days[i]) dates[date] = &sums;
      ExpectDaysListed(answers.edge_days[i], dates, "edge " + store + when);
      for (const auto& row : answers.edge_days[i]) {
        ExpectRow(row, expected(store_days[i].at(row["key"])),
                  "edge " + store + " day " + row["key"].get<std::string>() + when, false);
      }
    }
    ASSERT_EQ(answers.stores.size(), specs.size());
    for (const auto& row : answers.stores) {
      const size_t i = std::find_if(specs.begin(), specs.end(),
                                    [&](const StoreSpec& s) { return s.store == row["key"]; }) -
                       specs.begin();
      ExpectRow(row, expected(store_total[i]), "store " + row["key"].get<std::string>() + when,
                false);
    }
    ASSERT_EQ(answers.regions.size(), region_total.size());
    for (const auto& row : answers.regions) {
      ExpectRow(row, expected(region_total.at(row["key"])),
                "region " + row["key"].get<std::string>() + when, false);
    }
    std::map<std::string, const Sums*> dates;
    for (const auto& [date, sums] : network_days) dates[date] = &sums;
    ExpectDaysListed(answers.days, dates, "central network" + when);
    for (const auto& row : answers.days) {
      ExpectRow(row, expected(network_days.at(row["key"])),
                "day " + row["key"].get<std::string>() + when, false);
    }
  }
  // The links matter: counted by id, the network would have more customers than persons.
  std::set<std::string> ids;
  for (const auto& store : events) {
    for (const Event& e : store) {
      if (e.type == EventType::kSale && !e.customer.empty()) ids.insert(e.customer);
    }
  }
  EXPECT_LT(network_total.customers.size() + 30, ids.size());
}

}  // namespace
}  // namespace storepulse::test_support
