// What central sends its edges, over its own HTTP API, for head office and the tests: GET
// /api/v1/context?store=S (the store's current context document, as the edge serves it, with the
// version and when central published it), GET /api/v1/reports[?audience=A] (the reports every
// edge receives) and GET /api/v1/reports/NAME?scope= (one run over a scope: CentralReads::
// RunReport; `scope` defaults to network for a network report only). They read the document
// board (central/document_board.h); without one, 503.
// Handlers run on the HTTP server's threads.
#pragma once

#include "central/central_http_server.h"

namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::central {

// REQUIRES: `context` outlives the server.
void AddDocumentRoutes(common::GuardedHttpServer& server, const CentralHttpContext& context);

}  // namespace storepulse::central
