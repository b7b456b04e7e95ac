// The persons the rows of one KPI answer count (issue 15): a row judged at a store counts with
// that store's own links, so a store's figures are the same at its edge and at central; a row
// judged at a region or the network counts with every store's links (central knows them all),
// so a card seen in store A and an e-mail seen in store B are one customer of the network.
// Internal to common/kpi; one query, one thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/kpi/customer_persons.h"
#include "common/kpi/kpi_query.h"

namespace storepulse::common {

// The scope at which a row judges "new" and whose links it uses: "store:S" for by=store rows,
// "region:R" for by=region rows, else the query's scope ("store" at the edge).
std::string FirstsScope(GroupBy by, const KpiRequest& request, const StoreSource& s);
// Whether rows of `s` are judged at the store (the edge, or a store scope at central).
bool JudgedAtStore(GroupBy by, const KpiRequest& request, const StoreSource& s);

class QueryPersons {
 public:
  // Reads the links the rows of `request` over `stores` use (views plus pending tail).
  static StatusOr<QueryPersons> Read(const KpiRequest& request,
                                     const std::vector<StoreSource>& stores);
  // The persons the rows of store `s` count.
  const Persons& For(const StoreSource& s) const;
  // Whether any row has a link to resolve (the figures then come from the exact sets).
  bool any() const { return any_; }

 private:
  std::map<const StoreSource*, Persons> own_;  // stores judged at the store; others: network_
  Persons network_;
  bool any_ = false;
};

}  // namespace storepulse::common
