// The .deb packages that cpack made for this build (the CTest fixture packaging_build_debs runs
// it into STOREPULSE_DEB_DIR): their files, control fields, conffiles and lintian's verdict.
// Skipped when there are no packages, e.g. when this binary runs outside ctest.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::packaging_test {
namespace {

namespace fs = std::filesystem;
using test_support::RunProcess;
using test_support::RunResult;
using test_support::TempDir;

const std::vector<std::string> kPackages = {"storepulse-cli", "storepulse-edge",
                                            "storepulse-central"};

// The path of `package`'s .deb of this version, or "" if cpack has not made it.
std::string DebPath(const std::string& package) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(STOREPULSE_DEB_DIR, ec)) {
    std::string name = entry.path().filename();
    if (name.rfind(package + "_" STOREPULSE_VERSION "_", 0) == 0 &&
        entry.path().extension() == ".deb") {
      return entry.path();
    }
  }
  return "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Source(const std::string& path) {
  return std::string(STOREPULSE_SOURCE_DIR) + "/" + path;
}

// Output of a command that must succeed.
std::string Output(const std::vector<std::string>& argv) {
  auto result = RunProcess(argv);
  if (!result.ok()) {
    ADD_FAILURE() << argv[0] << ": " << result.status().message();
    return "";
  }
  EXPECT_EQ(result->exit_status, 0) << argv[0] << ": " << result->err;
  return result->out;
}

class DebPackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& package : kPackages) {
      if (DebPath(package).empty()) {
        GTEST_SKIP() << "no " << package << "_" STOREPULSE_VERSION "_*.deb in " STOREPULSE_DEB_DIR
                     << ": run the tests with ctest (its fixture runs cpack)";
      }
    }
  }
};

TEST_F(DebPackageTest, EachPackageShipsItsFiles) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"storepulse-cli",
       {"./usr/bin/storepulse", "./usr/share/doc/storepulse-cli/copyright",
        "./usr/share/man/man1/storepulse.1.gz", "./usr/share/doc/storepulse-cli/README.md",
        "./usr/share/doc/storepulse-cli/CLI.md", "./usr/share/doc/storepulse-cli/OPERATIONS.md",
        "./usr/share/doc/storepulse-cli/CONNECTORS.md"}},
      {"storepulse-edge",
       {"./usr/bin/storepulse-edge", "./lib/systemd/system/storepulse-edge.service",
        "./etc/storepulse/edge.conf", "./usr/share/doc/storepulse-edge/copyright",
        "./usr/share/doc/storepulse-edge/changelog.gz",
        "./usr/share/doc/storepulse-edge/OPERATIONS.md",
        "./usr/share/man/man8/storepulse-edge.8.gz"}},
      {"storepulse-central",
       {"./usr/bin/storepulse-central", "./lib/systemd/system/storepulse-central.service",
        "./etc/storepulse/central.conf", "./usr/share/doc/storepulse-central/copyright",
        "./usr/share/doc/storepulse-central/examples/stores.csv.example",
        "./usr/share/doc/storepulse-central/OPERATIONS.md",
        "./usr/share/man/man8/storepulse-central.8.gz",
        "./usr/share/storepulse/grafana/storepulse.json",
        "./usr/share/storepulse/prometheus/storepulse-rules.yml"}}};
  for (const auto& [package, files] : expected) {
    std::string listing = Output({"dpkg-deb", "--contents", DebPath(package)});
    for (const std::string& file : files) {
      EXPECT_NE(listing.find(" " + file + "\n"), std::string::npos) << package << " lacks " << file;
    }
    // Only the daemon packages own /usr/bin/storepulse-<role>; only the CLI owns storepulse.
    EXPECT_EQ(listing.find(" ./usr/bin/storepulse\n") != std::string::npos,
              package == "storepulse-cli")
        << package;
  }
}

