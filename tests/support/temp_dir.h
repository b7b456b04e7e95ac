// A fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it when the
// TempDir is destroyed. Owned by one test.
#pragma once

#include <string>
#include <string_view>

namespace storepulse::test_support {

class TempDir {
 public:
  TempDir();   // aborts the test binary if no directory can be made
  ~TempDir();  // removes the tree; never throws
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name
  std::string File(std::string_view name) const;
  // Writes `content` to path()/name and returns that path.
  std::string Write(std::string_view name, std::string_view content) const;

 private:
  std::string path_;
};

}  // namespace storepulse::test_support
