#include "central/pg_connection.h"

#include <poll.h>

#include <charconv>
#include <chrono>
#include <cstring>


namespace storepulse::central {

namespace {

std::string Trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The status a failed statement maps to, from its SQLSTATE (PostgreSQL appendix A).
common::Status StatusFor(std::string_view sqlstate, const std::string& message) {
  const std::string_view error_class = sqlstate.substr(0, std::min<size_t>(2, sqlstate.size()));
  if (error_class == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") {
    return common::Unavailable(message);
  }
  if (error_class == "53") return common::ResourceExhausted(message);  // disk full, out of memory
  if (sqlstate == "22003") return common::OutOfRange(message);         // bigint out of range
  if (sqlstate == "23505") return common::AlreadyExists(message);      // unique violation
  if (error_class == "28") return common::PermissionDenied(message);
  return common::Internal(message);
}

}  // namespace

int64_t PgResult::integer(int row, int column) const {
  std::string_view value = text(row, column);
  int64_t out = 0;
  std::from_chars(value.data(), value.data() + value.size(), out);
  return out;
}

std::string PgResult::bytes(int row, int column) const {
  size_t length = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)), &length);
  if (raw == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

int64_t PgResult::affected() const {
  const char* count = PQcmdTuples(result_.get());
  int64_t out = 0;
  std::from_chars(count, count + std::strlen(count), out);
  return out;
}

PgParams& PgParams::text(std::string_view value) {
  values_.emplace_back(value);
  is_null_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::integer(int64_t value) { return text(std::to_string(value)); }

PgParams& PgParams::bytes(std::string_view value) {
  values_.emplace_back(value);
  is_null_.push_back(0);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::null() {
  values_.emplace_back();
  is_null_.push_back(1);
  formats_.push_back(0);
  return *this;
}

common::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const std::string& conninfo) {
  // Defaults first: what `conninfo` says overrides them (expand_dbname).
  // TCP keepalives and a user timeout: a server or a network that stops answering (a dead host,
  // a half-open socket) ends the connection in about 30 s instead of the kernel's ~2 h.
  const char* keywords[] = {"connect_timeout",
                            "application_name",
                            "keepalives",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "tcp_user_timeout",
                            "dbname",
                            nullptr};
  const char* values[] = {"5",     "storepulse-central", "1",    "10", "5", "3",
                          "30000", conninfo.c_str(),     nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return common::Unavailable("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    const bool refused = message.find("password") != std::string::npos ||
                         message.find("authentication") != std::string::npos ||
                         message.find("role") != std::string::npos;
    std::string text = "cannot connect to PostgreSQL: " + message;
    return refused ? common::PermissionDenied(
                         text + " (check the role in --database and its password: passfile= in "
                                "the URL or PGPASSFILE)")
                   : common::Unavailable(text);
  }
  // Bare counts and timestamps: the same text whatever the server's locale settings.
  PGresult* set = PQexec(conn, "SET client_min_messages = warning");
  PQclear(set);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

common::StatusOr<PgResult> PgConnection::Check(PGresult* result, std::string_view what) {
  PgResult owned(result);
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) {
    return owned;
  }
  const char* sqlstate = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string message = "cannot " + std::string(what) + ": " +
                        Trimmed(result == nullptr ? PQerrorMessage(conn_)
                                                  : PQresultErrorMessage(result));
  if (sqlstate == nullptr) {
    return PQstatus(conn_) == CONNECTION_OK ? common::Internal(message)
                                            : common::Unavailable(message);
  }
  return StatusFor(sqlstate, message);
}

common::StatusOr<PgResult> PgConnection::Exec(const std::string& sql, std::string_view what) {
  return Check(PQexec(conn_, sql.c_str()), what);
}

common::StatusOr<PgResult> PgConnection::Exec(const std::string& sql, const PgParams& params,
                                              std::string_view what) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  lengths.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(params.is_null_[i] ? nullptr : params.values_[i].data());
    lengths.push_back(static_cast<int>(params.values_[i].size()));
  }
  return Check(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                            values.data(), lengths.data(), params.formats_.data(), 0),
               what);
}

common::StatusOr<PgResult> PgConnection::ExecWithin(const std::string& sql, const PgParams& params,
                                                    std::string_view what, int64_t timeout_ms) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(params.is_null_[i] ? nullptr : params.values_[i].data());
    lengths.push_back(static_cast<int>(params.values_[i].size()));
  }
  if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                        lengths.data(), params.formats_.data(), 0) != 1) {
    return Check(nullptr, what);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (PQisBusy(conn_)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (left <= 0 || poll(&fd, 1, static_cast<int>(left)) <= 0) {
      broken_ = true;  // a query is still pending on it: make a new connection
      return common::Unavailable("cannot " + std::string(what) +
                                 ": PostgreSQL did not answer within " +
                                 std::to_string(timeout_ms) + " ms");
    }
    if (PQconsumeInput(conn_) == 0) return Check(nullptr, what);
  }
  PGresult* last = nullptr;
  while (PGresult* result = PQgetResult(conn_)) {
    if (last != nullptr) PQclear(last);
    last = result;
  }
  return Check(last, what);
}

common::Status PgConnection::CopyIn(const std::string& copy_sql, std::string_view data,
                                    std::string_view what) {
  RETURN_IF_ERROR(Exec(copy_sql, what).status());
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    return common::Unavailable("cannot " + std::string(what) + ": " +
                               Trimmed(PQerrorMessage(conn_)));
  }
  common::Status status = common::OkStatus();
  while (PGresult* result = PQgetResult(conn_)) {
    auto checked = Check(result, what);
    if (!checked.ok() && status.ok()) status = checked.status();
  }
  return status;
}

common::StatusOr<bool> PgConnection::AwaitNotification(int64_t timeout_ms, int wake_fd) {
  auto drain = [this] {
    bool any = false;
    while (PGnotify* notify = PQnotifies(conn_)) {
      PQfreemem(notify);
      any = true;
    }
    return any;
  };
  if (PQconsumeInput(conn_) == 0) {
    return common::Unavailable("PostgreSQL connection lost: " + Trimmed(PQerrorMessage(conn_)));
  }
  if (drain()) return true;
  pollfd fds[2] = {{PQsocket(conn_), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  if (fds[0].fd < 0) return common::Unavailable("PostgreSQL connection lost");
  if (poll(fds, wake_fd < 0 ? 1 : 2, static_cast<int>(timeout_ms)) <= 0) return false;
  if (!(fds[0].revents & POLLIN)) return false;
  if (PQconsumeInput(conn_) == 0) {
    return common::Unavailable("PostgreSQL connection lost: " + Trimmed(PQerrorMessage(conn_)));
  }
  return drain();
}

void AppendCopyText(std::string_view value, std::string* out) {
  for (char c : value) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(c);
    }
  }
}

void AppendCopyBytes(std::string_view value, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\\\x");
  for (unsigned char c : value) {
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
  }
}

}  // namespace storepulse::central
