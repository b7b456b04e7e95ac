#include "cli/central_view.h"

#include "cli/command_line.h"
#include "cli/http_client.h"

namespace po = boost::program_options;

namespace storepulse::cli {

namespace {

using nlohmann::json;

int Show(const CentralView& view, bool as_json, const json& answer, CommandIo& io) {
  if (as_json) {
    io.out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    common::StatusOr<std::string> text = view.render(answer);
    if (!text.ok()) {
      io.err << "storepulse " << view.command << ": " << text.status().message() << "\n";
      return kExitFailed;
    }
    io.out << *text;
  }
  return view.needs_attention && view.needs_attention(answer) ? kExitFailed : kExitOk;
}

}  // namespace

int RunCentralView(const CentralView& view, const std::vector<std::string>& args, CommandIo& io) {
  std::string central(kDefaultCentralUrl);
  bool as_json = false;
  HttpAccessFlags access = {};
  po::options_description options;
  options.add_options()("central", po::value(&central)->default_value(central),
                        "central's HTTP URL")("json", po::bool_switch(&as_json),
                                              "print the API's JSON answer");
  options.add(HttpAccessOptions(&access));
  std::unique_ptr<HttpClient> client;
  auto check = [&](const po::variables_map&) {  // a malformed URL is a usage error
    ASSIGN_OR_RETURN(client, HttpClient::Create(Peer{"central", central, "storepulse-central", access}));
    return common::OkStatus();
  };
  const CommandLine line{view.command, view.usage, options, view.details};
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<json> answer = client->GetJson(view.path);
  if (!answer.ok()) {
    io.err << "storepulse " << view.command << ": " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  return Show(view, as_json, *answer, io);
}

}  // namespace storepulse::cli
