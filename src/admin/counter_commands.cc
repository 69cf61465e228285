#include "admin/counter_commands.h"

#include "backend/backend.h"
#include "backend/server.h"
#include "stream/frontend.h"

namespace hearth::admin {
namespace {

void clear_maximums(const CounterCommandEnv& env) {
  for (stream::Frontend* fe : *env.frontends) {
    fe->counters.max_conns.store(0);
    fe->counters.sess_rate_max.clear_max();
    fe->counters.req_rate_max.clear_max();
  }
  for (backend::Backend* be : *env.backends) {
    be->counters.max_conns.store(0);
    be->counters.max_queue.store(0);
    be->counters.sess_rate_max.clear_max();
    be->counters.times_max.clear();
    for (const auto& s : be->servers()) {
      s->counters.max_sess.store(0);
      s->counters.max_queue.store(0);
      s->counters.sess_rate_max.clear_max();
      s->counters.times_max.clear();
    }
  }
}

// Every block of per-thread counters: worker t's on its thread, then the
// shared one here.
void clear_tallies(const CounterCommandEnv& env) {
  auto reset = [&](int t) {
    for (stream::Frontend* fe : *env.frontends) fe->counters.t.reset_block(t);
    for (backend::Backend* be : *env.backends) {
      be->counters.t.reset_block(t);
      for (const auto& s : be->servers()) s->counters.t.reset_block(t);
    }
  };
  if (env.on_threads) env.on_threads(reset);
  int shared = 0;
  if (!env.frontends->empty())
    shared = env.frontends->front()->counters.t.reset_blocks();
  else if (!env.backends->empty())
    shared = env.backends->front()->counters.t.reset_blocks();
  reset(shared);
}

void clear_all(const CounterCommandEnv& env) {
  clear_tallies(env);
  clear_maximums(env);
  for (stream::Frontend* fe : *env.frontends) {
    fe->counters.sess_rate_max.clear();
    fe->counters.req_rate_max.clear();
  }
  for (backend::Backend* be : *env.backends) {
    be->counters.sess_rate_max.clear();
    for (const auto& s : be->servers()) {
      s->counters.sess_rate_max.clear();
      s->health.checks.store(0);
      s->health.failed_checks.store(0);
      s->health.down_transitions.store(0);
    }
  }
}

}  // namespace

std::string cli_counter_command(const std::vector<std::string>& w, const CounterCommandEnv& env,
                                bool operator_level, bool admin) {
  if (w.size() < 2 || w[0] != "clear" || w[1] != "counters") return "";
  const bool all = w.size() > 2 && w[2] == "all";
  if (w.size() > 2 && !all) return "'clear counters' only supports 'all'.\n\n";
  if (!(all ? admin : operator_level)) return "Permission denied\n\n";
  if (all)
    clear_all(env);
  else
    clear_maximums(env);
  return "\n";
}

}  // namespace hearth::admin
