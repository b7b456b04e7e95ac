#include "cli/command.h"

namespace storepulse::cli {

int ExitCodeFor(const common::Status& status) {
  switch (status.code()) {
    case common::StatusCode::kOk:
      return kExitOk;
    case common::StatusCode::kInvalidArgument:
      return kExitUsage;
    case common::StatusCode::kUnavailable:
      return kExitUnreachable;
    default:
      return kExitFailed;
  }
}

}  // namespace storepulse::cli
