#include "bench/synthetic_events.h"

#include <cstdio>

#include "common/event_codec.h"

namespace storepulse::bench {

namespace {

// SplitMix64: a cheap, well-mixed hash of the event number, the source of every choice.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// prefix + rest. (Not "literal" + std::string: g++ 12 -O3 warns falsely there, -Wrestrict.)
std::string Join(std::string prefix, std::string_view rest) {
  prefix.append(rest);
  return prefix;
}

std::string Padded(const char* format, int64_t value) {
  char text[32];
  std::snprintf(text, sizeof text, format, static_cast<long long>(value));
  return text;
}

common::Channel SaleChannel(uint64_t h) {
  switch (h % 20) {
    case 0: case 1: return common::Channel::kWeb;
    case 2: return common::Channel::kClickCollect;
    case 3: return common::Channel::kMobile;
    default: return common::Channel::kStore;
  }
}

std::vector<common::Line> Basket(uint64_t h, int max_lines) {
  std::vector<common::Line> lines(1 + h % max_lines);
  for (size_t i = 0; i < lines.size(); ++i) {
    uint64_t l = Mix(h + i);
    lines[i].sku = Padded("SKU-%05lld", static_cast<int64_t>(l % 5000));
    lines[i].qty = 1 + static_cast<int64_t>((l >> 16) % 3);
    lines[i].unit_price = 199 + static_cast<int64_t>((l >> 24) % 9800);
    lines[i].discount = (l >> 40) % 5 == 0 ? lines[i].qty * lines[i].unit_price / 10 : 0;
  }
  return lines;
}

void FillSale(uint64_t h, int till, common::Event* e) {
  e->type = common::EventType::kSale;
  e->txn = Join("T", std::string_view(e->id).substr(e->id.find('-') + 1));
  e->channel = SaleChannel(h >> 8);
  e->till = Join("till", std::to_string(till));
  e->employee = Padded("E%03lld", static_cast<int64_t>((h >> 12) % 40));
  if ((h >> 20) % 5 < 2) e->customer = Padded("C%07lld", static_cast<int64_t>((h >> 24) % 200000));
  e->lines = Basket(h >> 32, 4);
}

void FillReturn(uint64_t h, common::Event* e) {
  e->type = common::EventType::kReturn;
  e->txn = Join("R", std::string_view(e->id).substr(e->id.find('-') + 1));
  e->original_txn = Padded("T%09lld", static_cast<int64_t>((h >> 8) % 1000000000));
  e->original_channel = (h >> 40) % 4 == 0 ? common::Channel::kWeb : common::Channel::kStore;
  e->reason = "wrong size";
  e->employee = Padded("E%03lld", static_cast<int64_t>((h >> 12) % 40));
  e->lines = Basket(h >> 32, 1);
}

}  // namespace

common::Event MakeEvent(const std::string& store, int till, int64_t n, int64_t ts_ms) {
  uint64_t h = Mix(static_cast<uint64_t>(n) * 131 + static_cast<uint64_t>(till));
  common::Event e;
  e.id = Join(Join(Join(store, "-till"), std::to_string(till)), Join("-", Padded("%09lld", n)));
  e.ts_ms = ts_ms;
  uint64_t kind = h % 100;
  if (kind < 88) {
    FillSale(h, till, &e);
  } else if (kind < 95) {
    FillReturn(h, &e);
  } else {
    e.type = common::EventType::kFootfall;
    e.sensor = Join("door-", std::to_string(1 + (h >> 8) % 2));
    e.period_s = 900;
    e.in = static_cast<int64_t>((h >> 16) % 60);
    e.out = static_cast<int64_t>((h >> 24) % 60);
  }
  return e;
}

std::vector<common::Event> MakeEvents(const EventRange& range) {
  std::vector<common::Event> events;
  events.reserve(range.count);
  for (size_t i = 0; i < range.count; ++i) {
    int64_t n = range.first_n + static_cast<int64_t>(i);
    events.push_back(MakeEvent(range.store, range.till, n,
                               range.first_ts_ms + static_cast<int64_t>(i) * range.step_ms));
  }
  return events;
}

void StoredRows::Add(const common::Event& event) {
  Row row;
  row.ts_ms = event.ts_ms;
  row.value = event.type == common::EventType::kSale ? event.LinesValue() : 0;
  row.id_offset = bytes.size();
  row.id_size = event.id.size();
  bytes += event.id;
  row.body_offset = bytes.size();
  common::AppendStored(event, &bytes);
  row.body_size = bytes.size() - row.body_offset;
  rows.push_back(row);
}

}  // namespace storepulse::bench
