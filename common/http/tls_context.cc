#include "common/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace storepulse::common {
namespace {

// OpenSSL's reason for the last failure, or "" (and the error queue emptied either way).
std::string OpenSslReason() {
  const unsigned long error = ERR_peek_last_error();
  std::string reason;
  if (error != 0) {
    const char* text = ERR_reason_error_string(error);
    reason = text != nullptr ? text : "error " + std::to_string(error);
  }
  ERR_clear_error();
  return reason;
}

// OK when `path` can be opened for reading by this process.
Status CheckReadable(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    const int error = errno;
    return NotFound("cannot read " + flag + " " + path + ": " + std::strerror(error) +
                    (error == EACCES ? " (the daemon runs as the user storepulse: give that group "
                                       "read access)"
                                     : ""));
  }
  return OkStatus();
}

std::string Summary(SSL_CTX* ctx) {
  X509* cert = SSL_CTX_get0_certificate(ctx);
  if (cert == nullptr) return "";
  char subject[256] = "";
  X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
  std::string until;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    if (ASN1_TIME_print(bio, X509_get0_notAfter(cert)) == 1) {
      char* data = nullptr;
      const long n = BIO_get_mem_data(bio, &data);
      until.assign(data, static_cast<size_t>(n));
    }
    BIO_free(bio);
  }
  return std::string(subject) + ", valid until " + until;
}

}  // namespace

StatusOr<std::unique_ptr<TlsContext>> TlsContext::Load(const std::string& cert_file,
                                                       const std::string& key_file) {
  RETURN_IF_ERROR(CheckReadable("--tls-cert", cert_file));
  RETURN_IF_ERROR(CheckReadable("--tls-key", key_file));
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Internal("cannot create a TLS context: " + OpenSslReason());
  auto context = std::unique_ptr<TlsContext>(new TlsContext(ctx, ""));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A client closing without close_notify ends its input, as a plain TCP close does.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_IGNORE_UNEXPECTED_EOF);
  // Non-blocking writes that may take part of a buffer, as send() does (BoundedStream).
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // A key with a passphrase would make OpenSSL ask on the terminal: refuse it instead.
  SSL_CTX_set_default_passwd_cb(ctx, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return InvalidArgument("--tls-cert " + cert_file +
                           " holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\"): " +
                           OpenSslReason());
  }
  const auto mismatch = [&] {
    ERR_clear_error();
    return InvalidArgument("--tls-key " + key_file + " is not the key of the certificate in " +
                           "--tls-cert " + cert_file + " (a renewed certificate with the old key, "
                           "or the files of two different pairs)");
  };
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) return mismatch();
    return InvalidArgument("--tls-key " + key_file +
                           " holds no usable PEM private key (an encrypted key is not supported: "
                           "openssl pkey -in KEY -out KEY.plain): " +
                           OpenSslReason());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) return mismatch();
  context->summary_ = Summary(ctx);
  return context;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace storepulse::common
