// Keywords of the global section.
#include <algorithm>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// log TARGET ... (log_target_keywords.cc)
void parse_log(const Directive& d, GlobalConfig& g, Reporter& rep) {
  LogTarget t;
  if (parse_log_target(d, &t, rep)) g.logs.push_back(std::move(t));
}

// log-send-hostname [NAME]: the system's name when NAME is absent.
void parse_log_send_hostname(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "log-send-hostname", 1, 2, "log-send-hostname [NAME]", rep)) return;
  g.log_send_hostname = d.size() == 2 ? d[1] : std::string();
}

void parse_log_tag(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "log-tag", 2, 2, "log-tag TAG", rep)) return;
  if (d[1].empty()) return rep.error(d.loc, "log-tag", "expects a non-empty tag");
  g.log_tag = d[1];
}

void parse_nbthread(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "nbthread", 2, 2, "nbthread N", rep)) return;
  if (auto n = int_arg(d, 1, "nbthread", 1, 64, rep)) g.nbthread = static_cast<int>(*n);
}

void parse_maxconn(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "maxconn", 2, 2, "maxconn N", rep)) return;
  if (auto n = int_arg(d, 1, "maxconn", 1, 10000000, rep)) {
    g.maxconn = static_cast<int>(*n);
    g.process.maxconn_given = true;
  }
}

// maxconnrate N / maxsessrate N / maxsslrate N: the process accepts at most
// N per second (maxsslrate: on its TLS binds); the others wait in the
// listening sockets' backlogs.
void parse_rate_limit(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " N", rep)) return;
  if (auto n = int_arg(d, 1, d[0], 0, 10000000, rep))
    (d[0] == "maxconnrate"   ? g.maxconnrate
     : d[0] == "maxsessrate" ? g.maxsessrate
                             : g.maxsslrate) = static_cast<int>(*n);
}

void parse_hard_stop_after(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "hard-stop-after", 2, 2, "hard-stop-after DURATION", rep)) return;
  if (auto ms = duration_arg(d, 1, "hard-stop-after", rep)) g.hard_stop_after = *ms;
}

// profiling.tasks auto|on|off (core/task_profile.h).
void parse_profiling_tasks(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "profiling.tasks", 2, 2, "profiling.tasks auto|on|off", rep)) return;
  if (d[1] == "auto" || d[1] == "on" || d[1] == "off") {
    g.profiling_tasks = d[1];
    return;
  }
  rep.error(d.loc, "profiling.tasks", "expects 'auto', 'on' or 'off', got '" + d[1] + "'");
}

void parse_bufsize(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "tune.bufsize", 2, 2, "tune.bufsize BYTES", rep)) return;
  auto n = parse_size(d[1]);
  if (!n || *n < 1024 || *n > 1048576) {
    rep.error(d.loc, "tune.bufsize",
              "expects a size between 1024 and 1048576 bytes (k and m suffixes allowed), got '" +
                  d[1] + "'");
    return;
  }
  g.tune_bufsize = static_cast<int>(*n);
}

// tune.maxrewrite N: the part of each buffer kept for rules that grow a
// message head (HAProxy halves it to bufsize / 2 when larger, at startup).
void parse_maxrewrite(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "tune.maxrewrite", 2, 2, "tune.maxrewrite BYTES", rep)) return;
  if (auto n = int_arg(d, 1, "tune.maxrewrite", 0, 1048576, rep))
    g.tune_maxrewrite = static_cast<int>(*n);
}

void parse_maxhdr(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "tune.http.maxhdr", 2, 2, "tune.http.maxhdr N", rep)) return;
  if (auto n = int_arg(d, 1, "tune.http.maxhdr", 1, 32767, rep))
    g.tune_http_maxhdr = static_cast<int>(*n);
}

// tune.idle-pool.shared on|off: whether threads share their idle server
// connections. Hearth keeps one pool per server and thread and never hands
// a connection to another thread, which is "off"; "on" (HAProxy's default)
// would need a takeover between threads, which Hearth does not do yet.
void parse_idle_pool_shared(const Directive& d, GlobalConfig&, Reporter& rep) {
  const std::string kw = "tune.idle-pool.shared";
  if (!check_arity(d, kw, 2, 2, kw + " on|off", rep)) return;
  if (d[1] == "off") return;
  if (d[1] == "on") {
    rep.error(d.loc, kw,
              "'on' is not supported: Hearth keeps idle server connections per thread and does "
              "not share them between threads yet; write 'off' (Hearth's behaviour)");
    return;
  }
  rep.error(d.loc, kw, "expects 'on' or 'off', got '" + d[1] + "'");
}

