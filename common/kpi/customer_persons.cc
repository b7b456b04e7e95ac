#include "common/kpi/customer_persons.h"

#include <algorithm>

namespace storepulse::common {

std::string Persons::Find(const std::string& id) {
  std::string root = parent_.try_emplace(id, id).first->second;
  while (root != parent_.at(root)) root = parent_.at(root);
  // Path compression: every id on the way points at the root.
  for (std::string at = id; at != root;) {
    std::string next = parent_.at(at);
    parent_.at(at) = root;
    at = std::move(next);
  }
  return root;
}

void Persons::Link(const std::string& a, const std::string& b) {
  if (a == b) return;
  std::string ra = Find(a), rb = Find(b);
  if (ra == rb) return;
  // The smaller id stays the root: the canonical id is the person's smallest.
  if (rb < ra) std::swap(ra, rb);
  parent_.at(rb) = ra;
}

void Persons::Finish() {
  members_.clear();
  std::vector<std::string> ids;
  ids.reserve(parent_.size());
  for (const auto& [id, parent] : parent_) ids.push_back(id);
  for (const std::string& id : ids) parent_.at(id) = Find(id);
  for (const auto& [id, root] : parent_) members_[root].push_back(id);
  for (auto& [root, members] : members_) std::sort(members.begin(), members.end());
}

const std::string& Persons::Resolve(const std::string& id) const {
  auto it = parent_.find(id);
  return it == parent_.end() ? id : it->second;
}

std::vector<std::string> Persons::Members(const std::string& id) const {
  auto it = members_.find(Resolve(id));
  if (it == members_.end()) return {id};
  return it->second;
}

}  // namespace storepulse::common
