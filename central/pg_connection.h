// One libpq connection to central's PostgreSQL, with results and errors as the project's
// StatusOr. Statements go through Exec with their parameters (text, or binary for bytea),
// never spliced into the SQL. Not thread-safe: one connection per thread.
//
// Errors map to status codes by SQLSTATE: a lost or refused connection is Unavailable (retry may
// help), a full disk ResourceExhausted, a bigint overflow OutOfRange, a wrong password
// PermissionDenied; the message names what was being done and PostgreSQL's own words.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace storepulse::central {

// A query's rows. Values are read as text (the default result format).
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string_view text(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<size_t>(PQgetlength(result_.get(), row, column))};
  }
  int64_t integer(int row, int column) const;
  // A bytea column, decoded from PostgreSQL's text form (\x hex).
  std::string bytes(int row, int column) const;
  // Rows a command touched (INSERT, UPDATE, DELETE).
  int64_t affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// The parameters of one statement, $1, $2, … in the order they are added.
class PgParams {
 public:
  PgParams& text(std::string_view value);
  PgParams& integer(int64_t value);
  PgParams& bytes(std::string_view value);  // bytea, sent in binary
  PgParams& null();
  size_t size() const { return values_.size(); }

 private:
  friend class PgConnection;
  std::vector<std::string> values_;
  std::vector<char> is_null_;
  std::vector<int> formats_;
};

class PgConnection {
 public:
  // `conninfo`: a libpq URL or key=value string. Unavailable when the server cannot be reached,
  // PermissionDenied when it refuses the role or the password.
  static common::StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` (one statement, or several without parameters). `what` names the work in errors:
  // "cannot <what>: <PostgreSQL's message>".
  common::StatusOr<PgResult> Exec(const std::string& sql, std::string_view what);
  common::StatusOr<PgResult> Exec(const std::string& sql, const PgParams& params,
                                  std::string_view what);
  // The same, waiting at most `timeout_ms` for the answer: Unavailable after it, and the
  // connection is then no longer ok() (a query is still pending on it). For the threads that
  // must not hang on a server that stops answering.
  common::StatusOr<PgResult> ExecWithin(const std::string& sql, const PgParams& params,
                                        std::string_view what, int64_t timeout_ms);
  // COPY … FROM STDIN with `data` in COPY's text format.
  common::Status CopyIn(const std::string& copy_sql, std::string_view data, std::string_view what);

  // LISTEN channel first (Exec); then waits up to `timeout_ms` for a notification, or for
  // `wake_fd` (an eventfd, -1: none) to be readable, and drops the notifications received. True
  // when one came. Unavailable when the connection is lost.
  common::StatusOr<bool> AwaitNotification(int64_t timeout_ms, int wake_fd = -1);
  // False once the connection is lost: make a new one.
  bool ok() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  common::StatusOr<PgResult> Check(PGresult* result, std::string_view what);
  PGconn* conn_;
  bool broken_ = false;  // an ExecWithin gave up waiting
};

// Appends `value` to COPY text-format data, escaped (backslash, tab, newline, carriage return).
void AppendCopyText(std::string_view value, std::string* out);
// Appends bytea as COPY text: \\x and hex digits.
void AppendCopyBytes(std::string_view value, std::string* out);

}  // namespace storepulse::central
