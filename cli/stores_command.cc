#include "cli/stores_command.h"

#include <grp.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "central/stores_file.h"
#include "cli/atomic_file.h"
#include "cli/command_line.h"
#include "cli/http_client.h"
#include "cli/program_runner.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse stores add — add a store to central's stores file and reload central.\n"
    "\n"
    "Usage: storepulse stores add 'STORE,PUBLIC_KEY,NAME,REGION,TIMEZONE,AREA_M2'\n"
    "                             [--stores-file F] [--pid PID | --no-reload]\n"
    "                             [--central URL] [--wait-s N] [--json]";

constexpr std::string_view kDetails =
    "The line is the one storepulse enroll printed on the store server. It is checked with\n"
    "central's own parser (key, zone, area), a store id or public key already in the file is\n"
    "refused, and the file is replaced atomically, keeping its owner and mode (a new file is\n"
    "made with its header, mode 0640, group storepulse). Then central re-reads it:\n"
    "  default      systemctl reload storepulse-central, if that unit is active\n"
    "  --pid PID    SIGHUP to that process (a central started by hand)\n"
    "  --no-reload  nothing: central reads the file when it next starts or reloads\n"
    "and central's fleet API (--central) is asked, for --wait-s seconds, whether it lists the\n"
    "store. A central that refuses the new file keeps its previous one and says why in its\n"
    "journal (journalctl -u storepulse-central).\n"
    "\n"
    "Exit status: 0 added (and central lists it, or could not be asked); 1 refused (already\n"
    "there, the file is broken or cannot be written) or central did not take the store;\n"
    "2 usage error (a bad line).\n"
    "\n"
    "Example:\n"
    "  storepulse stores add 'S042,Pn*2UPEDYu{=JD^K^MH!Ab*+Z%nv^vbT^vv!j<<E,Paris Rivoli,"
    "FR-North,Europe/Paris,850'\n";

struct StoresFlags {
  std::string action;
  std::string line;
  std::string stores_file = "/etc/storepulse/stores.csv";
  int pid = 0;
  bool no_reload = false;
  std::string central{kDefaultCentralUrl};
  int wait_s = 10;
  bool json = false;
  HttpAccessFlags access;  // central's read token and CA, to ask its fleet
};

po::options_description StoresOptions(StoresFlags* f) {
  po::options_description options;
  options.add_options()
      ("stores-file", po::value(&f->stores_file)->default_value(f->stores_file),
       "central's stores file (its --stores-file)")
      ("pid", po::value(&f->pid), "reload central by SIGHUP to this process, not through systemd")
      ("no-reload", po::bool_switch(&f->no_reload), "only change the file")
      ("central", po::value(&f->central)->default_value(f->central),
       "central's HTTP URL, asked whether it lists the store")
      ("wait-s", po::value(&f->wait_s)->default_value(f->wait_s),
       "how long central may take to list the store, in seconds (0: do not ask)")
      ("json", po::bool_switch(&f->json), "print the outcome as one JSON object");
  options.add(HttpAccessOptions(&f->access));
  return options;
}

common::Status CheckFlags(const StoresFlags& f) {
  if (f.action != "add") {
    return common::InvalidArgument(f.action.empty() ? "say what to do: stores add LINE"
                                                    : "unknown action \"" + f.action +
                                                          "\" (stores add LINE)");
  }
  if (f.line.empty()) return common::InvalidArgument("stores add needs the line to add");
  if (f.pid < 0) return common::InvalidArgument("--pid must be a process id");
  if (f.pid > 0 && f.no_reload) {
    return common::InvalidArgument("--pid and --no-reload exclude each other");
  }
  if (f.wait_s < 0 || f.wait_s > 600) return common::InvalidArgument("--wait-s: 0 to 600");
  return common::OkStatus();
}

