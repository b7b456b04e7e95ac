// CurveZMQ key pairs as files: `P.key` holds the secret key (mode 0600), `P.pub` the public key,
// each as one line of Z85 text (40 characters). Written by `storepulse keygen --out P`.
// Stateless functions; thread-safe.
#pragma once

#include <string>

#include "common/status.h"

namespace storepulse::common {

struct CurveKeyPair {
  std::string public_key;  // Z85, 40 characters
  std::string secret_key;  // Z85, 40 characters
};

StatusOr<CurveKeyPair> GenerateCurveKeyPair();
// Writes P.key (0600) and P.pub; refuses to overwrite an existing P.key.
Status WriteCurveKeyPair(const std::string& prefix, const CurveKeyPair& pair);
// Reads a secret key file and derives its public key.
StatusOr<CurveKeyPair> LoadCurveSecretKey(const std::string& path);
// A public key given as Z85 text, or as the path of a .pub file.
StatusOr<std::string> LoadCurvePublicKey(const std::string& text_or_path);
bool IsZ85Key(const std::string& text);

}  // namespace storepulse::common
