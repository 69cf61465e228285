#include "admin/frontend_commands.h"

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "admin/cli_target.h"
#include "config/units.h"
#include "net/listener.h"
#include "stream/accept_rate.h"
#include "stream/frontend.h"

namespace hearth::admin {
namespace {

using State = stream::Frontend::AdminState;

bool parse_int(const std::string& s, int* out) {
  const std::optional<int64_t> v = config::parse_int(s);
  if (!v || *v < INT_MIN || *v > INT_MAX) return false;
  *out = int(*v);
  return true;
}

// Calls f(listener) for each of the frontends' listeners, on its own thread.
void each_listener(const FrontendCommandEnv& env, const std::vector<stream::Frontend*>& fes,
                   const std::function<void(net::Listener*)>& f) {
  if (!env.on_threads) return;
  env.on_threads([&](int t) {
    for (stream::Frontend* fe : fes)
      if (t < int(fe->listeners_by_thread.size()))
        for (net::Listener* l : fe->listeners_by_thread[t]) f(l);
  });
}

std::string disable_enable(const std::vector<std::string>& w, const FrontendCommandEnv& env) {
  const bool enable = w[0] == "enable";
  if (w.size() < 3) return "A frontend name is expected.\n\n";
  stream::Frontend* fe = find_frontend(w[2], *env.frontends);
  if (!fe) return "No such frontend.\n\n";
  const State st = fe->admin_state.load();
  if (st == State::kStopped)
    return std::string("Frontend was previously shut down, cannot ") +
           (enable ? "enable" : "disable") + ".\n\n";
  if (enable && st == State::kOpen) return "All sockets are already enabled.\n\n";
  if (!enable && st == State::kPaused) return "All sockets are already disabled.\n\n";
  std::atomic<bool> failed{false};
  each_listener(env, {fe}, [&](net::Listener* l) {
    if (!enable)
      l->disable();
    else if (!l->enable())
      failed = true;
  });
  if (enable && failed) {
    // Some socket could not listen again (another process took the port):
    // the others serve; the frontend stays marked paused until it is retried.
    return "Failed to resume frontend, check logs for errors.\n\n";
  }
  fe->admin_state.store(enable ? State::kOpen : State::kPaused);
  fprintf(stderr, "hearth: frontend '%s' %s by the runtime API\n", fe->name.c_str(),
          enable ? "enabled" : "disabled");
  return "\n";
}

std::string shutdown_frontend(const std::vector<std::string>& w, const FrontendCommandEnv& env) {
  if (w.size() < 3) return "A frontend name is expected.\n\n";
  stream::Frontend* fe = find_frontend(w[2], *env.frontends);
  if (!fe) return "No such frontend.\n\n";
  if (fe->admin_state.exchange(State::kStopped) == State::kStopped)
    return "Frontend was already shut down.\n\n";
  each_listener(env, {fe}, [](net::Listener* l) { l->stop(); });
  fprintf(stderr, "hearth: frontend '%s' shut down by the runtime API (connections so far: %llu)\n",
          fe->name.c_str(),
          static_cast<unsigned long long>(fe->counters.sum(&stream::FrontendTallies::sessions)));
  return "\n";
}

// A raised limit: listeners paused on it accept again.
void resume_paused(const FrontendCommandEnv& env, const std::vector<stream::Frontend*>& fes) {
  each_listener(env, fes, [](net::Listener* l) { l->maybe_resume(); });
}

std::string set_maxconn(const std::vector<std::string>& w, const FrontendCommandEnv& env) {
  if (w[2] == "frontend") {
    if (w.size() < 4) return "A frontend name is expected.\n\n";
    stream::Frontend* fe = find_frontend(w[3], *env.frontends);
    if (!fe) return "No such frontend.\n\n";
    int n = 0;
    if (w.size() < 5 || !parse_int(w[4], &n)) return "Integer value expected.\n\n";
    if (n < 0) return "Value out of range.\n\n";
    fe->maxconn.store(n);
    resume_paused(env, {fe});
    return "\n";
  }
  int n = 0;
  if (w.size() < 4 || !parse_int(w[3], &n)) return "Expects an integer value.\n\n";
  if (n < 0 || n > env.initial_global_maxconn) return "Value out of range.\n\n";
  stream::Frontend::set_global_maxconn(n == 0 ? env.initial_global_maxconn : n);
  resume_paused(env, *env.frontends);
  return "\n";
}

// Returns: the integer `s` begins with (atoi's reading: an optional sign,
// then digits; none: 0), or nullopt past the int64 range.
std::optional<int64_t> leading_int(const std::string& s) {
  size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > (INT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -v : v;
}

// set rate-limit connections|sessions|ssl-sessions global N: the process's
// accept rate limits (maxconnrate, maxsessrate, maxsslrate); 0 lifts one. Paused listeners look
// again at once (and, still over a limit, when their timer fires).
std::string set_rate_limit(const std::vector<std::string>& w, const FrontendCommandEnv& env) {
  const bool known = w.size() >= 4 && w[3] == "global" &&
                     (w[2] == "connections" || w[2] == "sessions" || w[2] == "ssl-sessions" ||
                      w[2] == "http-compression");
  if (!known)
    return "'set rate-limit' only supports :\n"
           "   - 'connections global' to set the per-process maximum connection rate\n"
           "   - 'sessions global' to set the per-process maximum session rate\n"
           "   - 'ssl-sessions global' to set the per-process maximum SSL session rate\n"
           "   - 'http-compression global' to set the per-process maximum compression speed in "
           "kB/s\n\n";
  if (w[2] == "http-compression")
    return "'set rate-limit http-compression global' is not supported by Hearth: it has no "
           "compression (maxcomprate).\n\n";
  // As HAProxy: the value's leading digits ("5abc" is 5, "x" is 0), words
  // after it ignored; none at all is an error. (Past 2^31 HAProxy wraps;
  // Hearth refuses.)
  if (w.size() < 5 || w[4].empty()) return "Expects an integer value.\n\n";
  const std::optional<int64_t> v = leading_int(w[4]);
  if (!v || *v < 0 || *v > INT32_MAX) return "Value out of range.\n\n";
  stream::ProcessRates& pr = stream::process_rates();
  (w[2] == "connections" ? pr.conn_limit
   : w[2] == "sessions"  ? pr.sess_limit
                         : pr.ssl_limit)
      .store(uint32_t(*v));
  if (env.frontends) resume_paused(env, *env.frontends);  // a lifted limit: at once
  return "\n";
}

}  // namespace

std::string cli_frontend_command(const std::vector<std::string>& w, const FrontendCommandEnv& env,
                                 bool admin) {
  const bool toggle =
      w.size() >= 2 && (w[0] == "disable" || w[0] == "enable") && w[1] == "frontend";
  const bool shutdown = w.size() >= 2 && w[0] == "shutdown" && w[1] == "frontend";
  const bool maxconn = w.size() >= 3 && w[0] == "set" && w[1] == "maxconn" &&
                       (w[2] == "frontend" || w[2] == "global");
  const bool rate = w.size() >= 2 && w[0] == "set" && w[1] == "rate-limit";
  if (!toggle && !shutdown && !maxconn && !rate) return "";
  if (!admin) return "Permission denied\n\n";
  if (toggle) return disable_enable(w, env);
  if (shutdown) return shutdown_frontend(w, env);
  if (maxconn) return set_maxconn(w, env);
  return set_rate_limit(w, env);
}

}  // namespace hearth::admin