void parse_pidfile(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, "pidfile", 2, 2, "pidfile PATH", rep)) return;
  if (d[1].empty()) {
    rep.error(d.loc, "pidfile", "expects a file path");
    return;
  }
  g.pidfile = d[1];
}

void parse_expose_experimental(const Directive& d, GlobalConfig& g, Reporter& rep) {
  if (!check_arity(d, d[0], 1, 1, d[0], rep)) return;
  g.expose_experimental = true;
}

struct GlobalKeyword {
  const char* name;
  void (*handler)(const Directive&, GlobalConfig&, Reporter&);
};

const GlobalKeyword kKeywords[] = {
    {"nbthread", parse_nbthread},
    {"maxconn", parse_maxconn},
    {"maxconnrate", parse_rate_limit},
    {"maxsessrate", parse_rate_limit},
    {"maxsslrate", parse_rate_limit},
    {"log", parse_log},
    {"log-send-hostname", parse_log_send_hostname},
    {"log-tag", parse_log_tag},
    {"hard-stop-after", parse_hard_stop_after},
    {"stats", parse_stats_keyword},
    {"tune.bufsize", parse_bufsize},
    {"profiling.tasks", parse_profiling_tasks},
    {"tune.http.maxhdr", parse_maxhdr},
    {"tune.maxrewrite", parse_maxrewrite},
    {"tune.idle-pool.shared", parse_idle_pool_shared},
    {"pidfile", parse_pidfile},
    {"expose-experimental-directives", parse_expose_experimental},
    {"set-var", parse_global_set_var},
    {"set-var-fmt", parse_global_set_var},
    {"server-state-file", parse_global_server_state},
    {"server-state-base", parse_global_server_state},
};

}  // namespace

void parse_global_keyword(const Directive& d, GlobalConfig& g, Reporter& rep) {
  const std::string& kw = d[0];
  for (const GlobalKeyword& k : kKeywords) {
    if (kw == k.name) {
      k.handler(d, g, rep);
      return;
    }
  }
  if (parse_external_check_global(d, g, rep)) return;
  if (parse_process_keyword(d, g.process, rep)) return;
  if (parse_tune_keyword(d, g, rep)) return;
  if (parse_ssl_global_keyword(d, g, rep)) return;
  if (parse_splice_global_keyword(d, g, rep)) return;
  if (is_haproxy_global_keyword(kw)) {
    rep.error(d.loc, kw, "Hearth does not support this global keyword yet");
  } else {
    rep.error(
        d.loc, kw,
        "unknown keyword in the global section; supported: nbthread, maxconn, log, "
        "log-send-hostname, log-tag, "
        "hard-stop-after, stats socket, tune.bufsize, tune.http.maxhdr, "
        "tune.maxrewrite, tune.idle-pool.shared, tune.maxaccept, tune.maxpollevents, "
        "tune.runqueue-depth, "
        "tune.rcvbuf.client, tune.sndbuf.client, tune.rcvbuf.server, tune.sndbuf.server, "
        "tune.http.logurilen, tune.pool-low-fd-ratio, tune.pool-high-fd-ratio, "
        "pidfile, set-var, set-var-fmt, server-state-file, "
        "server-state-base, nosplice, maxpipes, tune.pipesize, "
        "expose-experimental-directives, external-check, insecure-fork-wanted, crt-base, ca-base, "
        "ssl-default-bind-ciphers, "
        "ssl-default-bind-ciphersuites, ssl-default-bind-curves, ssl-default-bind-options, "
        "ssl-default-server-ciphers, ssl-default-server-ciphersuites, ssl-default-server-options, "
        "ssl-server-verify, ssl-load-extra-files, ssl-load-extra-del-ext, ssl-dh-param-file, "
        "tune.ssl.default-dh-param, tune.ssl.cachesize, "
        "tune.ssl.lifetime, tune.ssl.maxrecord, " +
            std::string(kProcessKeywordList));
  }
}

}  // namespace hearth::config::detail
