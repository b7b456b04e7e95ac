// `storepulse enroll` and `storepulse stores add`, run in-process on temp directories: what they
// write (keys and modes, edge.conf read back by the edge's own options, the stores line read back
// by central's parser) and every refusal, which names the problem and leaves the files as they were.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "central/stores_file.h"
#include "cli/enroll_command.h"
#include "cli/stores_command.h"
#include "common/transport/curve_keys.h"
#include "edge/edge_config.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int exit_status;
  std::string out;
  std::string err;
};

Outcome RunCommand(int (*command)(const std::vector<std::string>&, CommandIo&),
            const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err, false};
  const mode_t old_umask = umask(022);
  const int status = command(args, io);
  umask(old_umask);
  return {status, out.str(), err.str()};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t Mode(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

class EnrollTest : public ::testing::Test {
 protected:
  EnrollTest() {
    central_key_ = test_support::MakeKeys(dir_.path(), "central").public_key;
    fs::create_directories(etc());
    fs::copy_file(STOREPULSE_SOURCE_DIR "/packaging/edge.conf", etc() + "/edge.conf");
  }
  std::string etc() const { return dir_.File("etc"); }

  Outcome Enroll(std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"--store", "S042", "--central", "central.example:7600",
                                     "--central-key", dir_.File("central.pub"), "--config-dir",
                                     etc(), "--zone", "Europe/Paris", "--json"};
    args.insert(args.end(), more.begin(), more.end());
    return RunCommand(&RunEnroll, args);
  }

  // Every file of etc() and its content.
  std::map<std::string, std::string> Snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(etc())) {
      files[entry.path().filename()] = ReadFile(entry.path());
    }
    return files;
  }

  test_support::TempDir dir_;
  std::string central_key_;
};

TEST_F(EnrollTest, WritesKeysAndAnEdgeConfTheEdgeReads) {
  const Outcome run = Enroll({"--region", "FR-North", "--area-m2", "850.5"});
  ASSERT_EQ(run.exit_status, 0) << run.err;
  const json out = json::parse(run.out);

  EXPECT_EQ(Mode(etc() + "/edge.key"), 0600u);
  auto pair = common::LoadCurveSecretKey(etc() + "/edge.key");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(out["public_key"], pair->public_key);
  EXPECT_EQ(common::LoadCurvePublicKey(etc() + "/edge.pub").value(), pair->public_key);
  EXPECT_EQ(common::LoadCurvePublicKey(etc() + "/central.pub").value(), central_key_);

  // The edge's own options read what enroll wrote, and its own validation passes.
  edge::EdgeConfig config;
  boost::program_options::variables_map values;
  std::ifstream conf(etc() + "/edge.conf");
  boost::program_options::store(
      boost::program_options::parse_config_file(conf, edge::EdgeOptions(&config)), values);
  boost::program_options::notify(values);
  EXPECT_EQ(config.store, "S042");
  EXPECT_EQ(config.timezone, "Europe/Paris");
  EXPECT_EQ(config.central_endpoint, "tcp://central.example:7600");
  EXPECT_EQ(config.central_public_key, etc() + "/central.pub");
  EXPECT_EQ(config.secret_key_file, etc() + "/edge.key");
  EXPECT_TRUE(edge::ValidateEdgeConfig(config).ok());
  // Set below its listing, every comment of the packaged file kept.
  const std::string text = ReadFile(etc() + "/edge.conf");
  EXPECT_NE(text.find("# store =\nstore = S042\n"), std::string::npos) << text;
  std::istringstream lines(text);
  std::string without_set_lines;  // the packaged file, once the five lines set are taken out
  int set_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') {
      ++set_lines;
      continue;
    }
    without_set_lines += line + "\n";
  }
  EXPECT_EQ(set_lines, 5);
  EXPECT_EQ(without_set_lines, ReadFile(STOREPULSE_SOURCE_DIR "/packaging/edge.conf"));

  // The stores line, read by central's parser.
  auto entry = central::ParseStoresFileLine(out["stores_line"]);
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  EXPECT_EQ(entry->store, "S042");
  EXPECT_EQ(entry->public_key, pair->public_key);
  EXPECT_EQ(entry->name, "S042");
  EXPECT_EQ(entry->region, "FR-North");
  EXPECT_EQ(entry->zone.name(), "Europe/Paris");
  EXPECT_EQ(entry->area_m2, 850.5);
  EXPECT_EQ(out["central_command"], "storepulse stores add '" + out["stores_line"].get<std::string>() + "'");
}

