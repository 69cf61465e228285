#pragma once
// The runtime API: HAProxy's stats-socket protocol (one command per line, the
// answer ends with an empty line). Commands read live state; the per-thread parts
// (idle pools, streams, descriptors) are collected on each worker's own thread
// through `on_threads`.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "admin/check_commands.h"
#include "admin/server_edit_commands.h"
#include "admin/stat_rows.h"
#include "backend/backend.h"
#include "config/enums.h"
#include "core/event_loop.h"
#include "stream/frontend.h"

namespace hearth::admin {

// "user", "operator" or "admin"; cli_level_of: anything else is user.
const char* cli_level_name(config::CliLevel level);
config::CliLevel cli_level_of(std::string_view name);

// What one CLI connection carries from a command to the next.
struct CliSession {
  config::CliLevel level = config::CliLevel::kUser;  // the socket's, lowered by "operator"/"user"
  bool experimental = false;                         // "experimental-mode on"
  std::string payload;  // the lines after "CMD <<", for the command running
};

class RuntimeApi {
 public:
  // Runs fn(thread_index) on every worker thread and returns when all are done.
  using OnThreads = std::function<void(const std::function<void(int)>& fn)>;

  RuntimeApi(std::vector<backend::Backend*> backends, std::vector<stream::Frontend*> frontends,
             int nthreads, OnThreads on_threads);

  // What "show info" tells about the process besides its counters.
  struct ProcessInfo {
    long ulimit_n = 0;        // the open-file limit in effect
    int maxconn = 0;          // the global maxconn in effect
    std::string node;         // "node", else the host name
    std::string description;  // "description"; empty: not shown
    int mem_limit_mb = 0;     // -m: the memory limit (0: none)
  };
  void set_process_info(ProcessInfo info) { info_ = std::move(info); }
  // What "add server" and "del server" use (null: they are refused).
  // Requires: set before any command runs.
  void set_server_editor(ServerEditor* e) { editor_ = e; }

  // Executes one command line. Returns: the answer text (ends with "\n").
  // admin=false refuses commands that change state.
  std::string execute(const std::string& line, bool admin);
  // The same within a CLI session whose modes commands may change. Commands
  // of concurrent clients run one at a time.
  std::string execute(const std::string& line, CliSession& session);
  // Returns: the proxies and limits the stats rows are built from.
  StatSources stat_sources() const;
  // The worker threads' loops, by thread index, read without waiting for them
  // (show info, the exporter). Unset, the API learns them on their threads.
  void set_worker_loops(std::vector<const EventLoop*> loops) { loops_ = std::move(loops); }
  // Runs fn on every worker thread later, without waiting (StatSources::post_all).
  void set_post_all(std::function<void(const std::function<void()>&)> post_all) {
    post_all_ = std::move(post_all);
  }

 private:
  std::string help() const;
  // Runs fn on one worker thread (through on_threads_) and waits.
  OnThread on_thread() const;
  std::string show_info(const std::vector<std::string>& w);
  std::string show_servers_conn(const std::string& backend_filter);
  std::string show_pools() const;
  std::string show_stat(const std::vector<std::string>& w);
  std::string show_metrics();
  std::string set_server_state(const std::string& target, bool enable);
  // The worker threads' loops, by thread index (learnt at the first call).
  const std::vector<const EventLoop*>& worker_loops();
  // Per-server idle pool figures summed over threads.
  std::vector<PoolThreadStats> collect_pool_stats(const std::vector<backend::Server*>& servers);

  std::vector<backend::Backend*> backends_;
  std::vector<stream::Frontend*> frontends_;
  int nthreads_;
  ProcessInfo info_;
  OnThreads on_threads_;
  std::function<void(const std::function<void()>&)> post_all_;
  int64_t start_ms_;
  int64_t start_wall_s_;
  std::mutex exec_mu_;  // one command at a time, whichever client sent it
  std::vector<const EventLoop*> loops_;
  ServerEditor* editor_ = nullptr;
};

}  // namespace hearth::admin
