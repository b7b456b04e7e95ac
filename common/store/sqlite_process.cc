#include "common/store/sqlite_process.h"

#include <sqlite3.h>

namespace storepulse::common {

void ConfigureSqliteForProcess() { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

}  // namespace storepulse::common