TEST_F(EnrollTest, TheSecretKeyGoesToTheServiceUser) {
  if (geteuid() != 0) GTEST_SKIP() << "only root can give a file to another user";
  const Outcome run = Enroll({"--user", "nobody"});
  ASSERT_EQ(run.exit_status, 0) << run.err;
  struct stat info {};
  ASSERT_EQ(stat((etc() + "/edge.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 65534u);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(json::parse(run.out)["secret_key_owner"], "nobody");
}

TEST_F(EnrollTest, RefusesToOverwriteExistingKeysAndChangesNothing) {
  test_support::MakeKeys(etc(), "edge");
  const auto before = Snapshot();
  const Outcome run = Enroll();
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("edge.key exists already"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--force"), std::string::npos) << run.err;
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(EnrollTest, RefusesAnEdgeConfEnrolledForAnotherStoreUnlessForced) {
  ASSERT_EQ(Enroll().exit_status, 0);
  fs::remove(etc() + "/edge.key");
  fs::remove(etc() + "/edge.pub");
  const auto before = Snapshot();
  // Another store in the same directory: refused, the edge.conf names S042.
  Outcome run = RunCommand(&RunEnroll, {"--store", "S043", "--central", "central.example:7600", "--central-key",
                         dir_.File("central.pub"), "--config-dir", etc(), "--zone",
                         "Europe/Paris"});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("sets store = S042 already"), std::string::npos) << run.err;
  EXPECT_EQ(Snapshot(), before);
  run = RunCommand(&RunEnroll, {"--store", "S043", "--central", "central.example:7600", "--central-key",
                         dir_.File("central.pub"), "--config-dir", etc(), "--zone",
                         "Europe/Paris", "--force"});
  EXPECT_EQ(run.exit_status, 0) << run.err;
  EXPECT_NE(ReadFile(etc() + "/edge.conf").find("\nstore = S043\n"), std::string::npos);
}

TEST_F(EnrollTest, RefusesABadCentralKeyBeforeWritingAnything) {
  const auto before = Snapshot();
  struct Case {
    std::string file;
    std::string message;
  } cases[] = {
      {dir_.File("missing.pub"), "not a file"},
      {dir_.File("central.key"), "this is a secret key"},
      {dir_.Write("junk.pub", "not a key\n"), "not a CURVE public key"},
      {dir_.path(), "not a file"},
  };
  for (const Case& c : cases) {
    const Outcome run = RunCommand(&RunEnroll, {"--store", "S042", "--central", "central.example:7600",
                                         "--central-key", c.file, "--config-dir", etc()});
    EXPECT_EQ(run.exit_status, 2) << c.file;
    EXPECT_NE(run.err.find("--central-key " + c.file + ": " + c.message), std::string::npos)
        << run.err;
  }
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(EnrollTest, RefusesABadStoreIdZoneOrEndpoint) {
  const auto before = Snapshot();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--store", "S 42"}, "a store id is 1-64 letters, digits"},
      {{"--store", "S,42"}, "a store id is 1-64 letters, digits"},
      {{"--store", std::string(65, 'S')}, "a store id is 1-64 letters, digits"},
      {{"--store", "S42", "--zone", "Europe/Pari"}, "--zone: unknown time zone"},
      {{"--store", "S42", "--central", "central.example"}, "as HOST:PORT"},
      {{"--store", "S42", "--name", "a\nb"}, "--name holds a control character"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    if (std::find(args.begin(), args.end(), "--central") == args.end()) {
      args.insert(args.end(), {"--central", "central.example:7600"});
    }
    args.insert(args.end(), {"--central-key", dir_.File("central.pub"), "--config-dir", etc()});
    const Outcome run = RunCommand(&RunEnroll, args);
    EXPECT_EQ(run.exit_status, 2) << c.message;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
  }
  EXPECT_EQ(Snapshot(), before);
}

// --- storepulse stores add ---

class StoresAddTest : public ::testing::Test {
 protected:
  std::string Line(const std::string& store, const std::string& key) const {
    return store + "," + key + ",\"Paris, Rivoli\",FR-North,Europe/Paris,850";
  }
  Outcome Add(const std::string& line, std::vector<std::string> more = {}) const {
    std::vector<std::string> args = {"add", line, "--stores-file", file_, "--no-reload"};
    args.insert(args.end(), more.begin(), more.end());
    return RunCommand(&RunStores, args);
  }
  test_support::TempDir dir_;
  std::string file_ = dir_.File("stores.csv");
  std::string key1_ = common::GenerateCurveKeyPair()->public_key;
  std::string key2_ = common::GenerateCurveKeyPair()->public_key;
};

TEST_F(StoresAddTest, AppendsTheLineKeepingTheFilesModeAndCentralReadsIt) {
  dir_.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\nS1," + key1_ +
                               ",Lyon,FR-South,Europe/Paris,");  // no final line break
  chmod(file_.c_str(), 0640);
  const Outcome run = Add(Line("S2", key2_));
  ASSERT_EQ(run.exit_status, 0) << run.err;
  EXPECT_NE(run.out.find("Added store S2 to " + file_), std::string::npos) << run.out;
  EXPECT_EQ(Mode(file_), 0640u);
  auto directory = central::StoreDirectory::Load(file_);
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  ASSERT_EQ((*directory)->stores().size(), 2u);
  EXPECT_EQ((*directory)->FindByStore("S2")->name, "Paris, Rivoli");
  EXPECT_EQ(ReadFile(file_).back(), '\n');
  for (const auto& entry : fs::directory_iterator(dir_.path())) {  // no temporary file left
    EXPECT_EQ(entry.path().filename(), "stores.csv");
  }
}

TEST_F(StoresAddTest, MakesAMissingFileWithItsHeader) {
  const Outcome run = Add(Line("S1", key1_));
  ASSERT_EQ(run.exit_status, 0) << run.err;
  EXPECT_EQ(ReadFile(file_), "store,public_key,name,region,timezone,area_m2\n" +
                                 Line("S1", key1_) + "\n");
  EXPECT_EQ(Mode(file_), 0640u);
}

TEST_F(StoresAddTest, RefusesADuplicateStoreOrKeyAndChangesNothing) {
  ASSERT_EQ(Add(Line("S1", key1_)).exit_status, 0);
  const std::string before = ReadFile(file_);
  Outcome run = Add(Line("S1", key2_));
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("store S1 is already in " + file_ + ": nothing changed"),
            std::string::npos)
      << run.err;
  run = Add(Line("S2", key1_));
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("this public key is already store S1's"), std::string::npos) << run.err;
  EXPECT_EQ(ReadFile(file_), before);
}

TEST_F(StoresAddTest, RefusesABadLineOrABrokenFile) {
  Outcome run = Add("S1,notakey,n,r,Europe/Paris,1");
  EXPECT_EQ(run.exit_status, 2);
  EXPECT_NE(run.err.find("public_key of store S1 is not a 40-character Z85 key"),
            std::string::npos)
      << run.err;
  run = Add("S1," + key1_ + ",n,r,Mars/Olympus,1");
  EXPECT_EQ(run.exit_status, 2);
  EXPECT_NE(run.err.find("unknown time zone"), std::string::npos) << run.err;
  run = Add("S1," + key1_ + ",n,r,UTC");
  EXPECT_EQ(run.exit_status, 2);
  EXPECT_NE(run.err.find("expected 6 fields"), std::string::npos) << run.err;

  dir_.Write("stores.csv", "store,key\n");
  run = Add(Line("S1", key1_));
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("is not valid as it is"), std::string::npos) << run.err;
  EXPECT_EQ(ReadFile(file_), "store,key\n");
}

TEST_F(StoresAddTest, SaysWhenCentralCouldNotBeReloadedOrAsked) {
  const pid_t gone = fork();  // a process id that no longer runs
  if (gone == 0) _exit(0);
  ASSERT_GT(gone, 0);
  ASSERT_EQ(waitpid(gone, nullptr, 0), gone);
  std::vector<std::string> args = {"add", Line("S1", key1_), "--stores-file", file_,
                                   "--pid", std::to_string(gone)};
  Outcome run = RunCommand(&RunStores, args);
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.out.find("Added store S1"), std::string::npos) << run.out;  // the file has it
  EXPECT_NE(run.err.find("cannot send SIGHUP to process " + std::to_string(gone)),
            std::string::npos)
      << run.err;

  // Reloaded (SIGHUP to ourselves, ignored here), but no central answers at --central.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGHUP, &ignore, &previous);
  run = RunCommand(&RunStores, {"add", Line("S2", key2_), "--stores-file", file_, "--pid",
                                std::to_string(getpid()), "--central", "http://127.0.0.1:1",
                                "--wait-s", "1", "--json"});
  sigaction(SIGHUP, &previous, nullptr);
  EXPECT_EQ(run.exit_status, 0) << run.err;
  const json out = json::parse(run.out);
  EXPECT_EQ(out["reload"], "signal");
  EXPECT_TRUE(out["central_lists_store"].is_null());
  EXPECT_NE(run.err.find("could not ask central whether it lists the store"), std::string::npos)
      << run.err;
  EXPECT_EQ((*central::StoreDirectory::Load(file_))->stores().size(), 2u);
}

}  // namespace
}  // namespace storepulse::cli
