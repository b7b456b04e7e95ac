// `storepulse ingest --format <connector> FILE`: a file in a source's own format (a till's POSLog
// export, a counter's CSV, a saved webhook) sent whole to the edge's
// POST /api/v1/connectors/<name>, and the edge's answer shown per source record
// (docs/CONNECTORS.md).
#pragma once

#include <string>
#include <string_view>

#include "cli/command.h"
#include "cli/http_access.h"

namespace storepulse::cli {

struct ConnectorImport {
  std::string file;
  std::string connector;  // poslog, shopify, odoo, xovis, axis, footfallcam, csv
  std::string mapping;    // for csv: the edge's mapping name
  std::string edge;
  std::string token;      // the producer token, or empty
  std::string shopify_secret;  // for shopify: signs the body as Shopify does
  bool json = false;
  HttpAccessFlags access = {};  // the CA to trust for an https:// edge
};

// Whether `format` names a connector ("csv" only with a mapping: without one it is the CLI's own
// CSV of event columns).
bool IsConnectorFormat(std::string_view format, bool has_mapping);
// The connectors' names, for --help and errors.
std::string_view ConnectorFormatNames();

int RunConnectorImport(const ConnectorImport& import, CommandIo& io);

}  // namespace storepulse::cli
