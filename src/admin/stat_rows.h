#pragma once
// The rows of `show stat`, the stats page's tables and its CSV: one row per
// frontend, listener ("option socket-stats"), server and backend, proxy after proxy in the order of
// their ids (the configuration's), each with HAProxy 2.6's fields (stat_fields.h). Built from the
// live counters when asked for; nothing is kept between builds.
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "admin/stat_fields.h"
#include "backend/backend.h"
#include "stream/frontend.h"

namespace hearth {
class EventLoop;
}

namespace hearth::admin {

// Idle connections of one server summed over the threads' pools.
struct PoolThreadStats {
  size_t idle = 0, safe = 0, unsafe = 0;
  uint64_t stale = 0;  // caught dead while idle (pools, reuse checks, private ones)
};

// Returns: per server of `servers`, its idle connections summed over the
// threads' pools, read without stopping them (each count has one writer, its
// thread), and the stale ones caught.
std::vector<PoolThreadStats> read_pool_stats(const std::vector<backend::Server*>& servers);

// kListener: a bind line of a frontend with "option socket-stats".
enum class StatType { kFrontend = 0, kBackend = 1, kServer = 2, kListener = 3 };

struct StatRow {
  StatType type = StatType::kFrontend;
  std::array<std::string, kStatFieldCount> f;  // "" where the field has no value
  backend::Backend* be = nullptr;              // the backend of a server or backend row
  backend::Server* srv = nullptr;              // a server row's server
};

// One proxy as the stats show it: a frontend, a backend, or both (listen).
struct StatProxy {
  std::string name;
  int id = 0;
  stream::Frontend* fe = nullptr;
  backend::Backend* be = nullptr;
};

struct StatSources {
  std::vector<stream::Frontend*> frontends;
  std::vector<backend::Backend*> backends;
  int global_maxconn = 0;  // a frontend's slim when it has no maxconn of its own
  // Runs fn later on every worker's own thread, without waiting (the stats
  // page runs on a worker, which cannot wait for the others); null: none.
  std::function<void(const std::function<void()>& fn)> post_all;
  // The worker loops, whose published figures any thread may read (process
  // figures of the exporter); empty: none.
  std::vector<const EventLoop*> loops;
};

// Returns: the proxies of `src`, a listen's two halves joined, ordered by id.
std::vector<StatProxy> stat_proxies(const StatSources& src);

// What a build includes besides the counters.
struct StatOptions {
  bool show_addr = true;  // the servers' addr column (the CLI; the page with show-legends)
  // Per-server pool figures, in the order of the proxies' servers;
  // null: the pool columns are left empty (read_pool_stats gives them).
  const std::vector<PoolThreadStats>* pools = nullptr;
};

// Returns: the rows of `px`: FRONTEND, its servers, BACKEND (those it has).
// *pool_index is the position of px's first server in opt.pools and is moved past them.
std::vector<StatRow> stat_rows(const StatProxy& px, const StatSources& src, const StatOptions& opt,
                               size_t* pool_index);

// Returns: the CSV header line of HAProxy 2.6 ("# pxname,...,\n").
std::string stat_csv_header();
// Returns: `row` as one CSV line (quoted where a field holds a comma or a quote).
std::string stat_csv_line(const StatRow& row);

}  // namespace hearth::admin
