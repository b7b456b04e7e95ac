#include "cli/enroll_command.h"

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "central/stores_file.h"
#include "cli/atomic_file.h"
#include "cli/command_line.h"
#include "cli/conf_values.h"
#include "cli/key_pair_files.h"
#include "common/config/host_port.h"
#include "common/time_zone.h"
#include "common/transport/curve_keys.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse enroll — make this store server an edge of central, in one command.\n"
    "\n"
    "Usage: storepulse enroll --store ID --central HOST:PORT --central-key FILE\n"
    "                         [--region R] [--zone TZ] [--name NAME] [--area-m2 N]\n"
    "                         [--config-dir DIR] [--data-dir DIR] [--force] [--json]";

constexpr std::string_view kDetails =
    "Writes, in --config-dir (/etc/storepulse):\n"
    "  edge.key, edge.pub  this edge's CURVE key pair (the secret mode 0600, given to the\n"
    "                      service user storepulse when it exists)\n"
    "  central.pub         central's public key, copied from --central-key\n"
    "  edge.conf           store, timezone, central-endpoint, central-public-key and\n"
    "                      secret-key-file set below their listing; every comment kept\n"
    "then prints the line central's stores file needs, as the command to run at central\n"
    "(storepulse stores add LINE), and what to run here next.\n"
    "\n"
    "Everything is checked before anything is written: the store id, the zone, central's\n"
    "public key. Existing edge keys, another central.pub, or an edge.conf that already sets\n"
    "one of those keys to something else are never overwritten (the store may be enrolled\n"
    "already): --force replaces them, keeping old keys aside as *.replaced-<time>.\n"
    "\n"
    "Exit status: 0 enrolled; 1 refused (already enrolled, without --force) or a file cannot be\n"
    "written; 2 usage error (a bad store id, zone or central key).\n"
    "\n"
    "Example:\n"
    "  storepulse enroll --store S042 --central central.example:7600 \\\n"
    "      --central-key /tmp/central.pub --region FR-North --zone Europe/Paris\n";

struct EnrollFlags {
  std::string store;
  std::string central;
  std::string central_key;
  std::string region;
  std::string zone;
  std::string name;
  double area_m2 = 0;
  std::string config_dir = "/etc/storepulse";
  std::string data_dir;
  std::string user = "storepulse";
  bool force = false;
  bool json = false;
};

po::options_description EnrollOptions(EnrollFlags* f) {
  po::options_description options;
  options.add_options()
      ("store", po::value(&f->store)->required(),
       "this store's id: 1-64 letters, digits, '.', '_' or '-'")
      ("central", po::value(&f->central)->required(),
       "central's replication endpoint, HOST:PORT (port 7600 by default at central)")
      ("central-key", po::value(&f->central_key)->required(),
       "central's public key file (central.pub of storepulse keygen --central)")
      ("region", po::value(&f->region), "the store's region, for central's stores file")
      ("zone", po::value(&f->zone),
       "the store's IANA time zone (default: this machine's, else UTC)")
      ("name", po::value(&f->name), "the store's name at central (default: its id)")
      ("area-m2", po::value(&f->area_m2), "the store's sales area in m² (default: unknown)")
      ("config-dir", po::value(&f->config_dir)->default_value(f->config_dir),
       "where edge.conf and the keys are written")
      ("data-dir", po::value(&f->data_dir),
       "the edge's data directory, written into edge.conf (default: the edge's own)")
      ("user", po::value(&f->user)->default_value(f->user),
       "the service user given the secret key, if it exists")
      ("force", po::bool_switch(&f->force),
       "replace existing keys, central.pub and the enrolment keys of edge.conf")
      ("json", po::bool_switch(&f->json), "print the outcome as one JSON object");
  return options;
}

// This machine's zone, from the /etc/localtime link; UTC when there is none.
std::string MachineZone() {
  std::error_code ec;
  const std::string target = fs::read_symlink("/etc/localtime", ec).string();
  const size_t at = target.find("zoneinfo/");
  if (ec || at == std::string::npos) return "UTC";
  const std::string zone = target.substr(at + 9);
  return common::TimeZone::Load(zone).ok() ? zone : "UTC";
}

common::Status CheckText(const std::string& flag, const std::string& value) {
  for (const unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return common::InvalidArgument(flag + " holds a control character or a line break");
    }
  }
  return common::OkStatus();
}

