// Shopify's webhook signature: the X-Shopify-Hmac-Sha256 header is the base64 of the HMAC-SHA256
// of the raw request body under the app's shared secret (the secret of --shopify-secret-file).
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::edge {

// base64(HMAC-SHA256(secret, body)): what Shopify sends for `body`.
std::string ShopifySignature(std::string_view secret, std::string_view body);

// OK when `signature` (the header's value, surrounding blanks ignored) is the signature of `body`;
// PermissionDenied otherwise. The comparison takes the same time wherever the first difference
// is, so a caller cannot find a valid signature byte by byte.
common::Status VerifyShopifySignature(std::string_view secret, std::string_view body,
                                      std::string_view signature);

}  // namespace storepulse::edge
