#include "cli/command_line.h"

#include "common/config/man_page.h"

namespace po = boost::program_options;

namespace storepulse::cli {

common::Status ParseArguments(const std::vector<std::string>& args,
                              const po::options_description& options,
                              const po::positional_options_description& positional,
                              po::variables_map* values, bool* help) {
  po::options_description all;
  all.add_options()("help,h", "show this help and exit");
  all.add(options);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), *values);
    *help = values->count("help") > 0;
    if (*help) return common::OkStatus();
    po::notify(*values);
  } catch (const po::error& e) {
    return common::InvalidArgument(e.what());
  }
  return common::OkStatus();
}

void PrintCommandHelp(std::ostream& out, std::string_view usage,
                      const po::options_description& options, std::string_view details) {
  po::options_description all("Options", /*line_length=*/100, /*min_description_length=*/50);
  for (const auto& option : options.options()) all.add(option);
  all.add_options()("help,h", "show this help and exit");
  out << usage << "\n\n" << all;
  if (!details.empty()) out << "\n" << details;
  out << "\n" << kDocsPointer;
}

int ReportUsageError(std::ostream& err, std::string_view command, const common::Status& status) {
  err << "storepulse " << command << ": " << status.message() << "\n(see storepulse " << command
      << " --help)\n";
  return kExitUsage;
}

std::optional<int> ReadCommandLine(const CommandLine& line, const std::vector<std::string>& args,
                                   CommandIo& io, const FlagCheck& check) {
  if (args.size() == 1 && args[0] == "--man") {  // hidden: this command's part of storepulse(1)
    po::options_description all("", /*line_length=*/100, /*min_description_length=*/50);
    for (const auto& option : line.options.options()) all.add(option);
    all.add_options()("help,h", "show this help and exit");
    common::WriteManOptionGroup(
        {"storepulse " + std::string(line.name), std::string(line.usage), &all,
         std::string(line.details)},
        io.out);
    return kExitOk;
  }
  po::options_description all = line.options;
  po::positional_options_description positional;
  if (line.positional != nullptr) {
    all.add_options()(line.positional, po::value(line.positional_value));
    positional.add(line.positional, 1);
  }
  po::variables_map values;
  bool help = false;
  common::Status parsed = ParseArguments(args, all, positional, &values, &help);
  if (help) {
    PrintCommandHelp(io.out, line.usage, line.options, line.details);
    return kExitOk;
  }
  if (parsed.ok() && check) parsed = check(values);
  if (!parsed.ok()) return ReportUsageError(io.err, line.name, parsed);
  return std::nullopt;
}

}  // namespace storepulse::cli
