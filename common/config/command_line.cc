#include "common/config/command_line.h"

#include <fstream>

namespace po = boost::program_options;

namespace storepulse::common {

po::options_description DaemonGeneralOptions(std::string* config_file) {
  po::options_description generic("General");
  generic.add_options()("help,h", "show this help and exit")(
      "version", "print the version and exit")(
      "check-config", "check the configuration (files, keys, zone) and exit: 0 when usable")(
      "config", po::value(config_file), "INI file with the options below as `key = value`");
  return generic;
}

StatusOr<DaemonAction> ParseCommandLine(int argc, const char* const* argv, const std::string& usage,
                                        const po::options_description& options,
                                        po::variables_map* values, std::ostream& help_out,
                                        const std::string& help_footer) {
  po::options_description all;
  std::string config_file;
  all.add(DaemonGeneralOptions(&config_file)).add(options);
  po::options_description parsed = all;  // --man is for the build, not listed by --help
  parsed.add_options()("man", "write the manual page (troff) and exit");
  try {
    po::store(po::parse_command_line(argc, argv, parsed), *values);
    if (values->count("config")) {
      config_file = (*values)["config"].as<std::string>();
      std::ifstream in(config_file);
      if (!in) return InvalidArgument("cannot read the config file " + config_file);
      po::store(po::parse_config_file(in, options), *values);
    }
    po::notify(*values);
  } catch (const po::error& e) {
    return InvalidArgument(std::string(e.what()) + " (see --help)");
  }
  if (values->count("man")) return DaemonAction::kMan;
  if (values->count("help")) {
    help_out << usage << "\n" << all << "\n" << help_footer;
    return DaemonAction::kHelp;
  }
  if (values->count("version")) return DaemonAction::kVersion;
  if (values->count("check-config")) return DaemonAction::kCheckConfig;
  return DaemonAction::kRun;
}

std::string VersionLine(const std::string& program) {
  return program + " " + STOREPULSE_VERSION;
}

}  // namespace storepulse::common
