#include "common/transport/curve_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <zmq.h>

namespace storepulse::common {

namespace {

std::string Trimmed(std::string text) {
  while (!text.empty() && isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot read the key file " + path);
  std::string line;
  std::getline(in, line);
  line = Trimmed(line);
  if (!IsZ85Key(line)) {
    return InvalidArgument("the key file " + path +
                           " does not hold a 40-character Z85 key (make one with storepulse keygen)");
  }
  return line;
}

Status WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return errno == EEXIST ? FailedPrecondition(path + " exists already; not overwriting a key")
                           : Unavailable("cannot create " + path + ": " + strerror(errno));
  }
  std::string line = text + "\n";
  bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = fsync(fd) == 0 && ok;
  close(fd);
  return ok ? OkStatus() : Unavailable("cannot write " + path);
}

}  // namespace

bool IsZ85Key(const std::string& text) {
  if (text.size() != 40) return false;
  uint8_t decoded[32];
  return zmq_z85_decode(decoded, text.c_str()) != nullptr;
}

StatusOr<CurveKeyPair> GenerateCurveKeyPair() {
  char public_key[41], secret_key[41];
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    return FailedPrecondition("this libzmq has no CURVE support (libsodium missing?)");
  }
  return CurveKeyPair{public_key, secret_key};
}

Status WriteCurveKeyPair(const std::string& prefix, const CurveKeyPair& pair) {
  std::error_code ec;
  auto parent = std::filesystem::path(prefix).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  RETURN_IF_ERROR(WriteFile(prefix + ".key", pair.secret_key, 0600));
  return WriteFile(prefix + ".pub", pair.public_key, 0644);
}

StatusOr<CurveKeyPair> LoadCurveSecretKey(const std::string& path) {
  ASSIGN_OR_RETURN(std::string secret, ReadKeyFile(path));
  char public_key[41];
  if (zmq_curve_public(public_key, secret.c_str()) != 0) {
    return InvalidArgument("cannot derive the public key of " + path);
  }
  return CurveKeyPair{public_key, secret};
}

StatusOr<std::string> LoadCurvePublicKey(const std::string& text_or_path) {
  std::string text = Trimmed(text_or_path);
  if (IsZ85Key(text) && !std::filesystem::exists(text)) return text;
  return ReadKeyFile(text);
}

}  // namespace storepulse::common
