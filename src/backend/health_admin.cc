// The runtime API's changes to a server's checks (set server ... health,
// agent, check-addr, check-port, agent-addr, agent-port, agent-send; enable
// and disable health|agent). The runtime API runs each on the check's own
// thread and waits, so a check never sees its state change under it, and the
// next command already sees the result.
//
// States an operator can give a server, beside what its checks say:
//   UP       counter fully UP (rise + fall - 1), serving
//   stopping UP for persistence, no new load-balanced traffic (NOLB); the
//            next passed check makes it plainly UP, a DOWN counter DOWN
//   DOWN     counter 0: `rise` passed checks bring it back
#include <memory>

#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/server.h"
#include "backend/server_state_lock.h"
#include "backend/server_track.h"
#include "config/log_model.h"

namespace hearth::backend {
namespace {

constexpr std::string_view kFromCli = "changed from CLI";

}  // namespace

void apply_admin_health(Backend& be, Server& s, AdminHealth h, int64_t now_ms) {
  ServerStateGuard guard;
  // As HAProxy, the check health shown (checked or not) goes to the top, or
  // to 0 for DOWN.
  s.health.health.store(h == AdminHealth::kDown ? 0 : s.health.rise + s.health.fall - 1);
  if (h == AdminHealth::kStopping) {
    if (s.stopping.load() && s.up.load()) return;
    s.up.store(true);
    s.stopping.store(true);
    s.health.note_serving(s.serving(), now_ms);
    be.servers_changed();
    if (!s.in_maintenance())
      emit_backend_event(be, "[WARNING]", config::kLogNotice,
                         server_state_changed_text(be, s, "stopping", kFromCli));
    propagate_to_trackers(s, now_ms);
    return;
  }
  const bool up = h == AdminHealth::kUp;
  const bool was_usable = s.usable();
  const bool was_stopping = s.stopping.exchange(false);
  if (s.up.load() == up && !was_stopping) return;
  publish_server_up(be, s, up, now_ms);
  if (!s.in_maintenance()) {  // as HAProxy: a server in maintenance logs nothing
    emit_backend_event(be, "[WARNING]",
                       up || was_stopping || s.draining() ? config::kLogNotice : config::kLogAlert,
                       server_state_changed_text(be, s, up ? "UP" : "DOWN", kFromCli));
    if (!up && was_usable) log_if_no_server(be);
  }
  propagate_to_trackers(s, now_ms);
}

CheckProgram build_agent_program(const std::string& addr, int port, const std::string& send) {
  config::CheckConfig c;
  c.type = config::CheckType::kAgent;
  config::CheckRule connect;
  connect.action = config::CheckRule::Action::kConnect;
  connect.connect.addr = addr;
  connect.connect.port = port;
  c.proto_rules.push_back(connect);
  if (!send.empty()) {
    config::CheckRule rule;
    rule.action = config::CheckRule::Action::kSend;
    rule.send.data = send;
    c.proto_rules.push_back(rule);
  }
  config::CheckRule expect;
  expect.action = config::CheckRule::Action::kExpect;
  expect.expect.kind = config::CheckExpect::Kind::kCustom;
  expect.expect.custom = config::CheckExpect::Custom::kAgentReply;
  c.proto_rules.push_back(expect);
  return build_check_program(c);
}

void HealthCheck::force_health(bool up) {
  forced_.store(up ? 1 : 0);
  srv_->health.health.store(up ? spec_.rise + spec_.fall - 1 : 0);
}

ServerHealth& HealthCheck::own_health() { return spec_.agent ? srv_->agent_health : srv_->health; }

void HealthCheck::admin_set_health(AdminHealth h) {
  counter_.reset(h == AdminHealth::kDown ? InitState::kFullyDown : InitState::kFullyUp);
  forced_.store(-1);  // an agent's word from before is overridden
  apply_admin_health(*be_, *srv_, h, loop_.load()->now_ms());
}

void HealthCheck::admin_set_agent(bool up) {
  srv_->agent_health.health.store(up ? 1 : 0);
  // "up" as an agent's own: the health check starts from fully UP (its
  // failures take the server down again). "down" leaves the health check's
  // counter as it is, as HAProxy: its passed checks do not bring the server
  // back, only the agent does.
  const int shown = srv_->health.health.load();
  if (up && srv_->check) srv_->check->force_health(true);
  apply_admin_health(*be_, *srv_, up ? AdminHealth::kUp : AdminHealth::kDown,
                     loop_.load()->now_ms());
  if (!up) srv_->health.health.store(shown);  // the counter was not touched
}

void HealthCheck::admin_enable(bool on) {
  ServerHealth& h = own_health();
  if (h.enabled.exchange(on) == on) return;
  EventLoop* loop = loop_.load();
  if (!loop) return;
  close_conn();
  tasklet_.cancel();
  phase_ = Phase::kIdle;
  // Enabled again: a check at once, the counter where it was.
  arm(on ? loop->now_ms() : loop->now_ms() + spec_.intervals.inter);
}

void HealthCheck::admin_set_check_target(const net::Address* addr, std::optional<int> port) {
  const uint16_t srv_port = srv_->address().port();
  if (addr) {
    const uint16_t keep = spec_.follow_server
                              ? uint16_t(srv_->check_port ? srv_->check_port : srv_port)
                              : spec_.addr.port();
    spec_.addr = *addr;
    spec_.addr.set_port(keep);
    spec_.follow_server = false;
    char ip[64];
    srv_->check_addr = addr->ip_str(ip, sizeof ip);
  }
  if (port) {  // 0: the server's port again
    srv_->check_port = *port;
    spec_.addr.set_port(uint16_t(*port ? *port : srv_port));
  }
}

void HealthCheck::admin_agent_changed() {
  next_program_ = std::make_shared<const CheckProgram>(
      build_agent_program(srv_->agent_addr, srv_->agent_port, srv_->agent_send));
}

namespace {

struct AdminCall {
  HealthCheck* check;
  std::function<void(HealthCheck&)> fn;
};

void run_admin_call(void* arg) {
  std::unique_ptr<AdminCall> call(static_cast<AdminCall*>(arg));
  call->fn(*call->check);
}

}  // namespace

void HealthCheck::post_admin(std::function<void(HealthCheck&)> fn) {
  EventLoop* loop = loop_.load();
  if (!loop) return fn(*this);
  loop->post(&run_admin_call, new AdminCall{this, std::move(fn)});
}

// A stopping server after a result that left the counter's verdict as it
// was (a change of verdict goes through transition()).
void HealthCheck::leave_stopping(bool passed, const CheckOutcome& why) {
  Server& s = *srv_;
  if (passed != counter_.up()) return;  // a failure an UP counter absorbs, a pass below rise
  s.stopping.store(false);
  if (s.up.load() != counter_.up()) return transition(counter_.up(), why, false, true);
  s.health.note_serving(s.serving(), loop_.load()->now_ms());
  be_->servers_changed();
  const CheckOutcome* reason = be_->settings.log_health_checks ? nullptr : &why;
  emit_backend_event(*be_, "[WARNING]", config::kLogNotice,
                     server_state_text(*be_, s, true, reason));
  propagate_to_trackers(s, loop_.load()->now_ms());
}

void HealthCheck::enter_stopping(const CheckOutcome& why) {
  Server& s = *srv_;
  if (s.stopping.load() || !s.up.load() || s.in_maintenance()) return;
  s.stopping.store(true);
  const int64_t now = loop_.load()->now_ms();
  s.health.note_serving(s.serving(), now);
  be_->servers_changed();
  const CheckOutcome* reason = be_->settings.log_health_checks ? nullptr : &why;
  emit_backend_event(*be_, "[WARNING]", config::kLogNotice, server_stopping_text(*be_, s, reason));
  log_if_no_server(*be_);
  propagate_to_trackers(s, now);
}

}  // namespace hearth::backend
