// The main() both daemons share: parse the flags and --config, answer --help, --version and
// --check-config, start, tell systemd READY, serve (ping the watchdog; SIGHUP reloads) until
// SIGTERM/SIGINT, then stop cleanly. Exit status: 0 done, 1 cannot start or bad config,
// 2 usage error, 70 a bug caught by the last-resort handler.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options/options_description.hpp>

#include "common/status.h"

namespace storepulse::common {

// What a daemon does, called on the main thread.
class Daemon {
 public:
  virtual ~Daemon() = default;
  virtual Status Check() const = 0;
  virtual Status Start() = 0;
  virtual void Reload() {}  // SIGHUP
  virtual void Stop() = 0;
  virtual std::string ReadyStatus() const = 0;  // STATUS= sent to systemd with READY
};

struct DaemonProgram {
  std::string name;          // "storepulse-edge"
  std::string usage;  // the first lines of --help
  // The manual page (section 8), whose OPTIONS are the daemon's own tables: its NAME line, its
  // DESCRIPTION, its FILES (path, what) and SEE ALSO (common/config/man_page.h).
  std::string summary;
  std::string description;
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> see_also;
  std::string help_footer;  // the last lines of --help: where the manual and the docs are
};

// `options` fill a config that `make` reads: `make` builds the daemon once they are parsed.
int RunDaemonMain(int argc, char** argv, const DaemonProgram& program,
                  const boost::program_options::options_description& options,
                  const std::function<std::unique_ptr<Daemon>()>& make);

}  // namespace storepulse::common
