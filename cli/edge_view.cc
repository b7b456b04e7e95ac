#include "cli/edge_view.h"

#include <SQLiteCpp/Database.h>

#include "cli/command_line.h"
#include "cli/http_access.h"
#include "cli/http_client.h"
#include "cli/ingest_command.h"
#include "edge/event_store.h"

namespace po = boost::program_options;

namespace storepulse::cli {

using nlohmann::json;

int RunEdgeView(const EdgeView& view, const std::vector<std::string>& args, CommandIo& io) {
  std::string edge(kDefaultEdgeUrl);
  std::string data_dir;
  std::string argument;
  bool as_json = false;
  HttpAccessFlags access = {};
  po::options_description options;
  options.add_options()("edge", po::value(&edge)->default_value(edge), "the edge's HTTP URL")(
      "data-dir", po::value(&data_dir), "read this edge data directory instead, read-only")(
      "json", po::bool_switch(&as_json), "print the API's JSON answer");
  options.add(HttpAccessOptions(&access));
  std::unique_ptr<HttpClient> client;
  auto check = [&](const po::variables_map& values) -> common::Status {
    if (!data_dir.empty()) {
      if (!values["edge"].defaulted()) {
        return common::InvalidArgument("--edge and --data-dir exclude each other");
      }
      return common::OkStatus();
    }
    ASSIGN_OR_RETURN(client, HttpClient::Create(Peer{"edge", edge, "storepulse-edge", access}));
    return common::OkStatus();
  };
  const CommandLine line{view.command, view.usage,      options,
                         view.details, view.positional, view.positional ? &argument : nullptr};
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<json> answer = common::Unavailable("no edge");
  if (!data_dir.empty()) {
    common::StatusOr<std::unique_ptr<SQLite::Database>> db = edge::OpenReadOnly(data_dir);
    answer = db.ok() ? view.read(**db, argument) : common::StatusOr<json>(db.status());
  } else {
    answer = client->GetJson(view.path(argument));
  }
  if (!answer.ok()) {
    io.err << "storepulse " << view.command << ": " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  if (as_json) {
    io.out << answer->dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  common::StatusOr<std::string> text = view.render(argument, *answer);
  if (!text.ok()) {
    io.err << "storepulse " << view.command << ": " << text.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *text;
  return kExitOk;
}

}  // namespace storepulse::cli