// What is packaged is what the other tests checked: the conf files and units of the tree.
TEST_F(DebPackageTest, PackagedConfAndUnitAreTheTestedOnes) {
  for (const std::string role : {"edge", "central"}) {
    TempDir root;
    Output({"dpkg-deb", "--extract", DebPath("storepulse-" + role), root.path()});
    EXPECT_EQ(ReadFile(root.File("etc/storepulse/" + role + ".conf")),
              ReadFile(Source("packaging/" + role + ".conf")));
    EXPECT_EQ(ReadFile(root.File("lib/systemd/system/storepulse-" + role + ".service")),
              ReadFile(Source("systemd/storepulse-" + role + ".service")));
    EXPECT_EQ(Output({"dpkg-deb", "--info", DebPath("storepulse-" + role), "conffiles"}),
              "/etc/storepulse/" + role + ".conf\n");
  }
}

TEST_F(DebPackageTest, DaemonsDependOnTheSameCliAndTheirLibraries) {
  for (const std::string role : {"edge", "central"}) {
    std::string depends = Output({"dpkg-deb", "--field", DebPath("storepulse-" + role), "Depends"});
    EXPECT_NE(depends.find("storepulse-cli (= " STOREPULSE_VERSION ")"), std::string::npos)
        << depends;
    EXPECT_NE(depends.find("adduser"), std::string::npos) << depends;
    EXPECT_NE(depends.find("libzmq5"), std::string::npos) << "shlibdeps did not run: " << depends;
    EXPECT_NE(depends.find("libssl3"), std::string::npos) << "HTTPS needs OpenSSL: " << depends;
  }
}

// The changelog's newest entry is this version (lintian does not compare them).
TEST_F(DebPackageTest, ChangelogNamesThisVersion) {
  std::istringstream changelog(ReadFile(Source("packaging/debian/changelog")));
  std::string first_line;
  std::getline(changelog, first_line);
  EXPECT_EQ(first_line.rfind("storepulse (" STOREPULSE_VERSION ") ", 0), 0u)
      << "packaging/debian/changelog needs an entry for " STOREPULSE_VERSION ": " << first_line;
}

// The manual page each package installs is the one its program writes (--man), gzip'd.
TEST_F(DebPackageTest, PackagedManPagesAreTheProgramsOwn) {
  const std::vector<std::vector<std::string>> pages = {
      {"storepulse-cli", "usr/share/man/man1/storepulse.1.gz", STOREPULSE_CLI_BIN},
      {"storepulse-edge", "usr/share/man/man8/storepulse-edge.8.gz", STOREPULSE_EDGE_BIN},
      {"storepulse-central", "usr/share/man/man8/storepulse-central.8.gz",
       STOREPULSE_CENTRAL_BIN}};
  for (const auto& page : pages) {
    TempDir root;
    Output({"dpkg-deb", "--extract", DebPath(page[0]), root.path()});
    EXPECT_EQ(Output({"gzip", "-dc", root.File(page[1])}), Output({page[2], "--man"})) << page[1];
  }
}

// No lintian error; its warnings are printed. The manual pages keep it from warning that a
// program has none.
TEST_F(DebPackageTest, LintianFindsNoError) {
  auto probe = RunProcess({"lintian", "--version"});
  if (!probe.ok() || probe->exit_status != 0) {
    GTEST_SKIP() << "lintian is not installed (Debian package lintian): packages not linted";
  }
  std::vector<std::string> argv = {"lintian", "--fail-on", "error"};
  for (const std::string& package : kPackages) argv.push_back(DebPath(package));
  auto lint = RunProcess(argv, std::chrono::minutes(5));
  ASSERT_TRUE(lint.ok()) << lint.status().message();
  std::cout << "lintian:\n" << lint->out;
  EXPECT_EQ(lint->exit_status, 0) << lint->out << lint->err;
  EXPECT_EQ(("\n" + lint->out).find("\nE: "), std::string::npos) << lint->out;
  EXPECT_EQ(lint->out.find("no-manual-page"), std::string::npos) << lint->out;
  EXPECT_EQ(lint->out.find("manpage"), std::string::npos) << lint->out;
}

}  // namespace
}  // namespace storepulse::packaging_test
