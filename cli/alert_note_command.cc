#include "cli/alert_note_command.h"

#include <unistd.h>

#include <cstdlib>

#include "cli/command_line.h"
#include "cli/http_client.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kAckUsage =
    "storepulse alerts ack — acknowledge an alert central has raised: someone is on it.\n"
    "\n"
    "Usage: storepulse alerts ack ID [--comment TEXT] [--by NAME] [--central URL] [--json]";

constexpr std::string_view kAckDetails =
    "ID is the alert's id as `storepulse alerts` lists it (store_offline/S042). The\n"
    "acknowledgement is shown with the alert (API, ops page) until the alert clears; it\n"
    "survives a restart of central. It does not stop delivery: silence does.\n"
    "\n"
    "Exit status: 0 acknowledged, 1 no such alert raised (or the request failed), 2 usage\n"
    "error, 3 central cannot be reached.\n"
    "\n"
    "Example:\n"
    "  storepulse alerts ack store_offline/S042 --comment \"power cut, electrician called\"\n";

constexpr std::string_view kSilenceUsage =
    "storepulse alerts silence — silence an alert central has raised until a time.\n"
    "\n"
    "Usage: storepulse alerts silence ID (--for DURATION | --until TIME) [--comment TEXT]\n"
    "                                 [--by NAME] [--central URL] [--json]";

constexpr std::string_view kSilenceDetails =
    "A silenced alert stays listed, marked silenced, but is not delivered to the webhook\n"
    "receivers (--alert-webhook) until the silence ends; the silence outlives the alert (a\n"
    "store that flaps stays silent) and survives a restart of central. DURATION: 45s, 90m, 2h,\n"
    "1d, 1h30m. TIME: RFC 3339, 2026-12-06T08:00:00+01:00.\n"
    "\n"
    "Exit status: 0 silenced, 1 no such alert raised (or the request failed), 2 usage error,\n"
    "3 central cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse alerts silence store_offline/S042 --for 2h --comment \"store refit\"\n"
    "  storepulse alerts silence disk_low/S007 --until 2026-12-06T08:00:00Z\n";

// Who acknowledges: the login name, at this host.
std::string DefaultBy() {
  const char* user = std::getenv("USER");
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(user != nullptr && *user ? user : "storepulse") + "@" + host;
}

struct NoteFlags {
  std::string id;
  std::string central{kDefaultCentralUrl};
  std::string comment;
  std::string by = DefaultBy();
  std::string for_text;
  std::string until;
  bool as_json = false;
  HttpAccessFlags access;  // central's read token and CA
};

po::options_description NoteOptions(NoteFlags* f, bool silence) {
  po::options_description options;
  if (silence) {
    options.add_options()("for", po::value(&f->for_text), "how long: 45s, 90m, 2h, 1d, 1h30m")(
        "until", po::value(&f->until), "until when (RFC 3339)");
  }
  options.add_options()("comment", po::value(&f->comment), "why, for the others on call")(
      "by", po::value(&f->by)->default_value(f->by, "$USER@host"), "who")(
      "central", po::value(&f->central)->default_value(f->central), "central's HTTP URL")(
      "json", po::bool_switch(&f->as_json), "print the alert as the API answers it");
  options.add(HttpAccessOptions(&f->access));
  return options;
}

int Send(const std::string& what, const std::string& path, const NoteFlags& f, json body,
         HttpClient& client, CommandIo& io) {
  body["id"] = f.id;
  body["by"] = f.by;
  if (!f.comment.empty()) body["comment"] = f.comment;
  common::StatusOr<HttpResponse> reply = client.Post(path, body.dump(), "application/json");
  common::Status status =
      !reply.ok() ? reply.status()
      : reply->status / 100 != 2 ? StatusFromHttp(client.peer(), reply->status, reply->body)
                                 : common::OkStatus();
  json alert = reply.ok() ? json::parse(reply->body, nullptr, false) : json();
  if (status.ok() && !alert.is_object()) status = common::Internal("central's answer is not JSON");
  if (!status.ok()) {
    io.err << "storepulse alerts " << what << ": " << status.message() << "\n";
    return status.code() == common::StatusCode::kInvalidArgument ? kExitFailed
                                                                 : ExitCodeFor(status);
  }
  if (f.as_json) {
    io.out << alert.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else if (what == "ack") {
    io.out << "acknowledged " << f.id << " (" << alert.value("severity", "") << ") by " << f.by
           << "\n";
  } else {
    io.out << "silenced " << f.id << " until " << alert.value("silenced_until", "") << "\n";
  }
  return kExitOk;
}

int RunNote(const std::vector<std::string>& args, CommandIo& io, bool silence) {
  NoteFlags f;
  const po::options_description options = NoteOptions(&f, silence);
  std::unique_ptr<HttpClient> client;
  int64_t for_s = 0;
  auto check = [&](const po::variables_map&) -> common::Status {
    if (f.id.empty()) return common::InvalidArgument("which alert? give its ID");
    if (silence && f.for_text.empty() == f.until.empty()) {
      return common::InvalidArgument("give either --for or --until");
    }
    if (!f.for_text.empty()) {
      ASSIGN_OR_RETURN(for_s, ParseDurationSeconds(f.for_text));
    }
    ASSIGN_OR_RETURN(
        client, HttpClient::Create(Peer{"central", f.central, "storepulse-central", f.access}));
    return common::OkStatus();
  };
  const CommandLine line{silence ? "alerts silence" : "alerts ack",
                         silence ? kSilenceUsage : kAckUsage,
                         options,
                         silence ? kSilenceDetails : kAckDetails,
                         "id",
                         &f.id};
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  if (!silence) return Send("ack", "/api/v1/alerts/ack", f, json::object(), *client, io);
  json body = json::object();
  if (for_s > 0) {
    body["for_s"] = for_s;
  } else {
    body["until"] = f.until;
  }
  return Send("silence", "/api/v1/alerts/silence", f, body, *client, io);
}

}  // namespace

common::StatusOr<int64_t> ParseDurationSeconds(std::string_view text) {
  int64_t total = 0;
  size_t i = 0;
  const auto bad = [&] {
    return common::InvalidArgument("\"" + std::string(text) +
                                   "\" is not a duration (45s, 90m, 2h, 1d, 1h30m)");
  };
  if (text.empty()) return bad();
  while (i < text.size()) {
    int64_t number = 0;
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && number < 1'000'000'000) {
      number = number * 10 + (text[i++] - '0');
    }
    if (i == start || i == text.size()) return bad();
    const char unit = text[i++];
    const int64_t scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600
                          : unit == 'd' ? 86'400 : 0;
    if (scale == 0) return bad();
    total += number * scale;
  }
  if (total <= 0) return bad();
  return total;
}

int RunAlertAck(const std::vector<std::string>& args, CommandIo& io) {
  return RunNote(args, io, false);
}

int RunAlertSilence(const std::vector<std::string>& args, CommandIo& io) {
  return RunNote(args, io, true);
}

}  // namespace storepulse::cli
