#include "cli/keygen_command.h"

#include <filesystem>

#include "cli/command_line.h"
#include "cli/key_pair_files.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse keygen — a CurveZMQ key pair for an edge or for central.\n"
    "\n"
    "Usage: storepulse keygen --out PREFIX [--store ID | --central] [--force]";

constexpr std::string_view kDetails =
    "Writes PREFIX.key (the secret key, mode 0600: it never leaves this machine) and\n"
    "PREFIX.pub (the public key, one line of Z85 text), then prints the public key and where it\n"
    "goes: an edge's into central's stores file, central's into every edge's config\n"
    "(central-public-key). --store ID prints the stores-file line of that store.\n"
    "\n"
    "An existing PREFIX.key or PREFIX.pub is never overwritten: every peer that knows the old\n"
    "public key would be locked out (a new central key locks out every edge until each one gets\n"
    "the new central.pub). --force replaces the pair anyway, keeping the old files as\n"
    "PREFIX.key.replaced-<time> and PREFIX.pub.replaced-<time>, and warns.\n"
    "\n"
    "Exit status: 0 OK, 1 the pair exists already (without --force) or cannot be written,\n"
    "2 usage error.\n"
    "\n"
    "Examples:\n"
    "  storepulse keygen --out /etc/storepulse/central --central\n"
    "  storepulse keygen --out /etc/storepulse/edge --store S042\n";

struct KeygenFlags {
  std::string out;
  std::string store;
  bool central = false;
  bool force = false;
};

po::options_description KeygenOptions(KeygenFlags* f) {
  po::options_description options;
  options.add_options()("out", po::value(&f->out)->required(),
                        "PREFIX: writes PREFIX.key and PREFIX.pub")(
      "store", po::value(&f->store), "the key is this store's edge: print its stores-file line")(
      "central", po::bool_switch(&f->central), "the key is central's")(
      "force", po::bool_switch(&f->force), "replace an existing pair (keeps the old one aside)");
  return options;
}

common::Status CheckFlags(const KeygenFlags& flags) {
  const std::string name = fs::path(flags.out).filename().string();
  if (name.empty() || name == "." || name == "..") {
    return common::InvalidArgument("--out takes a file prefix, e.g. /etc/storepulse/edge");
  }
  const fs::path extension = fs::path(flags.out).extension();
  if (extension == ".key" || extension == ".pub") {
    return common::InvalidArgument("--out takes the prefix without .key/.pub: --out " +
                                   fs::path(flags.out).replace_extension().string() +
                                   " writes both files");
  }
  if (flags.central && !flags.store.empty()) {
    return common::InvalidArgument("--store and --central exclude each other");
  }
  if (flags.store.size() > 64 || flags.store.find_first_of(",\"\n") != std::string::npos) {
    return common::InvalidArgument("--store: a store id is 1–64 bytes, without commas or quotes");
  }
  return common::OkStatus();
}

void PrintEdgeHint(const std::string& key_path, const std::string& public_key,
                   const std::string& store, std::ostream& out) {
  out << "\nFor an edge: add this line to central's stores file (then systemctl reload "
         "storepulse-central),\nwith the store's name, region, IANA time zone and sales area:\n  "
      << (store.empty() ? "STORE_ID" : store) << "," << public_key
      << ",NAME,REGION,TIMEZONE,AREA_M2\n"
      << "and in the edge's config: secret-key-file = " << key_path << "\n";
}

void PrintCentralHint(const std::string& key_path, const std::string& pub_path, std::ostream& out) {
  out << "\nFor central: give " << fs::path(pub_path).filename().string()
      << " to every edge (copy it, or its text), set in each edge's config\n"
         "  central-public-key = /etc/storepulse/"
      << fs::path(pub_path).filename().string() << "   (or --central-public-key)\n"
      << "and in central's config: secret-key-file = " << key_path << "\n";
}

void PrintResult(const KeygenFlags& flags, const std::string& public_key, std::ostream& out) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(flags.out, ec);
  const std::string prefix = (ec ? fs::path(flags.out) : absolute).lexically_normal().string();
  const std::string key_path = prefix + ".key";
  const std::string pub_path = prefix + ".pub";
  out << "Wrote " << key_path << " (secret key, mode 0600: it never leaves this machine)\n"
      << "  and " << pub_path << " (public key)\n"
      << "Public key: " << public_key << "\n";
  if (!flags.central) PrintEdgeHint(key_path, public_key, flags.store, out);
  if (flags.store.empty()) PrintCentralHint(key_path, pub_path, out);
  out << "\nDaemons installed from the .deb run as user storepulse: chgrp storepulse " << key_path
      << " && chmod 0640 " << key_path << "\n";
}

}  // namespace

int RunKeygen(const std::vector<std::string>& args, CommandIo& io) {
  KeygenFlags flags;
  const po::options_description options = KeygenOptions(&flags);
  const CommandLine line{"keygen", kUsage, options, kDetails};
  auto check = [&](const po::variables_map&) { return CheckFlags(flags); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<common::CurveKeyPair> pair =
      WriteNewKeyPair(flags.out, flags.force, "keygen", io.err);
  if (!pair.ok()) {
    io.err << "storepulse keygen: " << pair.status().message() << "\n";
    return kExitFailed;
  }
  PrintResult(flags, pair->public_key, io.out);
  return kExitOk;
}

}  // namespace storepulse::cli
