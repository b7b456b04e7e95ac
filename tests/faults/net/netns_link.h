// Two Linux network namespaces of one test, "central" and "edge", joined by a veth pair with a
// private /30, and nftables rules in the edge's namespace that make the link bad (issue 13's
// network fault suite; docs/RELIABILITY.md). Needs root, iproute2 and nftables.
//
// The namespaces are named storepulse-nf-<pid>-<n>-{c,e} and the /30 is derived from the pid
// (10.0.0.0/8 holds 2^22 of them, pid_max's limit), so scenarios running at once in separate
// processes never share a name or a subnet. The destructor deletes both namespaces (their
// processes must be gone: they are killed by the test first); Create first deletes those of a
// test process that no longer exists (a test killed before its destructors ran).
//
// NetnsScope moves the calling thread into a namespace for its lifetime: processes forked and
// sockets made meanwhile belong there (a daemon started in it, an HTTP probe of its 127.0.0.1).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace storepulse::test_support {

class NetnsLink {
 public:
  // Unavailable (with the reason, for a skip) when namespaces cannot be made here.
  static common::StatusOr<std::unique_ptr<NetnsLink>> Create();
  ~NetnsLink();
  NetnsLink(const NetnsLink&) = delete;
  NetnsLink& operator=(const NetnsLink&) = delete;

  const std::string& central_ns() const { return central_ns_; }
  const std::string& edge_ns() const { return edge_ns_; }
  const std::string& central_ip() const { return central_ip_; }  // .1 of the /30
  const std::string& edge_ip() const { return edge_ip_; }        // .2

  // Replaces the edge namespace's rules with one table whose input and output chains apply
  // `rule` (an nft statement list, e.g. "drop" or "numgen random mod 100 < 30 drop") to every
  // packet crossing the veth, in both directions.
  common::Status SetFault(const std::string& rule);
  // Removes every rule: the link is good again.
  common::Status ClearFault();

 private:
  NetnsLink() = default;

  std::string central_ns_;
  std::string edge_ns_;
  std::string central_ip_;
  std::string edge_ip_;
  std::string rules_file_;
};

class NetnsScope {
 public:
  explicit NetnsScope(const std::string& ns);  // fails the test (ADD_FAILURE) if it cannot
  ~NetnsScope();                               // back to the thread's namespace before
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;

 private:
  int previous_ = -1;
};

}  // namespace storepulse::test_support
