// `storepulse check-config` runs the daemons' own --check-config on good and bad config files,
// finding the daemon beside storepulse (as installed) or where --daemon says.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/program_runner.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using std::chrono::seconds;
using test_support::RunResult;

// The build tree puts each daemon in its own folder: <build>/edge/storepulse-edge and
// <build>/central/storepulse-central.
const std::string kCentralBin =
    (std::filesystem::path(STOREPULSE_EDGE_BIN).parent_path().parent_path() / "central" /
     "storepulse-central")
        .string();

RunResult RunBinary(const std::string& program, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = test_support::RunProcess(argv, seconds(60));
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : RunResult{};
}

RunResult Cli(const std::vector<std::string>& args) { return RunBinary(STOREPULSE_CLI_BIN, args); }

class CheckConfigTest : public ::testing::Test {
 protected:
  std::string EdgeConfig(const std::string& timezone) const {
    return dir_.Write(
        "edge-" + timezone.substr(0, 4) + ".conf",
        "store = S1\ntimezone = " + timezone + "\ndata-dir = " + dir_.File("edge-data") + "\n");
  }

  // REQUIRES: the key pair <dir>/central.key and .pub exists.
  std::string CentralConfig(const std::string& name, const std::string& stores_file) const {
    return dir_.Write(name, "data-dir = " + dir_.File("central-data") + "\nsecret-key-file = " +
                                dir_.File("central.key") + "\nstores-file = " + stores_file + "\n");
  }

  test_support::TempDir dir_;
};

TEST_F(CheckConfigTest, RelaysTheEdgesVerdict) {
  const RunResult good = Cli({"check-config", "--edge-config", EdgeConfig("Europe/Paris"),
                              "--daemon", STOREPULSE_EDGE_BIN});
  EXPECT_EQ(good.exit_status, 0) << good.err;
  EXPECT_EQ(good.out, "configuration OK\n");

  const std::string bad_file = EdgeConfig("Mars/Olympus_Mons");
  const RunResult bad =
      Cli({"check-config", "--edge-config", bad_file, "--daemon", STOREPULSE_EDGE_BIN});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("configuration error: "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("Mars/Olympus_Mons"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("storepulse check-config: " + bad_file + " is not usable ("),
            std::string::npos)
      << bad.err;

  const std::string unknown_key = dir_.Write("typo.conf", "store = S1\ntimezon = UTC\n");
  const RunResult typo =
      Cli({"check-config", "--edge-config", unknown_key, "--daemon", STOREPULSE_EDGE_BIN});
  EXPECT_EQ(typo.exit_status, 1);
  EXPECT_NE(typo.err.find("timezon"), std::string::npos) << typo.err;
}

TEST_F(CheckConfigTest, RelaysCentralsVerdict) {
  ASSERT_TRUE(std::filesystem::exists(kCentralBin)) << kCentralBin;
  test_support::MakeKeys(dir_.path(), "central");
  const std::string stores = dir_.Write("stores.csv",
                                        "store,public_key,name,region,timezone,"
                                        "area_m2\n");
  const RunResult good = Cli({"check-config", "--central-config",
                              CentralConfig("good.conf", stores), "--daemon", kCentralBin});
  EXPECT_EQ(good.exit_status, 0) << good.err;
  EXPECT_EQ(good.out, "configuration OK\n");

  const RunResult bad =
      Cli({"check-config", "--central-config", CentralConfig("bad.conf", dir_.File("missing.csv")),
           "--daemon", kCentralBin});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_NE(bad.err.find("cannot read the stores file " + dir_.File("missing.csv")),
            std::string::npos)
      << bad.err;
}

TEST_F(CheckConfigTest, FindsTheDaemonInstalledBesideStorepulse) {
  // As in /usr/bin: storepulse and storepulse-edge in one directory.
  const std::filesystem::path bin = dir_.File("bin");
  std::filesystem::create_directories(bin);
  std::filesystem::copy_file(STOREPULSE_CLI_BIN, bin / "storepulse");
  std::filesystem::create_symlink(STOREPULSE_EDGE_BIN, bin / "storepulse-edge");
  const RunResult good = RunBinary((bin / "storepulse").string(),
                                   {"check-config", "--edge-config", EdgeConfig("UTC")});
  EXPECT_EQ(good.exit_status, 0) << good.err;
  EXPECT_EQ(good.out, "configuration OK\n");

  EXPECT_EQ(FindProgram("storepulse-no-such-program").status().code(),
            common::StatusCode::kNotFound);
  EXPECT_EQ(FindProgram("sh").status().code(), common::StatusCode::kOk);  // from $PATH
}

TEST_F(CheckConfigTest, UsageErrors) {
  EXPECT_EQ(Cli({"check-config"}).exit_status, 2);
  EXPECT_EQ(Cli({"check-config", "--edge-config", "a", "--central-config", "b"}).exit_status, 2);
  const RunResult no_daemon = Cli({"check-config", "--edge-config", EdgeConfig("UTC"), "--daemon",
                                   dir_.File("no-such-daemon")});
  EXPECT_EQ(no_daemon.exit_status, 2);
  EXPECT_NE(no_daemon.err.find("cannot run " + dir_.File("no-such-daemon")), std::string::npos)
      << no_daemon.err;
}

}  // namespace
}  // namespace storepulse::cli
