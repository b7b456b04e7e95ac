// The shipped /etc/storepulse/*.conf (packaging/) against the real daemons (STYLE rule 8): every
// option of `--help` is listed at its help default, nothing else is, the file as shipped passes
// --check-config, and so does the file with every listed default uncommented.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/packaging/option_listing.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::packaging_test {
namespace {

using test_support::RunProcess;
using test_support::RunResult;
using test_support::TempDir;

// A CurveZMQ secret key for tests only (the example server key of the libzmq documentation).
constexpr const char* kTestSecretKey = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Packaged(const std::string& name) {
  return std::string(STOREPULSE_SOURCE_DIR) + "/packaging/" + name;
}

RunResult Run(const std::vector<std::string>& argv) {
  auto result = RunProcess(argv);
  EXPECT_TRUE(result.ok()) << argv[0] << ": " << result.status().message();
  return result.ok() ? *result : RunResult{};
}

// Every option of the daemon's --help is in the conf file at its default, and nothing else is.
void ExpectListsEveryOption(const std::string& binary, const std::string& conf_name) {
  RunResult help = Run({binary, "--help"});
  ASSERT_EQ(help.exit_status, 0) << help.err;
  OptionDefaults declared = OptionsFromHelp(help.out);
  ASSERT_GE(declared.size(), 5u) << "cannot read the options of --help:\n" << help.out;
  OptionDefaults listed = OptionsFromConf(ReadFile(Packaged(conf_name)));
  for (const auto& [name, default_value] : declared) {
    auto it = listed.find(name);
    if (it == listed.end()) {
      ADD_FAILURE() << conf_name << " does not list --" << name << ": add `# " << name << " ="
                    << (default_value.empty() ? "" : " " + default_value) << "`";
    } else {
      EXPECT_EQ(it->second, default_value)
          << conf_name << ": --" << name << " is not listed at its default";
    }
  }
  for (const auto& [name, value] : listed) {
    EXPECT_TRUE(declared.count(name))
        << conf_name << " lists `" << name << "`, which the daemon does not know";
  }
}

// `binary --config conf --check-config extra…` succeeds.
void ExpectCheckConfigPasses(const std::string& binary, const std::string& conf,
                             std::vector<std::string> extra) {
  std::vector<std::string> argv{binary, "--config", conf, "--check-config"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  RunResult check = Run(argv);
  EXPECT_EQ(check.exit_status, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("configuration OK"), std::string::npos) << check.out;
}

TEST(ConfFileTest, EdgeConfListsEveryOptionAtItsDefault) {
  ExpectListsEveryOption(STOREPULSE_EDGE_BIN, "edge.conf");
}

TEST(ConfFileTest, CentralConfListsEveryOptionAtItsDefault) {
  ExpectListsEveryOption(STOREPULSE_CENTRAL_BIN, "central.conf");
}

// Run as shipped, plus what the operator must set (the store id) and a writable data dir.
TEST(ConfFileTest, ShippedEdgeConfPassesCheckConfig) {
  TempDir dir;
  ExpectCheckConfigPasses(STOREPULSE_EDGE_BIN, Packaged("edge.conf"),
                          {"--store", "S1", "--data-dir", dir.File("data")});
}

TEST(ConfFileTest, EdgeConfDefaultsParseWhenUncommented) {
  TempDir dir;
  std::string conf = dir.Write("edge.conf", UncommentDefaults(ReadFile(Packaged("edge.conf"))));
  ExpectCheckConfigPasses(STOREPULSE_EDGE_BIN, conf,
                          {"--store", "S1", "--data-dir", dir.File("data")});
}

// The key and stores file of the defaults live in /etc/storepulse: point them at test files. The
// sample stores file doubles as the stores file, which checks it too.
TEST(ConfFileTest, ShippedCentralConfPassesCheckConfigWithTheSampleStoresFile) {
  TempDir dir;
  ExpectCheckConfigPasses(
      STOREPULSE_CENTRAL_BIN, Packaged("central.conf"),
      {"--secret-key-file", dir.Write("central.key", std::string(kTestSecretKey) + "\n"),
       "--stores-file", Packaged("stores.csv.example"), "--data-dir", dir.File("data")});
}

TEST(ConfFileTest, CentralConfDefaultsParseWhenUncommented) {
  TempDir dir;
  std::string conf =
      dir.Write("central.conf", UncommentDefaults(ReadFile(Packaged("central.conf"))));
  ExpectCheckConfigPasses(
      STOREPULSE_CENTRAL_BIN, conf,
      {"--secret-key-file", dir.Write("central.key", std::string(kTestSecretKey) + "\n"),
       "--stores-file", Packaged("stores.csv.example"), "--data-dir", dir.File("data")});
}

TEST(ConfFileTest, SampleStoresFileHasTheSpecHeader) {
  std::istringstream in(ReadFile(Packaged("stores.csv.example")));
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "store,public_key,name,region,timezone,area_m2");
}

}  // namespace
}  // namespace storepulse::packaging_test
