// `storepulse keygen`, run in-process: the files it writes, their modes, and that it never
// overwrites a key pair unless --force, which keeps the old one.
#include "cli/keygen_command.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/transport/curve_keys.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

struct Outcome {
  int exit_status;
  std::string out;
  std::string err;
};

Outcome Keygen(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err, false};
  const mode_t old_umask = umask(022);  // the modes below are those of a usual shell
  const int status = RunKeygen(args, io);
  umask(old_umask);
  return {status, out.str(), err.str()};
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

mode_t Mode(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(KeygenCommandTest, WritesASecretAndAPublicKeyWithTheirModes) {
  test_support::TempDir dir;
  const std::string prefix = dir.File("keys/edge");  // the directory is made
  const Outcome run = Keygen({"--out", prefix, "--store", "S042"});
  ASSERT_EQ(run.exit_status, 0) << run.err;

  EXPECT_EQ(Mode(prefix + ".key"), 0600u);
  EXPECT_EQ(Mode(prefix + ".pub"), 0644u);
  const std::string secret = FirstLine(prefix + ".key");
  const std::string public_key = FirstLine(prefix + ".pub");
  EXPECT_EQ(secret.size(), 40u);
  EXPECT_EQ(public_key.size(), 40u);
  EXPECT_TRUE(common::IsZ85Key(secret));
  EXPECT_TRUE(common::IsZ85Key(public_key));
  auto derived = common::LoadCurveSecretKey(prefix + ".key");
  ASSERT_TRUE(derived.ok()) << derived.status().ToString();
  EXPECT_EQ(derived->public_key, public_key);  // the two files are one pair

  EXPECT_NE(run.out.find("Public key: " + public_key + "\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n  S042," + public_key + ",NAME,REGION,TIMEZONE,AREA_M2\n"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("For central"), std::string::npos) << run.out;
}

TEST(KeygenCommandTest, CentralsKeyGoesToEveryEdge) {
  test_support::TempDir dir;
  const Outcome run = Keygen({"--out", dir.File("central"), "--central"});
  ASSERT_EQ(run.exit_status, 0) << run.err;
  EXPECT_NE(run.out.find("For central: give central.pub to every edge"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("central-public-key"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("stores file"), std::string::npos) << run.out;
}

TEST(KeygenCommandTest, RefusesToOverwriteAnExistingPair) {
  test_support::TempDir dir;
  const std::string prefix = dir.File("central");
  ASSERT_EQ(Keygen({"--out", prefix}).exit_status, 0);
  const std::string secret = FirstLine(prefix + ".key");
  const std::string public_key = FirstLine(prefix + ".pub");

  const Outcome again = Keygen({"--out", prefix});
  EXPECT_EQ(again.exit_status, 1);
  EXPECT_NE(again.err.find(prefix + ".key exists already; not overwriting a key"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(FirstLine(prefix + ".key"), secret);
  EXPECT_EQ(FirstLine(prefix + ".pub"), public_key);

  // A lone .pub is refused too: a new .key beside an old .pub would not be a pair.
  std::filesystem::remove(prefix + ".key");
  EXPECT_EQ(Keygen({"--out", prefix}).exit_status, 1);
  EXPECT_FALSE(std::filesystem::exists(prefix + ".key"));
}

TEST(KeygenCommandTest, ForceReplacesThePairKeepingTheOldOneAndWarns) {
  test_support::TempDir dir;
  const std::string prefix = dir.File("central");
  ASSERT_EQ(Keygen({"--out", prefix}).exit_status, 0);
  const std::string old_secret = FirstLine(prefix + ".key");

  const Outcome forced = Keygen({"--out", prefix, "--force"});
  ASSERT_EQ(forced.exit_status, 0) << forced.err;
  EXPECT_NE(forced.err.find("WARNING: replacing the key pair"), std::string::npos) << forced.err;
  EXPECT_NE(FirstLine(prefix + ".key"), old_secret);
  EXPECT_EQ(Mode(prefix + ".key"), 0600u);
  int kept = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("central.key.replaced-", 0) == 0) {
      ++kept;
      EXPECT_EQ(FirstLine(entry.path().string()), old_secret);
      EXPECT_EQ(Mode(entry.path().string()), 0600u);  // still secret
    }
  }
  EXPECT_EQ(kept, 1);
}

TEST(KeygenCommandTest, UsageErrors) {
  test_support::TempDir dir;
  EXPECT_EQ(Keygen({}).exit_status, 2);  // --out is required
  const Outcome with_extension = Keygen({"--out", dir.File("edge.key")});
  EXPECT_EQ(with_extension.exit_status, 2);
  EXPECT_NE(with_extension.err.find("--out " + dir.File("edge") + " writes both files"),
            std::string::npos)
      << with_extension.err;
  EXPECT_EQ(Keygen({"--out", dir.File("e"), "--store", "S1", "--central"}).exit_status, 2);
  EXPECT_EQ(Keygen({"--out", dir.File("e"), "--store", "S,1"}).exit_status, 2);
  EXPECT_FALSE(std::filesystem::exists(dir.File("e.key")));
}

}  // namespace
}  // namespace storepulse::cli
