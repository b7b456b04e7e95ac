#include "common/kpi/query_persons.h"

namespace storepulse::common {

std::string FirstsScope(GroupBy by, const KpiRequest& request, const StoreSource& s) {
  if (by == GroupBy::kStore) return StoreScope(s.store);
  if (by == GroupBy::kRegion) return RegionScope(s.region);
  return request.scope;
}

bool JudgedAtStore(GroupBy by, const KpiRequest& request, const StoreSource& s) {
  return s.scope_firsts == nullptr || FirstsScope(by, request, s).rfind("store", 0) == 0;
}

StatusOr<QueryPersons> QueryPersons::Read(const KpiRequest& request,
                                          const std::vector<StoreSource>& stores) {
  QueryPersons persons;
  bool network_read = false;
  for (const StoreSource& s : stores) {
    if (s.customers == nullptr) continue;
    if (JudgedAtStore(request.by, request, s)) {
      Persons& own = persons.own_[&s];
      RETURN_IF_ERROR(
          s.customers->ReadLinks([&](const std::string& customer, const std::string& alias) {
            own.Link(customer, alias);
          }));
      own.Finish();
      persons.any_ = persons.any_ || !own.empty();
      continue;
    }
    if (!network_read) {
      RETURN_IF_ERROR(s.scope_firsts->ReadAllLinks(
          [&](const std::string&, const std::string& customer, const std::string& alias) {
            persons.network_.Link(customer, alias);
          }));
      persons.network_.Finish();
      persons.any_ = persons.any_ || !persons.network_.empty();
      network_read = true;
    }
  }
  return persons;
}

const Persons& QueryPersons::For(const StoreSource& s) const {
  auto it = own_.find(&s);
  return it == own_.end() ? network_ : it->second;
}

}  // namespace storepulse::common
