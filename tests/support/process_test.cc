// Tests of the test support itself (built into cli_tests, its first user).
#include "tests/support/process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>

#include "tests/support/free_port.h"
#include "tests/support/http_probe.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ProcessTest, RunCapturesOutputAndExitCode) {
  auto result = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"}, seconds(10));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->exit_status, 3);
  EXPECT_EQ(result->out, "out\n");
  EXPECT_EQ(result->err, "err\n");
  EXPECT_FALSE(result->timed_out);
}

TEST(ProcessTest, RunKillsAProgramThatOverrunsItsTimeout) {
  auto result = RunProcess({"sleep", "30"}, milliseconds(200));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->exit_status, 128 + SIGKILL);
}

TEST(ProcessTest, AProgramThatDoesNotExistIsAnError) {
  auto process = Process::Spawn({"/nonexistent/program"});
  EXPECT_EQ(process.status().code(), common::StatusCode::kUnavailable);
  EXPECT_NE(process.status().message().find("No such file"), std::string::npos);
}

TEST(ProcessTest, StopSendsTermThenWaits) {
  TempDir dir;
  auto process =
      Process::Spawn({"sh", "-c", "trap 'echo bye; exit 0' TERM; while :; do sleep 0.01; done"},
                     {dir.File("out"), ""});
  ASSERT_TRUE(process.ok());
  EXPECT_FALSE((*process)->WaitFor(milliseconds(100)).has_value());
  EXPECT_TRUE((*process)->Running());
  EXPECT_EQ((*process)->Stop(seconds(5)), 0);
  EXPECT_FALSE((*process)->Running());
  std::ifstream in(dir.File("out"));
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "bye\n");
}

TEST(ProcessTest, WaitingForAServerThatIsNotThereEndsAtTheDeadline) {
  const int port = FreeTcpPort();
  ASSERT_GT(port, 0);
  EXPECT_FALSE(HttpGet("127.0.0.1", port, "/").has_value());
  EXPECT_FALSE(WaitForHttpOk("127.0.0.1", port, "/healthz", milliseconds(200)));
  EXPECT_FALSE(WaitForHttpOk("127.0.0.1", port, "/healthz", seconds(10), [] { return false; }));
  EXPECT_EQ(FreeTcpPorts(3).size(), 3u);
}

}  // namespace
}  // namespace storepulse::test_support
