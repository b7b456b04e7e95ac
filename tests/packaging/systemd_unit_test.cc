// The systemd units (systemd/) as systemd itself reads them: `systemd-analyze verify` finds
// nothing to say, and `systemd-analyze security` scores them at most kMaxExposure, so that a
// loosened setting shows up here rather than on a store server.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::packaging_test {
namespace {

using test_support::RunProcess;
using test_support::RunResult;
using test_support::TempDir;

constexpr const char* kMaxExposure = "2.0";  // systemd's scale: 0 (locked down) to 10 (exposed)

std::string UnitPath(const std::string& role) {
  return std::string(STOREPULSE_SOURCE_DIR) + "/systemd/storepulse-" + role + ".service";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool HaveSystemdAnalyze() {
  auto probe = RunProcess({"systemd-analyze", "--version"});
  return probe.ok() && probe->exit_status == 0;
}

#define SKIP_WITHOUT_SYSTEMD_ANALYZE()                                                      \
  if (!HaveSystemdAnalyze()) {                                                              \
    GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd): the units " \
                    "are not checked";                                                      \
  }

// verify wants the ExecStart binaries to exist: a copy of the unit, under its own name, runs the
// binaries of this build instead of /usr/bin (DebPackageTest checks they land there).
void ExpectVerifyFindsNothing(const std::string& role, const std::string& binary) {
  TempDir dir;
  std::string unit = std::regex_replace(ReadFile(UnitPath(role)),
                                        std::regex("/usr/bin/storepulse-" + role), binary);
  std::string path = dir.Write("storepulse-" + role + ".service", unit);
  auto verify = RunProcess({"systemd-analyze", "verify", path});
  ASSERT_TRUE(verify.ok()) << verify.status().message();
  EXPECT_EQ(verify->exit_status, 0) << verify->err;
  // verify only warns about unknown keys and bad values, with exit status 0: any output fails.
  EXPECT_EQ(verify->out + verify->err, "");
}

// Exposure within kMaxExposure; prints the score.
void ExpectExposureAtMostLimit(const std::string& role) {
  std::string threshold = std::to_string(static_cast<int>(std::stod(kMaxExposure) * 10));
  auto security = RunProcess(
      {"systemd-analyze", "security", "--offline=yes", "--threshold=" + threshold, UnitPath(role)});
  ASSERT_TRUE(security.ok()) << security.status().message();
  std::smatch score;
  std::regex_search(security->out, score, std::regex(R"(Overall exposure level for \S+: (\S+))"));
  std::cout << "storepulse-" << role << ".service exposure: " << score[1] << " (limit "
            << kMaxExposure << ")\n";
  EXPECT_EQ(security->exit_status, 0) << security->out << security->err;
}

TEST(SystemdUnitTest, EdgeUnitVerifies) {
  SKIP_WITHOUT_SYSTEMD_ANALYZE();
  ExpectVerifyFindsNothing("edge", STOREPULSE_EDGE_BIN);
}

TEST(SystemdUnitTest, CentralUnitVerifies) {
  SKIP_WITHOUT_SYSTEMD_ANALYZE();
  ExpectVerifyFindsNothing("central", STOREPULSE_CENTRAL_BIN);
}

TEST(SystemdUnitTest, EdgeUnitIsHardened) {
  SKIP_WITHOUT_SYSTEMD_ANALYZE();
  ExpectExposureAtMostLimit("edge");
}

TEST(SystemdUnitTest, CentralUnitIsHardened) {
  SKIP_WITHOUT_SYSTEMD_ANALYZE();
  ExpectExposureAtMostLimit("central");
}

// The unit runs the shipped config file, checks it before starting, and reports readiness.
TEST(SystemdUnitTest, UnitsCheckTheShippedConfigBeforeStarting) {
  for (const std::string role : {"edge", "central"}) {
    std::string unit = ReadFile(UnitPath(role));
    std::string command =
        "/usr/bin/storepulse-" + role + " --config /etc/storepulse/" + role + ".conf";
    EXPECT_NE(unit.find("\nExecStartPre=" + command + " --check-config\n"), std::string::npos)
        << role;
    EXPECT_NE(unit.find("\nExecStart=" + command + "\n"), std::string::npos) << role;
    EXPECT_NE(unit.find("\nType=notify\n"), std::string::npos) << role;
    EXPECT_NE(unit.find("\nWatchdogSec="), std::string::npos) << role;
    EXPECT_NE(unit.find("\nStateDirectory=storepulse/" + role + "\n"), std::string::npos) << role;
  }
}

}  // namespace
}  // namespace storepulse::packaging_test
