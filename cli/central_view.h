// The frame shared by the read-only views of central (`storepulse fleet`, `alerts`, `targets`):
// the --central and --json options, one GET, then the API's JSON or a rendered table, and the
// exit status a monitoring script reads.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

struct CentralView {
  std::string_view command;  // "fleet": for help and error messages
  std::string_view usage;    // the first lines of --help
  std::string_view details;  // the rest of --help, after the options
  std::string path;          // "/api/v1/fleet"
  std::function<common::StatusOr<std::string>(const nlohmann::json&)> render;
  // Whether the answer calls for attention (exit status 1); none: always 0.
  std::function<bool(const nlohmann::json&)> needs_attention;
};

int RunCentralView(const CentralView& view, const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
