#include "bench/pg_server.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/bench_report.h"
#include "bench/child_process.h"

namespace storepulse::bench {

namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs bench/pg_server `verb` `dir` to its end (at most two minutes); its output goes to `log`.
common::Status RunScript(const std::string& verb, const std::string& dir, const std::string& log) {
  ASSIGN_OR_RETURN(auto script, ChildProcess::Spawn({STOREPULSE_PG_SERVER, verb, dir}, log));
  if (!WaitUntil([&] { return !script->Running(); }, std::chrono::minutes(2),
                 std::chrono::milliseconds(50))) {
    script->Stop();
    return common::Unavailable("bench/pg_server " + verb + " did not end in 2 minutes:\n" +
                               ReadAll(log));
  }
  if (int status = script->Stop(); status != 0) {
    return common::Unavailable("bench/pg_server " + verb + " failed (" + std::to_string(status) +
                               "):\n" + ReadAll(log));
  }
  return common::OkStatus();
}

// The URL `url` with its database (the path) replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}

}  // namespace

common::StatusOr<std::unique_ptr<PgServer>> PgServer::Start(const std::string& dir) {
  std::unique_ptr<PgServer> server(new PgServer(dir));
  // Its log outside `dir`, which the script makes anew. On any failure below, the destructor
  // stops whatever started.
  RETURN_IF_ERROR(RunScript("start", dir, dir + ".log"));
  server->url_ = ReadFirstLine(dir + "/url");
  if (server->url_.empty()) return common::Internal("bench/pg_server wrote no URL in " + dir);
  ASSIGN_OR_RETURN(central::PgConnection * admin, server->Admin());
  (void)admin;
  const std::string cluster = ReadFirstLine(dir + "/cluster");
  server->postmaster_ =
      static_cast<pid_t>(std::atol(ReadFirstLine(cluster + "/data/postmaster.pid").c_str()));
  Note("PostgreSQL 15 for the bench: " + server->url_);
  return server;
}

PgServer::~PgServer() {
  admin_.reset();
  if (common::Status stopped = RunScript("stop", dir_, dir_ + ".log"); !stopped.ok()) {
    Note("the bench's PostgreSQL did not stop: " + stopped.message());
  }
}

std::string PgServer::Url(const std::string& database) const {
  return WithDatabase(url_, database);
}

common::StatusOr<central::PgConnection*> PgServer::Admin() {
  if (admin_ == nullptr || !admin_->ok()) {
    ASSIGN_OR_RETURN(admin_, central::PgConnection::Connect(url_));
  }
  return admin_.get();
}

common::StatusOr<std::string> PgServer::CreateDatabase(const std::string& database) {
  ASSIGN_OR_RETURN(central::PgConnection * admin, Admin());
  ASSIGN_OR_RETURN(auto dropped,
                   admin->Exec("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)",
                               "drop the bench database"));
  (void)dropped;
  ASSIGN_OR_RETURN(auto created,
                   admin->Exec("CREATE DATABASE " + database, "create the bench database"));
  (void)created;
  return Url(database);
}

common::Status PgServer::StartOfRun() {
  ASSIGN_OR_RETURN(central::PgConnection * admin, Admin());
  ASSIGN_OR_RETURN(auto done, admin->Exec("CHECKPOINT", "checkpoint before a run"));
  ASSIGN_OR_RETURN(done,
                   admin->Exec("SELECT pg_stat_statements_reset()", "empty pg_stat_statements"));
  (void)done;
  return common::OkStatus();
}

common::StatusOr<int64_t> PgServer::WalPosition() {
  ASSIGN_OR_RETURN(central::PgConnection * admin, Admin());
  ASSIGN_OR_RETURN(auto row, admin->Exec("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
                                         "'0/0')::bigint",
                                         "read the WAL position"));
  return row.integer(0, 0);
}

common::StatusOr<nlohmann::json> PgServer::TopStatements(const std::string& database, int count) {
  ASSIGN_OR_RETURN(central::PgConnection * admin, Admin());
  ASSIGN_OR_RETURN(
      auto rows,
      admin->Exec("SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 100), calls, "
                  "round(total_exec_time)::bigint, round(mean_exec_time * 1000)::bigint, rows, "
                  "round(sum(total_exec_time) OVER ())::bigint "
                  "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                  "WHERE d.datname = $1 ORDER BY total_exec_time DESC LIMIT $2",
                  central::PgParams().text(database).integer(count), "read pg_stat_statements"));
  nlohmann::json top = nlohmann::json::array();
  int64_t total_ms = 0;
  for (int i = 0; i < rows.rows(); ++i) {
    top.push_back({{"query", std::string(rows.text(i, 0))},
                   {"calls", rows.integer(i, 1)},
                   {"total_ms", rows.integer(i, 2)},
                   {"mean_ms", static_cast<double>(rows.integer(i, 3)) / 1000.0},
                   {"rows", rows.integer(i, 4)}});
    total_ms = rows.integer(i, 5);
  }
  ASSIGN_OR_RETURN(auto commits,
                   admin->Exec("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s "
                               "JOIN pg_database d ON d.oid = s.dbid "
                               "WHERE d.datname = $1 AND s.query = 'COMMIT'",
                               central::PgParams().text(database), "count the commits"));
  return nlohmann::json{
      {"total_ms", total_ms}, {"commits", commits.integer(0, 0)}, {"top", std::move(top)}};
}

double PgServer::CpuSeconds() const {
  if (postmaster_ <= 0) return -1;
  double seconds = ProcessCpuSeconds(postmaster_, /*reaped_children=*/true);
  if (seconds < 0) return -1;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(name.c_str()));
    if (ParentOf(pid) == postmaster_) seconds += std::max(0.0, ProcessCpuSeconds(pid));
  }
  return seconds;
}

common::StatusOr<nlohmann::json> PgServer::Settings() {
  ASSIGN_OR_RETURN(central::PgConnection * admin, Admin());
  ASSIGN_OR_RETURN(
      auto rows,
      admin->Exec("SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                  "('server_version', 'shared_buffers', 'wal_buffers', 'max_wal_size', "
                  "'checkpoint_timeout', 'fsync', 'synchronous_commit', 'full_page_writes', "
                  "'wal_sync_method', 'wal_level', 'wal_compression', 'commit_delay') "
                  "ORDER BY name",
                  "read the server's settings"));
  nlohmann::json settings = nlohmann::json::object();
  for (int i = 0; i < rows.rows(); ++i) {
    settings[std::string(rows.text(i, 0))] = std::string(rows.text(i, 1));
  }
  return settings;
}

}  // namespace storepulse::bench
