// The product catalogue the edge holds (common/reference/catalogue.h): the reference document
// `catalogue` central last sent (edge/reference_store.h), parsed once per version — tens of
// thousands of SKUs are not re-parsed per KPI query — and shared by every query until a new
// version arrives. Offline-first: what was received is used, with its age, while central is away.
// Thread-safe (one cache per process, behind a mutex: a process reads one edge database).
#pragma once

#include <memory>

#include "common/reference/catalogue.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// The catalogue `db` holds, or nullptr when it holds none (or holds one that cannot be read: the
// log says why, and the KPIs are those of an edge without a catalogue).
// REQUIRES: an edge database (read-only is enough); inside the caller's read snapshot when the
// answer must agree with the rest of the query.
std::shared_ptr<const common::Catalogue> HeldCatalogue(SQLite::Database& db);

}  // namespace storepulse::edge
