// The oracle's shared credit and defect returns (docs/KPIS.md, "Shared credit", "Defect
// returns"), computed from the events alone with a largest-remainder split written here: each
// employee's money in cents and counts in millionths, and each SKU's defective units. Plain
// values; used by tests/integration/kpi_oracle_test.cc.
#pragma once

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "common/event.h"

namespace storepulse::test_support {

// `amount` split by `weights`: floors, then one more to the largest remainders, earlier first.
inline std::vector<int64_t> OracleSplit(int64_t amount, const std::vector<int64_t>& weights) {
  __int128 total = 0;
  for (int64_t w : weights) total += w;
  std::vector<int64_t> parts;
  std::vector<std::pair<__int128, size_t>> remainders;  // (−remainder, index): sorts largest first
  int64_t left = amount;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 exact = static_cast<__int128>(amount) * weights[i];
    parts.push_back(static_cast<int64_t>(exact / total));
    remainders.push_back({-(exact % total), i});
    left -= parts.back();
  }
  std::sort(remainders.begin(), remainders.end());
  for (size_t k = 0; k < static_cast<size_t>(left); ++k) ++parts[remainders[k].second];
  return parts;
}

// One employee's figures: money in cents, counts in millionths.
struct EmployeeSums {
  int64_t gross = 0, returns_value = 0, txns = 0, units = 0, units_ret = 0, defective = 0;
  int64_t web_returns = 0, web_returns_value = 0, identified_txns = 0, identified_net = 0;

  nlohmann::json Expected() const {
    const auto div = [](double n, double d) {
      return d == 0 ? nlohmann::json(nullptr) : nlohmann::json(n / d);
    };
    const auto counted = [](int64_t millionths) { return nlohmann::json(millionths / 1e6); };
    return {{"gross_sales", gross},
            {"returns_value", returns_value},
            {"net_sales", gross - returns_value},
            {"transactions", counted(txns)},
            {"units_sold", counted(units)},
            {"units_returned", counted(units_ret)},
            {"aov", div(gross * 1e6, txns)},
            {"upt", div(units, txns)},
            {"return_rate", div(returns_value, gross)},
            {"return_rate_units", div(units_ret, units)},
            {"defect_return_rate", div(defective, units)},
            {"web_returns_in_store", counted(web_returns)},
            {"web_returns_in_store_value", web_returns_value},
            {"identified_transactions", counted(identified_txns)},
            {"identified_net_sales", identified_net}};
  }
};

// Every employee's figures of a set of events: a sale with credits split by share, any other
// sale and every return whole to its `employee` ("(unattributed)" when empty).
struct EmployeeBook {
  std::map<std::string, EmployeeSums> by_employee;

  void Add(const common::Event& e) {
    if (e.type != common::EventType::kSale && e.type != common::EventType::kReturn) return;
    int64_t value = 0, qty = 0;
    for (const auto& l : e.lines) value += l.qty * l.unit_price - l.discount, qty += l.qty;
    std::vector<std::string> who;
    std::vector<int64_t> weights;
    if (e.type == common::EventType::kSale && !e.credits.empty()) {
      for (const auto& c : e.credits) who.push_back(c.employee), weights.push_back(c.share_ppm);
    } else {
      who.push_back(e.employee.empty() ? "(unattributed)" : e.employee), weights.push_back(1);
    }
    const bool identified = !e.customer.empty();
    const auto add = [&](int64_t amount, int64_t EmployeeSums::*field) {
      const std::vector<int64_t> parts = OracleSplit(amount, weights);
      for (size_t i = 0; i < who.size(); ++i) by_employee[who[i]].*field += parts[i];
    };
    if (e.type == common::EventType::kSale) {
      add(value, &EmployeeSums::gross);
      add(1'000'000, &EmployeeSums::txns);
      add(qty * 1'000'000, &EmployeeSums::units);
      if (identified) add(1'000'000, &EmployeeSums::identified_txns);
      if (identified) add(value, &EmployeeSums::identified_net);
      return;
    }
    EmployeeSums& s = by_employee[who[0]];
    s.returns_value += value, s.units_ret += qty * 1'000'000;
    if (e.reason == "defective") s.defective += qty * 1'000'000;
    if (e.original_channel == common::Channel::kWeb) {
      s.web_returns += 1'000'000, s.web_returns_value += value;
    }
    if (identified) s.identified_net -= value;
  }
};

// Each SKU's units sold and defective units returned.
struct SkuDefects {
  std::map<std::string, std::pair<int64_t, int64_t>> by_sku;  // sku -> (sold, defective)

  void Add(const common::Event& e) {
    for (const auto& l : e.lines) {
      if (e.type == common::EventType::kSale) by_sku[l.sku].first += l.qty;
      if (e.type == common::EventType::kReturn && e.reason == "defective") {
        by_sku[l.sku].second += l.qty;
      }
    }
  }
  nlohmann::json Expected(const std::string& sku) const {
    const auto it = by_sku.find(sku);
    if (it == by_sku.end() || it->second.first == 0) return nullptr;
    return static_cast<double>(it->second.second) / static_cast<double>(it->second.first);
  }
};

}  // namespace storepulse::test_support
