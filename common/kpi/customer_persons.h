// Persons: the customer ids that customer_link events join into one person, links being
// transitive (a union-find over the links). A person is named by its canonical id, the smallest
// of its ids (byte order), so the name does not depend on the order the links arrive in. Built
// per query from the raw links (common/store/customer_identity.h): a link changes no stored figure.
// Plain value; one thread.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace storepulse::common {

class Persons {
 public:
  // Joins the persons of `a` and `b`.
  void Link(const std::string& a, const std::string& b);
  // Points every id at its canonical id and lists each person's ids. REQUIRES: after the last
  // Link and before Resolve/Members.
  void Finish();
  // The canonical id of `id`'s person: the smallest linked id, or `id` itself when unlinked.
  const std::string& Resolve(const std::string& id) const;
  // Every id of `id`'s person, canonical first; just `id` when unlinked.
  std::vector<std::string> Members(const std::string& id) const;
  // Whether `id` is linked to another id.
  bool Linked(const std::string& id) const { return parent_.contains(id); }
  bool empty() const { return parent_.empty(); }

 private:
  std::string Find(const std::string& id);
  // id -> parent (a root points to itself); after Finish, id -> canonical id.
  std::unordered_map<std::string, std::string> parent_;
  std::unordered_map<std::string, std::vector<std::string>> members_;  // canonical -> ids
};

}  // namespace storepulse::common