// The stores file's text with `line` appended, checked whole; the file is created if missing.
// `*created` tells which.
common::StatusOr<std::string> AppendedText(const std::string& path, const std::string& line,
                                           const central::StoreEntry& entry, bool* created) {
  auto text = ReadWholeFile(path);
  *created = !text.ok() && text.status().code() == common::StatusCode::kNotFound;
  if (!text.ok() && !*created) return text.status();
  std::string before = *created ? std::string(central::kStoresFileHeader) + "\n" : *text;
  auto directory = central::StoreDirectory::Parse(before);
  if (!directory.ok()) {
    return common::FailedPrecondition(path + " is not valid as it is (" +
                                      directory.status().message() +
                                      "): fix it first; central keeps its previous copy meanwhile");
  }
  if ((*directory)->FindByStore(entry.store) != nullptr) {
    return common::AlreadyExists("store " + entry.store + " is already in " + path +
                                 ": nothing changed. To give it a new key, edit its line, then "
                                 "systemctl reload storepulse-central");
  }
  if (const central::StoreEntry* owner = (*directory)->FindByKey(entry.public_key)) {
    return common::AlreadyExists("this public key is already store " + owner->store + "'s in " +
                                 path + ": each edge needs its own key pair (storepulse enroll "
                                 "on the new store's server makes one)");
  }
  if (!before.empty() && before.back() != '\n') before += '\n';
  std::string after = before + line + "\n";
  RETURN_IF_ERROR(central::StoreDirectory::Parse(after).status());  // what central will read
  return after;
}

