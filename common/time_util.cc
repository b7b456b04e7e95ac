#include "common/time_util.h"

#include <date/date.h>

#include <chrono>

namespace storepulse::common {
namespace {

// A strict cursor over "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" (RFC 3339 §5.6). Hand-written
// rather than date::parse, which caps the fraction at the target precision (rejecting the
// microseconds Python's isoformat() sends) and lets "+01" stand for an offset.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  // Reads exactly `count` digits.
  bool Digits(size_t count, int* value) {
    if (pos_ + count > text_.size()) return false;
    int v = 0;
    for (size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos_ += count;
    *value = v;
    return true;
  }
  // Consumes one character if it is one of `chars`; which one in `*got`.
  bool OneOf(std::string_view chars, char* got = nullptr) {
    if (pos_ >= text_.size() || chars.find(text_[pos_]) == std::string_view::npos) return false;
    if (got != nullptr) *got = text_[pos_];
    ++pos_;
    return true;
  }
  // Milliseconds of a fraction of 1–9 digits (the cursor sits after the '.'); extra digits
  // truncate.
  bool Fraction(int* ms) {
    int digits = 0;
    *ms = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (digits < 3) *ms = *ms * 10 + (text_[pos_] - '0');
      ++digits;
      ++pos_;
    }
    for (int d = digits; d < 3; ++d) *ms *= 10;
    return digits >= 1 && digits <= 9;
  }
  bool AtEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
  int offset_min = 0;  // east of UTC
};

bool ReadOffset(Cursor* in, Fields* f) {
  char sign = 0;
  if (in->OneOf("Zz")) return true;
  int hours = 0, minutes = 0;
  if (!in->OneOf("+-", &sign) || !in->Digits(2, &hours) || !in->OneOf(":") ||
      !in->Digits(2, &minutes) || hours > 23 || minutes > 59) {
    return false;
  }
  f->offset_min = (sign == '-' ? -1 : 1) * (hours * 60 + minutes);
  return true;
}

bool ReadFields(std::string_view text, Fields* f) {
  Cursor in(text);
  if (!in.Digits(4, &f->year) || !in.OneOf("-") || !in.Digits(2, &f->month) || !in.OneOf("-") ||
      !in.Digits(2, &f->day) || !in.OneOf("Tt") || !in.Digits(2, &f->hour) || !in.OneOf(":") ||
      !in.Digits(2, &f->minute) || !in.OneOf(":") || !in.Digits(2, &f->second)) {
    return false;
  }
  if (in.OneOf(".") && !in.Fraction(&f->ms)) return false;
  return ReadOffset(&in, f) && in.AtEnd() && f->hour <= 23 && f->minute <= 59 && f->second <= 59;
}

}  // namespace

StatusOr<int64_t> ParseRfc3339(std::string_view text) {
  Fields f;
  if (text.size() > 64 || !ReadFields(text, &f)) {
    return InvalidArgument("not an RFC 3339 timestamp: \"" + std::string(text.substr(0, 64)) +
                           "\"");
  }
  const date::year_month_day ymd{date::year{f.year}, date::month{static_cast<unsigned>(f.month)},
                                 date::day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok()) {
    return InvalidArgument("not an RFC 3339 timestamp (no such date): \"" + std::string(text) +
                           "\"");
  }
  using std::chrono::hours, std::chrono::minutes, std::chrono::seconds, std::chrono::milliseconds;
  const auto local = date::sys_days{ymd} + hours{f.hour} + minutes{f.minute} + seconds{f.second} +
                     milliseconds{f.ms};
  const auto utc = local - minutes{f.offset_min};
  return static_cast<int64_t>(
      std::chrono::duration_cast<milliseconds>(utc.time_since_epoch()).count());
}

std::string FormatRfc3339Utc(int64_t utc_ms) {
  date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds(utc_ms)};
  return date::format("%FT%TZ", tp);
}

int64_t MonotonicClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace storepulse::common
