#include "bench/connector_payloads.h"

#include <chrono>
#include <cstdio>

namespace storepulse::bench {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

// SplitMix64: every choice of the generators derives from a hash of (seed, record).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// "2026-10-31" and "23:45:00" of a Unix time in seconds (UTC).
std::string DateOf(int64_t unix_s) {
  const std::chrono::year_month_day ymd{sys_days{days{unix_s / 86400}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::string TimeOf(int64_t unix_s) {
  const int64_t s = unix_s % 86400;
  char text[16];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return text;
}

int64_t UnixSeconds(sys_days day) {
  return std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count();
}

// Minor units as the till writes money: 1999 → "19.99".
std::string Money(int64_t cents) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  return text;
}

// Appends <name>text</name> on its own line, indented.
void Element(std::string& out, int indent, const char* name, const std::string& text) {
  out.append(static_cast<size_t>(indent), ' ');
  out += "<";
  out += name;
  out += ">";
  out += text;
  out += "</";
  out += name;
  out += ">\n";
}

// One sale LineItem; returns what the line was sold for (qty × unit price − discount).
int64_t SaleLine(std::string& out, uint64_t h, int sequence, bool voided) {
  const int64_t qty = 1 + static_cast<int64_t>((h >> 16) % 3);
  const int64_t regular = 99 + static_cast<int64_t>((h >> 24) % 4900);
  const uint64_t pricing = (h >> 40) % 10;
  const int64_t discount = pricing < 2 ? qty * regular / 10 : 0;  // a fifth: a modifier
  const int64_t actual = pricing == 2 ? regular * 8 / 10          // a tenth: a markdown
                                      : (qty * regular - discount) / qty;
  const int64_t value = discount > 0 ? qty * regular - discount : qty * actual;
  char sku[24];
  std::snprintf(sku, sizeof sku, "4006381%06llu", static_cast<unsigned long long>(h % 5000));
  out += voided ? "      <LineItem EntryMethod=\"Scanned\" VoidFlag=\"true\">\n"
                : "      <LineItem EntryMethod=\"Scanned\">\n";
  Element(out, 8, "SequenceNumber", std::to_string(sequence));
  out += "        <Sale ItemType=\"Stock\">\n";
  Element(out, 10, "ItemID", sku);
  Element(out, 10, "Description", "Item " + std::to_string(h % 5000));
  Element(out, 10, "RegularSalesUnitPrice", Money(regular));
  Element(out, 10, "ActualSalesUnitPrice", Money(actual));
  Element(out, 10, "ExtendedAmount", Money(value));
  out += "          <Quantity Units=\"1\" UnitOfMeasureCode=\"EA\">" + std::to_string(qty) +
         "</Quantity>\n";
  if (discount > 0) {
    out += "          <RetailPriceModifier>\n";
    Element(out, 12, "SequenceNumber", "1");
    out += "            <Amount Action=\"Subtract\">" + Money(discount) + "</Amount>\n";
    Element(out, 12, "ReasonCode", "PROMO10");
    out += "          </RetailPriceModifier>\n";
  }
  out += "        </Sale>\n      </LineItem>\n";
  return voided ? 0 : value;
}

// Transaction t: till 1 + t % 8, that till's transaction k = t / 8, 120 a day from 09:00.
std::string Transaction(size_t t, uint64_t seed) {
  const uint64_t h = Mix(seed ^ (0x100000000ULL + t));
  const size_t k = t / 8;
  const int64_t begin = UnixSeconds(sys_days{std::chrono::year{2026} / 10 / 1}) +
                        static_cast<int64_t>(k / 120) * 86400 + 9 * 3600 +
                        static_cast<int64_t>(k % 120) * 300 + static_cast<int64_t>(h % 60);
  const int64_t end = begin + 60 + static_cast<int64_t>((h >> 8) % 180);
  std::string out =
      "  <Transaction CancelFlag=\"false\" TrainingModeFlag=\"false\" "
      "OfflineFlag=\"false\">\n";
  Element(out, 4, "RetailStoreID", "S1");
  Element(out, 4, "WorkstationID", std::to_string(1 + t % 8));
  Element(out, 4, "SequenceNumber", std::to_string(1 + k));
  Element(out, 4, "BusinessDayDate", DateOf(begin));
  Element(out, 4, "BeginDateTime", DateOf(begin) + "T" + TimeOf(begin));
  Element(out, 4, "EndDateTime", DateOf(end) + "T" + TimeOf(end));
  const std::string operator_id = std::to_string(100 + (h >> 16) % 20);
  out += "    <OperatorID OperatorName=\"Operator " + operator_id + "\">" + operator_id +
         "</OperatorID>\n";
  Element(out, 4, "CurrencyCode", "EUR");
  out += "    <RetailTransaction TransactionStatus=\"Finished\">\n";
  const int lines = 3 + static_cast<int>((h >> 24) % 3);
  int sequence = 0;
  int64_t total = 0;
  for (int i = 0; i < lines; ++i) total += SaleLine(out, Mix(h + i + 1), ++sequence, false);
  if ((h >> 32) % 8 == 0) SaleLine(out, Mix(h + 99), ++sequence, true);
  out += "      <LineItem>\n";
  Element(out, 8, "SequenceNumber", std::to_string(++sequence));
  out += "        <Tax TaxType=\"VAT\">\n";
  Element(out, 10, "TaxableAmount", Money(total - total / 6));
  Element(out, 10, "Amount", Money(total / 6));
  Element(out, 10, "Percent", "20");
  out += "        </Tax>\n      </LineItem>\n      <LineItem>\n";
  Element(out, 8, "SequenceNumber", std::to_string(++sequence));
  out += (h >> 36) % 3 == 0 ? "        <Tender TenderType=\"Cash\" TypeCode=\"Sale\">\n"
                            : "        <Tender TenderType=\"CreditDebit\" TypeCode=\"Sale\">\n";
  Element(out, 10, "Amount", Money(total));
  out += "        </Tender>\n      </LineItem>\n";
  out += "      <Total TotalType=\"TransactionGrossAmount\">" + Money(total) + "</Total>\n";
  if ((h >> 44) % 5 < 2) {
    out += "      <Customer>\n";
    Element(out, 8, "CustomerID", "C-" + std::to_string((h >> 48) % 5000));
    out += "      </Customer>\n";
  }
  out += "    </RetailTransaction>\n  </Transaction>\n";
  return out;
}

}  // namespace

ConnectorPayload FootfallCamCsv(size_t rows, size_t counters, uint64_t seed) {
  ConnectorPayload p{"footfallcam", "text/csv", "ValueDateTime,ValueIn,ValueOut,CounterId\n", 0};
  const int64_t intervals = static_cast<int64_t>(rows / counters);
  const int64_t start = UnixSeconds(sys_days{std::chrono::year{2026} / 11 / 1}) - intervals * 900;
  p.body.reserve(rows * 28);
  for (int64_t i = 0; i < intervals; ++i) {
    const int64_t t = start + i * 900;
    const std::string when = DateOf(t) + " " + TimeOf(t) + ",";
    const int64_t hour = t % 86400 / 3600;
    const uint64_t range = hour >= 8 && hour < 20 ? 50 : 4;
    for (size_t c = 1; c <= counters; ++c) {
      const uint64_t h = Mix(seed ^ (static_cast<uint64_t>(i) * counters + c));
      p.body += when + std::to_string(h % range) + "," + std::to_string((h >> 20) % range) + "," +
                std::to_string(c) + "\n";
      ++p.records;
    }
  }
  return p;
}

ConnectorPayload PoslogXml(size_t max_bytes, uint64_t seed) {
  const std::string head =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<POSLog xmlns=\"http://www.nrf-arts.org/IXRetail/namespace/\"\n"
      "        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" MajorVersion=\"6\" "
      "MinorVersion=\"0\">\n";
  const std::string tail = "</POSLog>\n";
  ConnectorPayload p{"poslog", "application/xml", head, 0};
  p.body.reserve(max_bytes);
  for (;; ++p.records) {
    std::string transaction = Transaction(p.records, seed);
    if (p.body.size() + transaction.size() + tail.size() > max_bytes) break;
    p.body += transaction;
  }
  p.body += tail;
  return p;
}

}  // namespace storepulse::bench
