#include "cli/http_access.h"

#include <boost/program_options.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

std::string Trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

po::options_description HttpAccessOptions(HttpAccessFlags* flags, bool read_token) {
  po::options_description options;
  if (read_token) {
    options.add_options()("read-token-file", po::value(&flags->read_token_file),
                          "file holding the daemon's read token (its --read-token-file); "
                          "default: the token in $STOREPULSE_READ_TOKEN, if set");
  }
  options.add_options()
      ("ca-file", po::value(&flags->ca_file),
       "for https:// URLs, the PEM certificate of the CA to trust (a self-signed daemon "
       "certificate is its own CA); default: $STOREPULSE_CA_FILE, else the system's CAs");
  return options;
}

common::StatusOr<HttpAccess> LoadHttpAccess(const HttpAccessFlags& flags) {
  HttpAccess access;
  if (!flags.read_token_file.empty()) {
    std::ifstream in(flags.read_token_file);
    if (!in) {
      return common::InvalidArgument("cannot read --read-token-file " + flags.read_token_file);
    }
    std::getline(in, access.read_token);
    access.read_token = Trimmed(access.read_token);
    if (access.read_token.empty()) {
      return common::InvalidArgument("--read-token-file " + flags.read_token_file + " is empty");
    }
  } else {
    access.read_token = Trimmed(Env("STOREPULSE_READ_TOKEN"));
  }
  const bool from_flag = !flags.ca_file.empty();
  access.ca_file = from_flag ? flags.ca_file : Env("STOREPULSE_CA_FILE");
  if (!access.ca_file.empty() && !std::ifstream(access.ca_file)) {
    return common::InvalidArgument(std::string("cannot read ") +
                                   (from_flag ? "--ca-file " : "STOREPULSE_CA_FILE ") +
                                   access.ca_file);
  }
  return access;
}

}  // namespace storepulse::cli