common::Status CheckFlags(EnrollFlags& f) {
  static const std::regex kStoreId("[A-Za-z0-9._-]{1,64}");
  if (!std::regex_match(f.store, kStoreId)) {
    return common::InvalidArgument("--store \"" + f.store +
                                   "\": a store id is 1-64 letters, digits, '.', '_' or '-'");
  }
  std::string central = f.central;
  if (central.rfind("tcp://", 0) == 0) central.erase(0, 6);
  std::string host;
  int port = 0;
  if (!common::SplitHostPort(central, &host, &port).ok() || host.empty() || host == "*" ||
      port <= 0) {
    return common::InvalidArgument("--central \"" + f.central +
                                   "\": central's replication endpoint as HOST:PORT, e.g. "
                                   "central.example:7600");
  }
  f.central = "tcp://" + central;
  if (f.zone.empty()) f.zone = MachineZone();
  if (auto zone = common::TimeZone::Load(f.zone); !zone.ok()) {
    return common::InvalidArgument("--zone: " + zone.status().message());
  }
  if (!(f.area_m2 >= 0)) return common::InvalidArgument("--area-m2 must be a number >= 0");
  if (f.name.empty()) f.name = f.store;
  RETURN_IF_ERROR(CheckText("--name", f.name));
  RETURN_IF_ERROR(CheckText("--region", f.region));
  return common::OkStatus();
}

// Central's public key from --central-key, which must be a .pub file.
common::StatusOr<std::string> ReadCentralKey(const std::string& path) {
  const std::string what = "--central-key " + path + ": ";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return common::InvalidArgument(what + "not a file (central.pub, from central's "
                                          "storepulse keygen --central)");
  }
  if (fs::path(path).extension() == ".key") {
    return common::InvalidArgument(what + "this is a secret key, which never leaves its "
                                          "machine: give central's .pub file");
  }
  auto key = common::LoadCurvePublicKey(path);
  if (!key.ok() || !common::IsZ85Key(*key)) {
    return common::InvalidArgument(what + "not a CURVE public key (one line of 40 Z85 "
                                          "characters, as central.pub holds)");
  }
  return key;
}

// Where enroll writes, all under --config-dir.
struct EnrollPaths {
  std::string dir, key_prefix, secret_key, public_key, central_pub, conf;
};

EnrollPaths PathsIn(const std::string& config_dir) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(config_dir, ec).lexically_normal();
  std::string dir = (ec ? fs::path(config_dir) : absolute).string();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return {dir, dir + "/edge", dir + "/edge.key", dir + "/edge.pub", dir + "/central.pub",
          dir + "/edge.conf"};
}

ConfValues EdgeConfValues(const EnrollFlags& f, const EnrollPaths& p) {
  ConfValues values = {{"store", f.store},
                       {"timezone", f.zone},
                       {"central-endpoint", f.central},
                       {"central-public-key", p.central_pub},
                       {"secret-key-file", p.secret_key}};
  if (!f.data_dir.empty()) values.emplace_back("data-dir", f.data_dir);
  return values;
}

// What must hold before anything is written; the new edge.conf text.
common::StatusOr<std::string> Preflight(const EnrollFlags& f, const EnrollPaths& p,
                                        const std::string& central_key) {
  if (!f.force) {
    for (const std::string& file : {p.secret_key, p.public_key}) {
      std::error_code ec;
      if (fs::exists(fs::symlink_status(file, ec))) {
        return common::FailedPrecondition(
            file + " exists already: this server may be enrolled (its public key is in "
                   "central's stores file). Not overwriting it; --force replaces the pair "
                   "and keeps the old one aside");
      }
    }
    std::error_code ec;
    auto installed = common::LoadCurvePublicKey(p.central_pub);
    if (fs::exists(p.central_pub, ec) && (!installed.ok() || *installed != central_key)) {
      return common::FailedPrecondition(p.central_pub +
                                        " holds another central key; --force replaces it");
    }
  }
  // The stores line is checked by the parser central reads it with, before anything is written
  // (central's key stands in for the edge's, not made yet: the same shape).
  central::StoreEntry entry{f.store, central_key, f.name, f.region,
                            *common::TimeZone::Load(f.zone), f.area_m2};
  RETURN_IF_ERROR(central::ParseStoresFileLine(central::FormatStoresFileLine(entry)).status());
  auto conf = ReadWholeFile(p.conf);
  if (!conf.ok() && conf.status().code() != common::StatusCode::kNotFound) return conf.status();
  auto text = SetConfValues(conf.ok() ? *conf : std::string(), EdgeConfValues(f, p), f.force);
  if (!text.ok()) {
    return common::FailedPrecondition(p.conf + ": " + text.status().message() +
                                      ". Not changing a configured edge; --force sets it");
  }
  return text;
}

std::string ShellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

struct Enrolled {
  std::string public_key;
  std::string stores_line;
  bool key_chowned = false;
  std::string warning;  // the secret key could not be given to the service user
};

