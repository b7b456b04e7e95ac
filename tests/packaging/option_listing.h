// The options a daemon declares, read back from the two places a person reads them: its --help
// text and the shipped config file (STYLE rule 8). Both map option name -> default, "" for an
// option without one. Pure functions of text; thread-safe.
#pragma once

#include <map>
#include <string>

namespace storepulse::packaging_test {

using OptionDefaults = std::map<std::string, std::string>;

// The options of a daemon's own section of `--help` (the one titled "… (also keys of --config)"),
// not the General ones (--help, --config, …), which are not config-file keys.
OptionDefaults OptionsFromHelp(const std::string& help);

// The `# name = default` (or bare `# name =`) lines of a config file.
OptionDefaults OptionsFromConf(const std::string& conf);

// `conf` with every `# name = value` line that has a value uncommented: the defaults as written.
std::string UncommentDefaults(const std::string& conf);

}  // namespace storepulse::packaging_test
