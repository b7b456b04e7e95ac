// A file of reference documents published as they are (--documents-file): a JSON object
//   {"KIND": {"STORE": {"KEY": ROW, …}, "*": {…}}, …}
// where "*" is the document of every store without one of its own. For tests and tools: the
// catalogue, the targets, the context and the reports have sources of their own. Read at the start
// and on SIGHUP; a bad file is refused whole with the reason (the previous one stays published).
#pragma once

#include <string>
#include <vector>

#include "common/reference/reference_document.h"
#include "common/status.h"

namespace storepulse::central {

struct FileDocument {
  std::string kind;
  std::string store;  // "" for every store
  common::DocumentRows rows;
};

// InvalidArgument naming the kind and store for a kind that is not 1 to 32 letters a-z or '_',
// a document that is not an object, an empty key; Unavailable when the file cannot be read.
common::StatusOr<std::vector<FileDocument>> LoadDocumentsFile(const std::string& path);

}  // namespace storepulse::central
