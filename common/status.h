// Status and StatusOr<T>: how fallible calls report errors across module borders (STYLE rule 4).
//
// A Status is either OK or a code with a human-readable message that says what went wrong and, where
// possible, what to do. Values are cheap to move and safe to share between threads once built.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace storepulse::common {

enum class StatusCode {
  kOk,
  kInvalidArgument,    // bad input from a user or producer
  kNotFound,
  kAlreadyExists,
  kResourceExhausted,  // disk nearly full, batch too large
  kUnavailable,        // a peer or a file cannot be reached right now; retry may help
  kPermissionDenied,   // wrong key, wrong store, missing token
  kFailedPrecondition,
  kOutOfRange,         // a total that would leave the range of its integer (checked_math.h)
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) {
  return {StatusCode::kAlreadyExists, std::move(m)};
}
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status OutOfRange(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design, as in abseil
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;  // OK whenever value_ is set
  std::optional<T> value_;
};

}  // namespace storepulse::common

#define STOREPULSE_CONCAT_INNER(a, b) a##b
#define STOREPULSE_CONCAT(a, b) STOREPULSE_CONCAT_INNER(a, b)

// Returns from the current function when `expr` yields a non-OK Status.
#define RETURN_IF_ERROR(expr)                                     \
  do {                                                            \
    ::storepulse::common::Status _sp_status = (expr);             \
    if (!_sp_status.ok()) return _sp_status;                      \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, StatusOrExpr)`: binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr)                                        \
  auto STOREPULSE_CONCAT(_sp_or_, __LINE__) = (expr);                      \
  if (!STOREPULSE_CONCAT(_sp_or_, __LINE__).ok())                          \
    return STOREPULSE_CONCAT(_sp_or_, __LINE__).status();                  \
  lhs = std::move(STOREPULSE_CONCAT(_sp_or_, __LINE__)).value()