// A new stores file is root:storepulse 0640, as the package makes it (docs/OPERATIONS.md).
void GiveToServiceGroup(const std::string& path) {
  if (const group* g = getgrnam("storepulse")) {
    if (chown(path.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0) {
      // Not root: the file stays the caller's, which central may not read; check-config says so.
    }
  }
}

// How central was told; "" when it was not. A message for the human output in `*said`.
common::StatusOr<std::string> Reload(const StoresFlags& f, std::string* said) {
  if (f.no_reload) {
    *said = "central not told (--no-reload): systemctl reload storepulse-central when ready";
    return std::string();
  }
  if (f.pid > 0) {
    if (kill(f.pid, SIGHUP) != 0) {
      return common::FailedPrecondition("cannot send SIGHUP to process " +
                                        std::to_string(f.pid) + ": " + std::strerror(errno));
    }
    *said = "sent SIGHUP to central (process " + std::to_string(f.pid) + ")";
    return std::string("signal");
  }
  auto active = RunProgram({"systemctl", "is-active", "--quiet", "storepulse-central"},
                           std::chrono::seconds(30));
  if (!active.ok() || active->exit_status != 0) {
    *said = "storepulse-central is not running under systemd here: central reads the file when "
            "it starts (or reload it by hand: --pid PID, or kill -HUP)";
    return std::string();
  }
  auto reload =
      RunProgram({"systemctl", "reload", "storepulse-central"}, std::chrono::seconds(60));
  if (!reload.ok() || reload->exit_status != 0) {
    return common::FailedPrecondition(
        "systemctl reload storepulse-central failed: " +
        (reload.ok() ? reload->output : reload.status().message()));
  }
  *said = "reloaded storepulse-central (systemctl reload)";
  return std::string("systemd");
}

// Whether central's fleet lists `store`, asked until `wait_s` have passed: true, false (central
// answered, without it), or nothing when central could not be asked (`*why`).
std::optional<bool> CentralLists(const StoresFlags& f, const std::string& store, std::string* why) {
  auto client = HttpClient::Create(Peer{"central", f.central, "storepulse-central", f.access},
                                   HttpTimeouts{std::chrono::seconds(2), std::chrono::seconds(5)});
  if (!client.ok()) {
    *why = client.status().message();
    return std::nullopt;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(f.wait_s);
  std::optional<bool> seen;
  do {
    auto fleet = (*client)->GetJson("/api/v1/fleet");
    if (!fleet.ok()) {
      *why = fleet.status().message();
      seen.reset();
    } else {
      seen = false;
      for (const auto& row : fleet->value("stores", nlohmann::json::array())) {
        if (row.value("store", "") == store) return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling central's API
  } while (std::chrono::steady_clock::now() < deadline);
  return seen;
}

// Appends the line under the directory's lock; the file is made if missing (`*created`).
common::Status AddToFile(const StoresFlags& flags, const central::StoreEntry& entry,
                         bool* created) {
  const std::string parent = fs::path(flags.stores_file).parent_path().string();
  ASSIGN_OR_RETURN(DirectoryLock lock, DirectoryLock::Acquire(parent.empty() ? "." : parent));
  ASSIGN_OR_RETURN(std::string text, AppendedText(flags.stores_file, flags.line, entry, created));
  RETURN_IF_ERROR(ReplaceFileAtomically(flags.stores_file, text, 0640));
  if (*created) GiveToServiceGroup(flags.stores_file);
  return common::OkStatus();
}

// What happened once the line was in the file.
struct Outcome {
  std::string store;
  bool created = false;
  std::string said;                     // how central was told, for people
  common::StatusOr<std::string> reload;  // "systemd", "signal", "" (not told), or why it failed
  std::optional<bool> listed;           // central's fleet lists the store; nothing: not asked
  std::string why;                      // why central could not be asked
};

int Report(const StoresFlags& flags, const Outcome& o, CommandIo& io) {
  const bool asked = o.reload.ok() && !o.reload->empty() && flags.wait_s > 0;
  if (flags.json) {
    using nlohmann::json;
    io.out << json{{"store", o.store},
                   {"stores_file", flags.stores_file},
                   {"created", o.created},
                   {"reload", o.reload.ok() ? json(*o.reload) : json()},
                   {"central_lists_store", o.listed ? json(*o.listed) : json()},
                   {"error", o.reload.ok() ? json() : json(o.reload.status().message())}}
                  .dump(2)
           << "\n";
  } else {
    io.out << "Added store " << o.store << " to " << flags.stores_file
           << (o.created ? " (a new file)" : "") << "\n";
    if (o.reload.ok()) io.out << o.said << "\n";
    if (o.listed == true) io.out << "central lists store " << o.store << ": its edge may connect\n";
  }
  if (!o.reload.ok()) io.err << "storepulse stores: " << o.reload.status().message() << "\n";
  if (o.listed == false) {
    io.err << "storepulse stores: central does not list store " << o.store << " after "
           << flags.wait_s << " s: it kept its previous stores file? See its journal "
           << "(journalctl -u storepulse-central -e)\n";
  }
  if (asked && !o.listed) {
    io.err << "storepulse stores: could not ask central whether it lists the store (" << o.why
           << "); storepulse fleet shows it\n";
  }
  return !o.reload.ok() || o.listed == false ? kExitFailed : kExitOk;
}

}  // namespace

int RunStores(const std::vector<std::string>& args, CommandIo& io) {
  StoresFlags flags;
  po::options_description options = StoresOptions(&flags);
  const CommandLine line{"stores", kUsage, options, kDetails, "action", &flags.action};
  // `stores add LINE`: the action, then the line, both positional.
  std::vector<std::string> words = args;
  if (words.size() >= 2 && words[0] == "add" && words[1].rfind("--", 0) != 0) {
    flags.line = words[1];
    words.erase(words.begin() + 1);
  }
  auto check = [&](const po::variables_map&) { return CheckFlags(flags); };
  if (auto done = ReadCommandLine(line, words, io, check)) return *done;
  auto entry = central::ParseStoresFileLine(flags.line);
  if (!entry.ok()) {
    io.err << "storepulse stores: not a stores-file line (" << central::kStoresFileHeader
           << "): " << entry.status().message() << "\n";
    return kExitUsage;
  }
  bool created = false;
  if (common::Status added = AddToFile(flags, *entry, &created); !added.ok()) {
    io.err << "storepulse stores: " << added.message() << "\n";
    return kExitFailed;
  }
  std::string said;
  common::StatusOr<std::string> reload = Reload(flags, &said);
  Outcome outcome{entry->store, created, said, std::move(reload), std::nullopt, ""};
  if (outcome.reload.ok() && !outcome.reload->empty() && flags.wait_s > 0) {
    outcome.listed = CentralLists(flags, entry->store, &outcome.why);
  }
  return Report(flags, outcome, io);
}

}  // namespace storepulse::cli
