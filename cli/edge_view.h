// The frame shared by the read-only views of an edge that central's documents feed (`storepulse
// context`, `storepulse report`): --edge URL or --data-dir DIR (a stopped edge's data, read-only),
// an optional positional argument, one read, then the API's JSON (--json) or a rendered text, and
// the exit status of command.h.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::cli {

struct EdgeView {
  std::string_view command;          // "context": for help and error messages
  std::string_view usage;            // the first lines of --help
  std::string_view details;          // the rest of --help, after the options
  const char* positional = nullptr;  // e.g. "name"; none: no positional argument
  // The API path for the positional argument ("" when not given): "/api/v1/context".
  std::function<std::string(const std::string& argument)> path;
  // The same answer read from an edge database (--data-dir).
  std::function<common::StatusOr<nlohmann::json>(SQLite::Database& db, const std::string& argument)>
      read;
  // The text for the positional argument and the answer.
  std::function<common::StatusOr<std::string>(const std::string& argument,
                                              const nlohmann::json& answer)>
      render;
};

int RunEdgeView(const EdgeView& view, const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
