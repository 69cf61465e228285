// agent-check: what a HealthCheck in agent mode does with its agent's reply
// (agent_reply.h), and how its results are recorded. As HAProxy: the admin
// state first (ready, drain, maint), then the weight and maxconn, then the
// health state (up; down, stopped, fail), reported "via agent : STATE (DESC)".
// A reply without a health state changes no UP/DOWN state; an agent that
// cannot be reached changes nothing at all (the health check judges
// connectivity).
#include <cstdlib>

#include "backend/agent_reply.h"
#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/server_state_lock.h"
#include "backend/server_track.h"
#include "config/log_model.h"
#include "http/headers.h"
#include "net/connection.h"
#include "net/transport.h"

namespace hearth::backend {

bool HealthCheck::agent_reply() {
  const std::string_view data(buf_.allocated() ? buf_.head() : "", buf_.len());
  std::optional<AgentReply> r = parse_agent_reply(data);
  if (!r) {
    if (!last_read_) {
      must_read_ = true;
      phase_ = Phase::kReceiving;
      conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
      return false;
    }
    // At least tell the admin the agent misbehaves; the state stays.
    finish(srv_->agent_health.last().status, 0, "Ignoring incomplete line from agent");
    return false;
  }
  Server& s = *srv_;
  ServerStateGuard guard;  // the reply's changes, with their lines, as one step
  if (!r->admin.empty()) {
    if (http::iequals(r->admin, "drain")) {
      s.drain.store(true);
      be_->servers_changed();
      propagate_to_trackers(s, loop_.load()->now_ms());
    } else if (http::iequals(r->admin, "maint")) {
      set_server_maintenance(*be_, s, true);
    } else {  // ready
      if (s.drain.exchange(false)) {
        be_->servers_changed();
        propagate_to_trackers(s, loop_.load()->now_ms());
      }
      set_server_maintenance(*be_, s, false);
    }
  }
  std::string warning;
  if (!r->weight.empty()) {
    if (std::optional<int> w = agent_weight(r->weight, s.iweight, &warning)) {
      s.weight.store(*w);
      be_->servers_changed();
    }
  }
  if (!r->maxconn.empty()) {
    char* end = nullptr;
    const long v = std::strtol(r->maxconn.c_str(), &end, 10);
    if (end == r->maxconn.c_str() || *end || v < 0 || v > 10000000) {
      if (warning.empty()) warning = "Integer value expected for maxconn '" + r->maxconn + "'";
    } else {
      s.maxconn.store(int(v));
      be_->servers_changed();
    }
  }
  CheckStatus status = CheckStatus::kNone;
  std::string info;
  if (!r->health.empty()) {
    const bool up = http::iequals(r->health, "up");
    status = up ? CheckStatus::kL7Ok : CheckStatus::kL7Sts;
    std::string msg = r->description;
    if (msg.empty() || up) {
      if (!r->error.empty())
        msg = r->error;
      else if (!warning.empty())
        msg = warning;
    }
    info = "via agent : " + r->health + (msg.empty() ? "" : " (" + msg + ")");
    if (s.check) s.check->force_health(up);
    if (s.up.load() != up) {
      CheckOutcome why{status, 0, info, loop_.load()->now_ms() - start_ms_};
      transition(up, why);
    }
  } else if (!r->error.empty()) {
    info = "agent reports an error : " + r->error;
  } else if (!warning.empty()) {
    info = "agent warns : " + warning;
  }
  // As HAProxy: a reply without a health state is "CHECKED" (no status change).
  if (status == CheckStatus::kNone) status = CheckStatus::kChecked;
  finish(status, 0, info);
  return false;
}

void HealthCheck::agent_finish(CheckStatus status, int code, std::string_view info, int64_t took) {
  ServerHealth& h = srv_->agent_health;
  const CheckStatus previous = h.last().status;
  h.checks.fetch_add(1, std::memory_order_relaxed);
  h.set_last(status, code, took, info);
  const bool passed = check_passed(status);
  if (status != CheckStatus::kChecked) h.health.store(passed ? 1 : 0);
  // log-health-checks: a reply that changes the agent's status is logged.
  if (be_->settings.log_health_checks && status != previous) {
    HealthCounter after(1, 1, passed ? InitState::kUp : InitState::kFullyDown);
    std::string t = check_result_text(*be_, *srv_, passed, {status, code, info, took}, after);
    t.replace(0, std::string_view("Health check").size(), "Agent check");
    emit_backend_event(*be_, "[WARNING]", config::kLogNotice, t);
  }
  EventLoop* loop = loop_.load();
  arm(loop->now_ms() + spread_interval(spec_.intervals.inter, spec_.spread_pct, check_random()));
}

}  // namespace hearth::backend
