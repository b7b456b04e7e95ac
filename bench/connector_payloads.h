// What the connectors bench posts: a people counter's FootfallCam CSV export and a till's POSLog
// XML export, each close to the largest body a connector takes (kMaxConnectorBodyBytes). Made
// from a seed, so every run posts the same bytes; every time is fixed, in the past, and written
// as UTC wall-clock time (the bench's edges run in UTC: an export without offsets is ambiguous
// on a fall-back night, which is not what is measured here). Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace storepulse::bench {

struct ConnectorPayload {
  std::string connector;     // "footfallcam", "poslog": the path's last part
  std::string content_type;  // as the device sends it
  std::string body;
  size_t records = 0;  // source records: CSV rows, POSLog transactions
};

// `rows` rows, `counters` counters (CounterId 1…counters) × rows / counters consecutive 15-minute
// intervals ending at 2026-11-01 00:00 UTC, in the export's order (by time, then counter). Counts
// follow the hour: up to 49 a quarter in opening hours, at most 3 at night.
ConnectorPayload FootfallCamCsv(size_t rows, size_t counters, uint64_t seed);

// One POSLog document of finished sale transactions shaped like the tests' basket.xml, as many as
// fit in `max_bytes`: store S1, tills 1–8 in turn, from 2026-10-01 at 09:00 every 5 minutes per
// till; 3–5 sale lines each (a fifth with a RetailPriceModifier discount, a tenth marked down),
// one transaction in eight with an extra voided line, a tax and a tender line, a customer id on
// two in five.
ConnectorPayload PoslogXml(size_t max_bytes, uint64_t seed);

}  // namespace storepulse::bench
