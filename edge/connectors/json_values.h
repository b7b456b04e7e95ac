// Reading values out of a source's JSON document: identifiers sent as numbers or as strings, and
// decimal amounts sent as strings ("19.99") or as JSON numbers (19.99) — exactly, with an error
// that names the value. Stateless.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::edge {

// How deep a source's JSON may nest: far beyond any source's payload (a Shopify order nests 6
// levels), far below what a stack or the edge's memory notices.
inline constexpr int kMaxSourceJsonDepth = 64;

// A request body as JSON. InvalidArgument "not JSON (at byte N)", or when it nests deeper than
// kMaxSourceJsonDepth: what nests deeper is never built, so a body of 4 MiB of '[' costs no
// tree, and no reader of the document (a dump in an error message, a copy) recurses a million
// levels deep into a hostile value and overflows its thread's stack.
common::StatusOr<nlohmann::json> ParseSourceJson(std::string_view body);

// object[key] when `object` is an object holding `key` with a value other than null; else
// nullptr (sources send null for "not set": Shopify's "customer": null, Odoo's false is kept).
const nlohmann::json* JsonField(const nlohmann::json& object, std::string_view key);

// An identifier: a non-empty string as it is, an integer in decimal ("450789469"); nothing for
// anything else (null, false, an empty string, a fraction, an object).
std::optional<std::string> JsonIdText(const nlohmann::json& value);

// A decimal amount as an integer count of 10^-digits units, by ParseDecimal's rules (exact; more
// decimal places than `digits` only when they are zeros). A string is read as it is; a JSON
// integer exactly; a JSON floating-point number through its decimal text to 15 significant
// digits — what a double holds exactly — so 19.99 reads "19.99", the decimal the source meant,
// also when its own float arithmetic left noise beyond that (0.30000000000000004 reads "0.3").
common::StatusOr<int64_t> JsonDecimal(const nlohmann::json& value, int digits);

}  // namespace storepulse::edge
