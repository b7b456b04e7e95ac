#include "common/kpi/scope_covers.h"

#include <algorithm>
#include <set>

namespace storepulse::common {

namespace {

struct Member {
  std::string scope, store;
  int64_t first_day, last_day;
};

bool IsWideScope(const std::string& scope) {
  return scope == kNetworkScope || scope.rfind("region:", 0) == 0;
}

// Whether `scope`'s views on days [first_day, end_day) hold the sales of `stores` and of no other
// store: no other store is a member then, and no store of the group was then a member of another
// scope of the kind (another region).
bool Covers(const std::vector<Member>& members, const ScopeCover& cover) {
  std::set<std::string> group;
  for (const StorePeriod* p : cover.stores) group.insert(p->source->store);
  for (const Member& m : members) {
    if (m.last_day < cover.first_day || m.first_day >= cover.end_day) continue;
    if ((m.scope == cover.scope) != (group.count(m.store) > 0)) return false;
  }
  return true;
}

}  // namespace

bool ScopeCover::Exact() const {
  return std::all_of(stores.begin(), stores.end(), [&](const StorePeriod* p) {
    return p->Aligned() && p->first_day == first_day && p->end_day == end_day;
  });
}

StatusOr<std::vector<ScopeCover>> PlanScopeCovers(GroupBy by, const std::string& scope,
                                                  const std::vector<StorePeriod>& periods,
                                                  ScopeFirstsReader* reader) {
  std::vector<ScopeCover> covers;
  if (reader == nullptr) return covers;
  std::map<std::string, ScopeCover> groups;
  for (const StorePeriod& p : periods) {
    if (by == GroupBy::kTotal || by == GroupBy::kDay) {
      groups[scope].stores.push_back(&p);
    } else if (by == GroupBy::kRegion) {
      groups[RegionScope(p.source->region)].stores.push_back(&p);
    }
  }
  std::map<std::string, std::vector<Member>> members;  // by prefix: "network" or "region:"
  for (auto& [name, group] : groups) {
    if (!IsWideScope(name) || group.stores.size() < 2) continue;
    group.scope = name;
    group.first_day = INT64_MIN;
    group.end_day = INT64_MAX;
    for (const StorePeriod* p : group.stores) {
      group.first_day = std::max(group.first_day, p->first_day);
      group.end_day = std::min(group.end_day, p->end_day);
    }
    if (group.first_day >= group.end_day) continue;
    const std::string prefix = name == kNetworkScope ? name : RegionScope("");
    if (!members.count(prefix)) {
      std::vector<Member>& read = members[prefix];
      RETURN_IF_ERROR(reader->ReadMembers(
          prefix,
          [&](const std::string& in, const std::string& store, int64_t first, int64_t last) {
            read.push_back({in, store, first, last});
          }));
    }
    if (Covers(members[prefix], group)) covers.push_back(std::move(group));
  }
  return covers;
}

}  // namespace storepulse::common
