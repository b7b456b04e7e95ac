#include "cli/key_pair_files.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/time_util.h"

namespace fs = std::filesystem;

namespace storepulse::cli {
namespace {

// The files of the pair at `prefix` that exist already (a dangling link counts).
std::vector<std::string> ExistingFiles(const std::string& prefix) {
  std::vector<std::string> existing;
  for (const char* suffix : {".key", ".pub"}) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(prefix + suffix, ec))) existing.push_back(prefix + suffix);
  }
  return existing;
}

// Renames each of `files` to "<file>.replaced-<UTC time>".
common::Status MoveAside(const std::vector<std::string>& files, std::ostream& warn) {
  std::string stamp;
  for (const char c : common::FormatRfc3339Utc(common::SystemClock().NowMs())) {
    if (c != '-' && c != ':') stamp += c;  // 20261122T101503.123Z
  }
  for (const std::string& file : files) {
    const std::string aside = file + ".replaced-" + stamp;
    std::error_code ec;
    fs::rename(file, aside, ec);
    if (ec) return common::Unavailable("cannot move " + file + " aside: " + ec.message());
    warn << "  kept the old " << file << " as " << aside << "\n";
  }
  return common::OkStatus();
}

common::Status ReplaceOrRefuse(const std::string& prefix, bool force, const std::string& command,
                               std::ostream& warn) {
  const std::vector<std::string> existing = ExistingFiles(prefix);
  if (existing.empty()) return common::OkStatus();
  if (!force) {
    return common::FailedPrecondition(
        existing[0] +
        " exists already; not overwriting a key: every peer that knows its public key would "
        "be locked out. Use another --out, or --force to replace the pair (the old one is "
        "kept aside)");
  }
  warn << "storepulse " << command << ": WARNING: replacing the key pair " << prefix
       << ".key/.pub. Whoever trusts the old public key is locked out until given the new one:\n"
          "  for central's key, every edge's central-public-key; for an edge's key, its line "
          "in central's stores file.\n";
  return MoveAside(existing, warn);
}

}  // namespace

common::StatusOr<common::CurveKeyPair> WriteNewKeyPair(const std::string& prefix, bool force,
                                                       const std::string& command,
                                                       std::ostream& warn) {
  ASSIGN_OR_RETURN(common::CurveKeyPair pair, common::GenerateCurveKeyPair());
  RETURN_IF_ERROR(ReplaceOrRefuse(prefix, force, command, warn));
  RETURN_IF_ERROR(common::WriteCurveKeyPair(prefix, pair));
  return pair;
}

common::Status GiveSecretKeyTo(const std::string& key_path, const std::string& user,
                               bool* chowned) {
  *chowned = false;
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (found == nullptr) return common::OkStatus();  // no service user here: root keeps it
  if (chown(key_path.c_str(), found->pw_uid, found->pw_gid) != 0) {
    return common::FailedPrecondition("cannot give " + key_path + " to user " + user + ": " +
                                      std::strerror(errno) + " (run as root, or: chown " + user +
                                      ":" + user + " " + key_path + ")");
  }
  *chowned = true;
  return common::OkStatus();
}

}  // namespace storepulse::cli
