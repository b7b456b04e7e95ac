#include "central/central_day_figures.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/event_codec.h"
#include "common/store/sqlite_errors.h"

namespace storepulse::central {

common::StatusOr<common::DayFigures> ReadCentralDayFigures(SQLite::Database& db,
                                                           const std::string& store,
                                                           const common::TimeZone& zone,
                                                           int64_t local_day) {
  try {
    common::DayFiguresBuilder builder;
    SQLite::Statement q(db, "SELECT body FROM events WHERE store = ? AND ts >= ? AND ts < ?");
    q.bind(1, store);
    q.bind(2, zone.LocalDayStartMs(local_day));
    q.bind(3, zone.LocalDayStartMs(local_day + 1));
    while (q.executeStep()) {
      const SQLite::Column body = q.getColumn(0);
      auto event = common::DecodeStored(
          std::string_view(static_cast<const char*>(body.getBlob()), body.getBytes()));
      if (!event.ok()) return event.status();
      RETURN_IF_ERROR(builder.Add(*event));
    }
    return builder.Finish();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(db, e, "read a day's events");
  }
}

}  // namespace storepulse::central
