// How the CLI reaches a daemon whose HTTP is locked down (docs/CLI.md, "HTTPS and tokens"): the
// read token it sends, and the certificate authority it trusts for https:// URLs. Every command
// that talks HTTP takes --read-token-file and --ca-file; without them the environment is read
// (STOREPULSE_READ_TOKEN holds the token itself, STOREPULSE_CA_FILE a file), so that a script sets
// them once. Plain values; LoadHttpAccess reads files and the environment, nothing else.
#pragma once

#include <string>

#include <boost/program_options/options_description.hpp>

#include "common/status.h"

namespace storepulse::cli {

// As given on the command line; empty: not given.
struct HttpAccessFlags {
  std::string read_token_file;
  std::string ca_file;
};

// What a client sends and trusts.
struct HttpAccess {
  std::string read_token;  // "Authorization: Bearer" on every request; empty: none
  std::string ca_file;     // PEM CA certificates to trust; empty: the system's (/etc/ssl/certs)
};

// --read-token-file (unless `read_token` is false: commands that only send events, with the
// producer's token) and --ca-file, bound to `flags`.
boost::program_options::options_description HttpAccessOptions(HttpAccessFlags* flags,
                                                              bool read_token = true);

// The flags, else the environment. InvalidArgument names an unreadable or empty file.
common::StatusOr<HttpAccess> LoadHttpAccess(const HttpAccessFlags& flags);

}  // namespace storepulse::cli
