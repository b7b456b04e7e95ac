// The `shopify` connector: Shopify's `orders/create` and `refunds/create` webhooks (JSON bodies
// of the Admin API's Order and Refund) → sale and return events; docs/CONNECTORS.md#shopify has
// the mapping, what is skipped and why, and how an edge takes only its own store's orders.
//
// Each request is one webhook. It authenticates itself: X-Shopify-Hmac-Sha256 must be the
// signature of the raw body under the app's shared secret (shopify_signature.h), otherwise the
// request is refused whole (401) and nothing of it is stored; the producer token is not asked.
//
// State: for each order it maps, "order:<id>" → {"channel":…, "customer":…} (JSON), because a
// refund's payload names neither: the refund's return gets the order's channel and customer, and
// an edge that takes only some locations' orders takes the refunds of the orders it took.
// Immutable after construction; thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

class ShopifyConnector final : public Connector {
 public:
  // `secret`: the app's shared secret; empty refuses every request (no secret, no trust).
  // `locations`: the Shopify location ids whose POS orders and refunds this edge takes, and
  // "web" for the online orders; empty takes every order of the shop.
  ShopifyConnector(std::string secret, std::set<std::string> locations);

  std::string_view name() const override { return "shopify"; }
  bool authenticates_itself() const override { return true; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;

 private:
  void MapOrder(const nlohmann::json& order, const ConnectorRequest& request,
                ConnectorOutput* out) const;
  void MapRefund(const nlohmann::json& refund, const ConnectorRequest& request,
                 ConnectorOutput* out) const;
  // Why this edge leaves an order or a refund to another edge's; nothing when it takes it.
  std::optional<std::string> NotOurOrder(const nlohmann::json& order, bool pos) const;
  std::optional<std::string> NotOurRefund(const nlohmann::json& refund,
                                          bool order_taken_here) const;

  const std::string secret_;
  const std::set<std::string> locations_;
};

}  // namespace storepulse::edge
