// The manual pages: each program writes its own (hidden --man) from the option tables its --help
// prints. groff and man, as lintian runs them, find nothing to warn about, every option --help
// lists is in the page (for the CLI, in its command's subsection), and --help ends by naming the
// manual and the installed documentation.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::packaging_test {
namespace {

using test_support::RunProcess;
using test_support::RunResult;

RunResult RunTool(const std::vector<std::string>& argv) {
  auto result = RunProcess(argv, std::chrono::seconds(60));
  EXPECT_TRUE(result.ok()) << argv[0] << ": " << result.status().message();
  return result.ok() ? *result : RunResult{};
}

// The long options of a --help text: "  --store arg", "  -h [ --help ]", "  --json".
std::set<std::string> HelpOptions(const std::string& help) {
  static const std::regex kOption(R"(^  (?:-[a-zA-Z] \[ )?--([a-z0-9-]+).*$)");
  std::set<std::string> options;
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kOption)) options.insert(match[1]);
  }
  return options;
}

// "--store" as a page writes it: bold, minus signs escaped.
std::string InPage(const std::string& option) {
  std::string escaped = "\\fB";
  for (const char c : "--" + option) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
  return escaped;
}

// What groff and man (the way lintian calls it) say about the page, beyond its text.
void ExpectNoWarnings(const std::string& name, const std::string& page) {
  test_support::TempDir dir;
  const std::string file = dir.Write(name, page);
  const RunResult groff = RunTool({"groff", "-man", "-ww", "-z", file});
  EXPECT_EQ(groff.exit_status, 0) << name;
  EXPECT_EQ(groff.err, "") << name;
  const RunResult man = RunTool({"sh", "-c",
                             "LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 "
                             "-l -Tutf8 -Z \"$0\" >/dev/null",
                             file});
  EXPECT_EQ(man.exit_status, 0) << name << ": " << man.err;
  EXPECT_EQ(man.err, "") << name;
}

struct Daemon {
  std::string name;
  std::string binary;
};

TEST(ManPageTest, EachDaemonsPageListsEveryOptionOfItsHelpWithoutWarnings) {
  for (const Daemon& daemon : {Daemon{"storepulse-edge", STOREPULSE_EDGE_BIN},
                               Daemon{"storepulse-central", STOREPULSE_CENTRAL_BIN}}) {
    const RunResult page = RunTool({daemon.binary, "--man"});
    ASSERT_EQ(page.exit_status, 0) << page.err;
    EXPECT_EQ(page.out.find(".TH \"" + std::string(daemon.name == "storepulse-edge"
                                                       ? "STOREPULSE-EDGE"
                                                       : "STOREPULSE-CENTRAL") +
                            "\" 8 "),
              page.out.find(".TH"))
        << page.out.substr(0, 300);
    for (const char* section : {".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS",
                                ".SH FILES", ".SH \"SEE ALSO\""}) {
      EXPECT_NE(page.out.find(std::string("\n") + section + "\n"), std::string::npos)
          << daemon.name << " lacks " << section;
    }
    const RunResult help = RunTool({daemon.binary, "--help"});
    const std::set<std::string> options = HelpOptions(help.out);
    EXPECT_GE(options.size(), 20u) << help.out;
    for (const std::string& option : options) {
      EXPECT_NE(page.out.find(InPage(option)), std::string::npos) << daemon.name << " --" << option;
    }
    EXPECT_EQ(page.out.find("\\-\\-man"), std::string::npos) << "--man is not for people";
    EXPECT_NE(help.out.find("Manual: man " + daemon.name + ". Documentation: "),
              std::string::npos)
        << help.out;
    ExpectNoWarnings(daemon.name + ".8", page.out);
  }
}

TEST(ManPageTest, TheCliPageHasEveryCommandsOptionsInItsSubsection) {
  const RunResult page = RunTool({STOREPULSE_CLI_BIN, "--man"});
  ASSERT_EQ(page.exit_status, 0) << page.err;
  EXPECT_NE(page.out.find(".TH \"STOREPULSE\" 1 "), std::string::npos);
  const RunResult help = RunTool({STOREPULSE_CLI_BIN, "--help"});
  EXPECT_NE(help.out.find("Manual: man storepulse. Documentation: "
                          "/usr/share/doc/storepulse-cli/CLI.md"),
            std::string::npos)
      << help.out;
  // The commands, as the top-level help lists them: "  ingest        import events…".
  static const std::regex kCommand(R"(^  ([a-z][a-z-]+)  +\S.*$)");
  std::istringstream lines(help.out);
  std::vector<std::string> commands;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kCommand)) commands.push_back(match[1]);
  }
  ASSERT_GE(commands.size(), 12u) << help.out;
  for (const std::string& command : commands) {
    std::string title = ".SS \"storepulse ";
    for (const char c : command) title += c == '-' ? std::string("\\-") : std::string(1, c);
    const size_t start = page.out.find(title + "\"\n");
    ASSERT_NE(start, std::string::npos) << "no subsection for " << command;
    const std::string section = page.out.substr(start, page.out.find("\n.S", start + 1) - start);
    const RunResult command_help = RunTool({STOREPULSE_CLI_BIN, command, "--help"});
    EXPECT_EQ(command_help.exit_status, 0) << command;
    EXPECT_NE(command_help.out.find("Manual: man storepulse."), std::string::npos) << command;
    const std::set<std::string> options = HelpOptions(command_help.out);
    EXPECT_FALSE(options.empty()) << command;
    for (const std::string& option : options) {
      EXPECT_NE(section.find(InPage(option)), std::string::npos)
          << "storepulse " << command << " --" << option;
    }
  }
  ExpectNoWarnings("storepulse.1", page.out);
}

}  // namespace
}  // namespace storepulse::packaging_test
