// Shopify's webhook signature: base64 of the HMAC-SHA256 of the raw body under the app's shared
// secret, sent as X-Shopify-Hmac-Sha256. The edge checks it; `storepulse ingest --format shopify`
// signs a saved webhook with it.
#pragma once

#include <string>
#include <string_view>

namespace storepulse::edge {

std::string ShopifySignature(std::string_view secret, std::string_view body);

// Whether `signature` is the body's, compared in constant time.
bool ShopifySignatureMatches(std::string_view secret, std::string_view body,
                             std::string_view signature);

}  // namespace storepulse::edge
