#include "admin/process_info.h"

#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "admin/stats_json.h"
#include "admin/stats_socket.h"
#include "config/build_info.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/pool.h"
#include "net/connection.h"
#include "net/tls_stats.h"
#include "peers/section.h"
#include "peers/session.h"
#include "stream/accept_rate.h"
#include "stream/frontend.h"
#include "stream/http_stream.h"
#include "stream/log_sink.h"

namespace hearth::admin {
namespace {

std::string n(uint64_t v) { return std::to_string(v); }

// Sets the float form of the field named `name` (Hearth's rates are whole
// numbers: they print the same, typed flt).
void set_float(std::vector<InfoField>& f, const char* name, const std::string& v) {
  for (InfoField& x : f)
    if (std::string(x.name) == name) x.fvalue = v;
}

// HAProxy's uptime text: "2d 3h04m05s".
std::string uptime_text(int64_t s) {
  char b[64];
  snprintf(b, sizeof b, "%lldd %lldh%02lldm%02llds", static_cast<long long>(s / 86400),
           static_cast<long long>(s / 3600 % 24), static_cast<long long>(s / 60 % 60),
           static_cast<long long>(s % 60));
  return b;
}

// The loops' part of gather_process_figures.
void gather_loop_figures(const std::vector<const EventLoop*>& loops, ProcessFigures* p) {
  const int64_t now = MonotonicClock::instance()->now_ms();
  const BytesOutFigures others = unlooped_bytes_out(now);
  p->bytes_out = others.total;
  p->bytes_out_rate = others.last_1s;
  if (loops.empty()) return;
  int64_t tasks = 0, queued = 0, work_ns = 0;
  for (const EventLoop* loop : loops) {
    const LoopActivity& a = loop->activity();
    tasks += int64_t(a.timers_at_poll.load(std::memory_order_relaxed));
    queued += int64_t(a.tasklets_at_poll.load(std::memory_order_relaxed));
    work_ns += int64_t(a.work_1s.read(now));
    p->bytes_out += a.bytes_out.get();
    p->bytes_out_rate += a.bytes_out_1s.read(now);
  }
  p->tasks = tasks;
  p->run_queue = queued;
  const int64_t busy_pct = work_ns / (int64_t(loops.size()) * 10'000'000);  // of 1 s per loop
  p->idle_pct = int(busy_pct >= 100 ? 0 : 100 - busy_pct);
}

}  // namespace

ProcessFigures gather_process_figures(const std::vector<stream::Frontend*>& frontends,
                                      const std::vector<const EventLoop*>& loops, int nthreads,
                                      int64_t start_ms, int64_t start_wall_s,
                                      const RuntimeApi::ProcessInfo& info) {
  ProcessFigures p;
  const int64_t now = MonotonicClock::instance()->now_ms();
  p.nthreads = nthreads;
  p.uptime_s = (now - start_ms) / 1000;
  p.start_wall_s = start_wall_s;
  p.uptime_f = double(now - start_ms) / 1000.0;
  timeval tv{};
  gettimeofday(&tv, nullptr);
  p.start_wall_f = double(tv.tv_sec) + double(tv.tv_usec) / 1e6 - p.uptime_f;
  p.ulimit_n = info.ulimit_n;
  p.maxconn = stream::Frontend::global_maxconn();
  p.hard_maxconn = info.maxconn;
  for (stream::Frontend* f : frontends) {
    using T = stream::FrontendTallies;
    p.conns += f->counters.sum(&T::sessions);
    p.requests += f->counters.sum(&T::http_requests);
    size_t binds = 0;  // every thread has a socket of each bind line it serves
    for (const auto& per_thread : f->listeners_by_thread)
      binds = std::max(binds, per_thread.size());
    p.listeners += binds;
  }
  for (const PoolStats& s : BlockPool::all_stats()) {
    p.pool_failures += s.failures;
    p.pool_allocated += s.allocated * s.object_size;
    p.pool_used += s.used * s.object_size;
  }
  p.pipes = net::pipe_stats();
  p.listeners += size_t(StatsSocket::serving_count()) + size_t(peers::Section::listening_count());
  p.active_peers = peers::Session::active_count();
  p.connected_peers = peers::Session::connected_count();
  p.jobs = p.listeners + uint64_t(stream::Frontend::global_conns()) +
           uint64_t(StatsSocket::session_count()) + uint64_t(p.active_peers);
  p.stopping = stream::soft_stopping();
  gather_loop_figures(loops, &p);
  return p;
}

std::vector<InfoField> process_info_fields(const ProcessFigures& p,
                                           const RuntimeApi::ProcessInfo& info) {
  const net::TlsStats& tls = net::tls_stats();
  const int64_t loop_now = MonotonicClock::instance()->now_ms();
  const int64_t tls_now = tls.since_origin(loop_now);
  const uint64_t mb = 1024 * 1024;
  const stream::ProcessRates& pr = stream::process_rates();
  const int64_t now = loop_now;
  // One process serves (Nbproc); Process_num is the number "@N" the master
  // CLI reaches it by, 1 as in HAProxy 2.6 which has no nbproc. maxsslconn,
  // maxsslrate and maxcomprate are refused at load: their limits are 0
  // (none); nothing is compressed.
  std::vector<InfoField> f = {
      {0, "Name", "POS", "str", "hearth"},
      {1, "Version", "POS", "str", std::string(config::hearth_version())},
      {2, "Release_date", "POS", "str", std::string(config::hearth_release_date())},
      {3, "Nbthread", "CGS", "u32", n(uint64_t(p.nthreads))},
      {4, "Nbproc", "CGS", "u32", "1"},
      {5, "Process_num", "KGP", "u32", "1"},
      {6, "Pid", "SGP", "u32", n(uint64_t(getpid()))},
      {7, "Uptime", "MDP", "str", uptime_text(p.uptime_s)},
      {8, "Uptime_sec", "MDP", "u32", n(uint64_t(p.uptime_s))},
      {9, "Memmax_MB", "CLP", "u32", n(uint64_t(info.mem_limit_mb))},
      {10, "PoolAlloc_MB", "MGP", "u32", n(p.pool_allocated / mb)},
      {11, "PoolUsed_MB", "MGP", "u32", n(p.pool_used / mb)},
      {12, "PoolFailed", "MCP", "u32", n(p.pool_failures)},
      {13, "Ulimit-n", "CLP", "u32", n(uint64_t(p.ulimit_n))},
      {14, "Maxsock", "CLP", "u32", n(uint64_t(p.ulimit_n))},
      {15, "Maxconn", "CLP", "u32", n(uint64_t(p.maxconn))},
      {16, "Hard_maxconn", "CLP", "u32", n(uint64_t(p.hard_maxconn))},
      {17, "CurrConns", "MGP", "u32", n(uint64_t(stream::Frontend::global_conns()))},
      {18, "CumConns", "MCP", "u32", n(p.conns)},
      {19, "CumReq", "MCP", "u32", n(p.requests)},
      {20, "MaxSslConns", "MMP", "u32", "0"},
      {21, "CurrSslConns", "MGP", "u32", n(tls.cur_conns.load())},
      {22, "CumSslConns", "MCP", "u32", n(tls.cum_conns.load())},
      {23, "Maxpipes", "CLP", "u32", n(uint64_t(p.pipes.max))},
      {24, "PipesUsed", "MGP", "u32", n(uint64_t(p.pipes.used))},
      {25, "PipesFree", "MGP", "u32", n(uint64_t(p.pipes.free))},
      {26, "ConnRate", "MRP", "u32", n(pr.conns.rate(now))},
      {27, "ConnRateLimit", "CLP", "u32", n(pr.conn_limit.load())},
      {28, "MaxConnRate", "MMP", "u32", n(pr.conns.max())},
      {29, "SessRate", "MRP", "u32", n(pr.sess.rate(now))},
      {30, "SessRateLimit", "CLP", "u32", n(pr.sess_limit.load())},
      {31, "MaxSessRate", "MRP", "u32", n(pr.sess.max())},  // HAProxy 2.6's tags
      {32, "SslRate", "MRP", "u32", n(tls.fe_conns.rate(tls_now))},
      {33, "SslRateLimit", "CLP", "u32", n(pr.ssl_limit.load())},
      {34, "MaxSslRate", "MMP", "u32", n(tls.fe_conns.max())},
      {35, "SslFrontendKeyRate", "MGP", "u32", n(tls.fe_keys.rate(tls_now))},
      {36, "SslFrontendMaxKeyRate", "MMP", "u32", n(tls.fe_keys.max())},
      {37, "SslFrontendSessionReuse_pct", "MGP", "u32",
       n(uint64_t(net::tls_frontend_reuse_pct(loop_now)))},
      {38, "SslBackendKeyRate", "MRP", "u32", n(tls.be_keys.rate(tls_now))},
      {39, "SslBackendMaxKeyRate", "MMP", "u32", n(tls.be_keys.max())},
      {40, "SslCacheLookups", "MCP", "u32", n(tls.cache_lookups.load())},
      {41, "SslCacheMisses", "MCP", "u32", n(tls.cache_misses.load())},
      {42, "CompressBpsIn", "MRP", "u32", "0"},
      {43, "CompressBpsOut", "MRP", "u32", "0"},
      {44, "CompressBpsRateLim", "CLP", "u32", "0"},
  };
  if (p.tasks >= 0) {
    f.push_back({47, "Tasks", "MGP", "u32", n(uint64_t(p.tasks))});
    f.push_back({48, "Run_queue", "MGP", "u32", n(uint64_t(p.run_queue))});
    if (p.idle_pct >= 0) f.push_back({49, "Idle_pct", "MaP", "u32", n(uint64_t(p.idle_pct))});
  }
  f.push_back({50, "node", "COS", "str", info.node});
  if (!info.description.empty()) f.push_back({51, "description", "COS", "str", info.description});
  std::vector<InfoField> rest = {
      {52, "Stopping", "MGP", "u32", p.stopping ? "1" : "0"},
      {53, "Jobs", "MGP", "u32", n(p.jobs)},
      // The connections HAProxy lets survive a soft stop are its master CLI's,
      // which a worker does not serve.
      {54, "Unstoppable Jobs", "MGP", "u32", "0"},
      {55, "Listeners", "MGP", "u32", n(p.listeners)},
      {56, "ActivePeers", "MGP", "u32", n(uint64_t(p.active_peers))},
      {57, "ConnectedPeers", "MGP", "u32", n(uint64_t(p.connected_peers))},
      {58, "DroppedLogs", "MGP", "u32", n(stream::LogSink::dropped())},
      {59, "BusyPolling", "MGP", "u32", "0"},
      // HAProxy 2.6 counts here only the do-resolve actions whose name is no
      // valid DNS name; Hearth refuses do-resolve at load, so none can fail.
      {60, "FailedResolutions", "MGP", "u32", "0"},
      {61, "TotalBytesOut", "MGP", "u64", n(p.bytes_out)},
      {62, "TotalSplicdedBytesOut", "MGP", "u64", n(p.pipes.spliced)},  // HAProxy's spelling
      {63, "BytesOutRate", "MRP", "u64", n(p.bytes_out_rate)},
      {64, "DebugCommandsIssued", "MGP", "u32", "0"},
      {65, "CumRecvLogs", "MCP", "u32", "0"},
      {66, "Build info", "POS", "str", std::string(config::hearth_version())},
      {67, "Memmax_bytes", "CLP", "u32", n(uint64_t(info.mem_limit_mb) * mb)},
      {68, "PoolAlloc_bytes", "MGP", "u64", n(p.pool_allocated)},
      {69, "PoolUsed_bytes", "MGP", "u64", n(p.pool_used)},
      {70, "Start_time_sec", "MDP", "u32", n(uint64_t(p.start_wall_s))},
      {71, "Tainted", "SGP", "str", "0x0"},
      // Hearth's own: connections open on both sides (and checks in flight),
      // and bytes moved by splicing (both directions).
      {72, "LiveConnections", "MGP", "u64", n(net::Connection::live_count())},
      {73, "SplicedBytes", "MCP", "u64", n(p.pipes.spliced)},
  };
  f.insert(f.end(), rest.begin(), rest.end());
  // The fields HAProxy 2.6 turns into floats ("show info float").
  set_float(f, "Uptime_sec", format_float(p.uptime_f));
  set_float(f, "Start_time_sec", format_float(p.start_wall_f));
  for (const char* rate :
       {"ConnRate", "SessRate", "SslRate", "SslFrontendKeyRate", "SslFrontendSessionReuse_pct",
        "SslBackendKeyRate", "CompressBpsIn", "CompressBpsOut"})
    for (const InfoField& x : f)
      if (std::string(x.name) == rate) set_float(f, rate, x.value);
  // HAProxy tags these two as rates in their float form (gauges otherwise).
  for (InfoField& x : f)
    if (std::string(x.name) == "SslFrontendKeyRate" ||
        std::string(x.name) == "SslFrontendSessionReuse_pct")
      x.ftags = "MRP";
  return f;
}

std::string format_float(double v) {
  char b[64];
  snprintf(b, sizeof b, "%f", v);
  std::string s = b;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

std::string format_process_info(const std::vector<InfoField>& fields, const InfoOptions& opt) {
  std::string o;
  const InfoFormat fmt = opt.format;
  if (fmt == InfoFormat::kJson) o.push_back('[');
  bool first = true;
  for (const InfoField& f : fields) {
    const bool flt = opt.floats && !f.fvalue.empty();
    const std::string& value = flt ? f.fvalue : f.value;
    const char* type = flt ? "flt" : f.type;
    const char* tags = flt && f.ftags ? f.ftags : f.tags;
    const std::string desc =
        opt.desc ? std::string(":\"") + info_field_desc(f.name) + "\"" : std::string();
    switch (fmt) {
      case InfoFormat::kPlain:
        o += std::string(f.name) + ": " + value + desc + "\n";
        break;
      case InfoFormat::kTyped:
        o += std::to_string(f.pos) + "." + f.name + ".1:" + tags + ":" + type + ":" + value + desc +
             "\n";
        break;
      case InfoFormat::kJson:  // no descriptions in JSON, as HAProxy
        if (!first) o.push_back(',');
        o += "{\"field\":{\"pos\":" + std::to_string(f.pos) + ",\"name\":\"" + f.name +
             "\"},\"processNum\":1," + json_tags(tags) + ",\"value\":{\"type\":\"" + type +
             "\",\"value\":";
        if (std::string(type) == "str")
          json_append_string(o, value);
        else
          o += value;
        o += "}}";
        break;
    }
    first = false;
  }
  if (fmt == InfoFormat::kJson) o += "]\n";
  return o + "\n";
}

}  // namespace hearth::admin