common::StatusOr<Enrolled> WriteAll(const EnrollFlags& f, const EnrollPaths& p,
                                    const std::string& central_key, const std::string& conf,
                                    CommandIo& io) {
  std::error_code ec;
  fs::create_directories(p.dir, ec);
  if (ec) return common::Unavailable("cannot create " + p.dir + ": " + ec.message());
  Enrolled done;
  ASSIGN_OR_RETURN(common::CurveKeyPair pair, WriteNewKeyPair(p.key_prefix, f.force, "enroll",
                                                              io.err));
  done.public_key = pair.public_key;
  if (common::Status given = GiveSecretKeyTo(p.secret_key, f.user, &done.key_chowned);
      !given.ok()) {
    done.warning = given.message();
  }
  RETURN_IF_ERROR(ReplaceFileAtomically(p.central_pub, central_key + "\n", 0644));
  RETURN_IF_ERROR(ReplaceFileAtomically(p.conf, conf, 0644));
  central::StoreEntry entry{f.store, pair.public_key, f.name, f.region,
                            *common::TimeZone::Load(f.zone), f.area_m2};
  done.stores_line = central::FormatStoresFileLine(entry);
  return done;
}

void PrintText(const EnrollFlags& f, const EnrollPaths& p, const Enrolled& done, CommandIo& io) {
  io.out << "Enrolled store " << f.store << " on this server (time zone " << f.zone << "):\n"
         << "  " << p.secret_key << "  secret key, mode 0600"
         << (done.key_chowned ? ", owned by " + f.user : std::string()) << "\n"
         << "  " << p.public_key << "  public key " << done.public_key << "\n"
         << "  " << p.central_pub << "  central's public key\n"
         << "  " << p.conf << "  store, timezone, central-endpoint (" << f.central
         << "), keys\n";
  if (!done.warning.empty()) io.err << "storepulse enroll: WARNING: " << done.warning << "\n";
  io.out << "\n1. At central, add the store (as root):\n"
         << "     storepulse stores add " << ShellQuoted(done.stores_line) << "\n"
         << "2. Here, check and start the edge:\n"
         << "     storepulse check-config --edge-config " << p.conf
         << " && systemctl restart storepulse-edge\n"
         << "   It connects within seconds of step 1 (it retries every 5 s meanwhile);\n"
         << "   storepulse fleet at central shows it online.\n";
}

void PrintJson(const EnrollFlags& f, const EnrollPaths& p, const Enrolled& done, CommandIo& io) {
  nlohmann::json out = {
      {"store", f.store},
      {"timezone", f.zone},
      {"central_endpoint", f.central},
      {"public_key", done.public_key},
      {"files",
       {{"secret_key", p.secret_key},
        {"public_key", p.public_key},
        {"central_public_key", p.central_pub},
        {"config", p.conf}}},
      {"secret_key_owner", done.key_chowned ? nlohmann::json(f.user) : nlohmann::json()},
      {"warning", done.warning.empty() ? nlohmann::json() : nlohmann::json(done.warning)},
      {"stores_line", done.stores_line},
      {"central_command", "storepulse stores add " + ShellQuoted(done.stores_line)},
      {"next_command", "storepulse check-config --edge-config " + p.conf +
                           " && systemctl restart storepulse-edge"}};
  io.out << out.dump(2) << "\n";
}

}  // namespace

int RunEnroll(const std::vector<std::string>& args, CommandIo& io) {
  EnrollFlags flags;
  const po::options_description options = EnrollOptions(&flags);
  const CommandLine line{"enroll", kUsage, options, kDetails};
  std::string central_key;
  auto check = [&](const po::variables_map&) -> common::Status {
    RETURN_IF_ERROR(CheckFlags(flags));
    ASSIGN_OR_RETURN(central_key, ReadCentralKey(flags.central_key));
    return common::OkStatus();
  };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  const EnrollPaths paths = PathsIn(flags.config_dir);
  common::StatusOr<std::string> conf = Preflight(flags, paths, central_key);
  common::StatusOr<Enrolled> done =
      conf.ok() ? WriteAll(flags, paths, central_key, *conf, io) : conf.status();
  if (!done.ok()) {
    io.err << "storepulse enroll: " << done.status().message() << "\n";
    return done.status().code() == common::StatusCode::kInvalidArgument ? kExitUsage
                                                                         : kExitFailed;
  }
  if (flags.json) {
    PrintJson(flags, paths, *done, io);
  } else {
    PrintText(flags, paths, *done, io);
  }
  return kExitOk;
}

}  // namespace storepulse::cli
