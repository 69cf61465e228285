#include "backend/health_check.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "backend/backend.h"
#include "backend/check_expect.h"
#include "backend/check_http.h"
#include "backend/server_marked.h"
#include "backend/server_state_lock.h"
#include "backend/server_track.h"
#include "config/log_model.h"
#include "expr/var_access.h"
#include "http/head_parser.h"
#include "http/headers.h"
#include "http/start_line.h"
#include "http/status.h"
#include "net/connection.h"
#include "net/proxy_out.h"
#include "net/socket.h"
#include "net/socks4.h"
#include "net/tls_transport.h"
#include "net/transport.h"

namespace hearth::backend {
namespace {

// A refused or unreachable peer is a Layer4 problem; anything else that stops
// a socket from being opened is local.
CheckStatus connect_error_status(int err) {
  switch (err) {
    case ECONNREFUSED:
    case ECONNRESET:
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ETIMEDOUT:
    case ECONNABORTED:
      return CheckStatus::kL4Con;
    default:
      return CheckStatus::kSockErr;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// HealthCheck

HealthCheck::HealthCheck(Backend* be, Server* s, CheckSpec spec, int thread)
    : be_(be),
      srv_(s),
      spec_(std::move(spec)),
      thread_(thread),
      counter_(spec_.rise, spec_.fall, spec_.first_start.value_or(spec_.init)),
      timer_(&HealthCheck::timer_cb, this),
      tasklet_(&HealthCheck::io_cb, this),
      fetch_(spec_.names) {
  if (!spec_.program) spec_.program = std::make_shared<CheckProgram>(build_check_program({}));
  wait_.tasklet = &tasklet_;
  if (spec_.agent) {
    s->agent = this;
    s->agent_health.checked = true;
    s->agent_health.rise = 1;
    s->agent_health.fall = 1;
    s->agent_health.set_last(CheckStatus::kInit, 0, -1, "");
    return;
  }
  s->check = this;
  s->health.checked = true;
  s->health.rise = spec_.rise;
  s->health.fall = spec_.fall;
  s->health.health.store(counter_.health());
  s->health.set_last(CheckStatus::kInit, 0, -1, "");
  s->up.store(counter_.up());
  paused_ = s->disabled.load();
}

HealthCheck::~HealthCheck() {
  if (conn_) close_conn();  // only if stop() never ran (a worker never started)
  if (srv_->check == this) srv_->check = nullptr;
  if (srv_->agent == this) srv_->agent = nullptr;
}

void HealthCheck::start(EventLoop* loop) {
  loop_.store(loop);
  arm(loop->now_ms() + spec_.first_delay_ms);
}

void HealthCheck::stop() {
  close_conn();
  killed_.clear();  // no longer watched: left to the process's exit
  phase_ = Phase::kIdle;
  tasklet_.cancel();
  if (EventLoop* loop = loop_.exchange(nullptr)) loop->timers().cancel(&timer_);
}

void HealthCheck::arm(int64_t at_ms) { loop_.load()->timers().arm(&timer_, at_ms); }

void HealthCheck::timer_cb(Timer*, void* ctx) {
  auto* hc = static_cast<HealthCheck*>(ctx);
  if (hc->phase_ == Phase::kIdle)
    hc->begin();
  else
    hc->on_deadline();
}

void HealthCheck::io_cb(Tasklet*, void* ctx, uint32_t) {
  auto* hc = static_cast<HealthCheck*>(ctx);
  switch (hc->phase_) {
    case Phase::kIdle:
      return;  // a wake-up for a connection already closed
    case Phase::kConnecting:
      return hc->on_connect();
    case Phase::kSending:
      return hc->send_pending();
    case Phase::kReceiving:
      return hc->receive();
    case Phase::kExternal:
      return hc->external_exited();
  }
}

// IDLE -> running the rules, from the first.
void HealthCheck::begin() {
  EventLoop* loop = loop_.load();
  // Maintenance, or no address yet: look again later (an agent talks in
  // maintenance too: it may end it).
  // Disabled from the runtime API: the same.
  if (!spec_.agent && (paused_ || srv_->disabled.load())) {
    arm(loop->now_ms() + paused_interval());
    return;
  }
  if (!srv_->has_addr.load() || !own_health().enabled.load()) {
    arm(loop->now_ms() + spec_.intervals.inter);
    return;
  }
  if (next_program_) spec_.program = std::move(next_program_);
  start_ms_ = loop->now_ms();
  if (spec_.external) return start_external();
  cur_ = 0;
  expect_head_ = 0;
  last_ = nullptr;
  must_read_ = false;
  last_read_ = false;
  code_ = 0;
  fetch_.reset_vars();
  fetch_.clear_http();
  fetch_.set_response({});
  for (const auto& [var, value] : spec_.program->preset_vars) {
    expr::Sample v;
    v.set_str(value);
    fetch_.check_vars().set(var.id, v);
  }
  run();
}

void HealthCheck::run() {
  const std::vector<CheckStep>& steps = spec_.program->steps;
  while (cur_ < steps.size()) {
    const CheckStep& s = steps[cur_];
    using Action = config::CheckRule::Action;
    switch (s.rule.action) {
      case Action::kComment:
        break;
      case Action::kSetVar:
      case Action::kUnsetVar:
        apply_var(s);
        break;
      case Action::kConnect:
        last_ = &s;
        if (!start_connect(s)) return;
        break;
      case Action::kSend:
        last_ = &s;
        if (!start_send(s)) return;
        break;
      case Action::kExpect:
        last_ = &s;
        if (!expect(s)) return;
        break;
    }
    ++cur_;
  }
  pass();
}

void HealthCheck::apply_var(const CheckStep& s) {
  const config::CheckRule& r = s.rule;
  if (r.action == config::CheckRule::Action::kUnsetVar) {
    expr::erase_var(fetch_, r.var);
    return;
  }
  expr::Sample v;
  if (r.var_fmt) {
    v.set_str(r.var_fmt->eval(fetch_));
  } else if (!expr::eval_sample_expr(*r.var_expr, fetch_, v)) {
    return;
  }
  expr::write_var(fetch_, r.var, r.var_conds, v);
}

bool HealthCheck::expects_first(size_t from) const {
  using Action = config::CheckRule::Action;
  const std::vector<CheckStep>& steps = spec_.program->steps;
  for (size_t i = from; i < steps.size(); ++i) {
    const Action a = steps[i].rule.action;
    if (a == Action::kComment || a == Action::kSetVar || a == Action::kUnsetVar) continue;
    return a == Action::kExpect;
  }
  return false;
}

bool HealthCheck::start_connect(const CheckStep& s) {
  const config::CheckConnect& rc = s.rule.connect;
  close_conn();  // a later connect rule replaces the connection
  linger_ = rc.linger;
  EventLoop* loop = loop_.load();
  net::Address to = spec_.addr;
  if (spec_.follow_server) {
    to = srv_->address();
    to.set_port(srv_->check_port ? uint16_t(srv_->check_port) : to.port());
  }
  if (!rc.addr.empty()) {
    const bool v6 = rc.addr.find(':') != std::string::npos;
    std::string err;
    auto a = net::Address::parse(
        (v6 ? "[" + rc.addr + "]" : rc.addr) + ":" + std::to_string(rc.port ? rc.port : to.port()),
        &err);
    if (!a) {
      finish(CheckStatus::kSockErr, 0,
             "invalid connect address " + rc.addr + step_text(*spec_.program, s));
      return false;
    }
    to = *a;
  } else if (rc.port) {
    to.set_port(uint16_t(rc.port));
  }
  net::Transport* xprt = rc.is_default ? srv_->check_xprt : net::raw_transport();
  if (rc.ssl) xprt = srv_->check_tls_xprt ? srv_->check_tls_xprt.get() : srv_->tls_xprt.get();
  const uint8_t pp = rc.send_proxy   ? (srv_->check_pp_version ? srv_->check_pp_version : 1)
                     : rc.is_default ? srv_->check_pp_version
                                     : 0;
  // As HAProxy: unless the server is to speak first (an expect rule comes
  // next: a banner), the last ACK of the handshake is delayed (TCP_QUICKACK
  // off): it leaves with the first bytes sent, and a pure layer-4 check,
  // closed at once, never reaches the server's accept queue.
  net::SockOptions so;
  so.delay_ack = !expects_first(cur_ + 1);
  int err = 0;
  // Through the server's SOCKS4 proxy (a connect rule's via-socks4, or
  // check-via-socks4 for the server's own check settings), which is asked for
  // the address checked; the agent connects directly.
  const bool socks =
      srv_->socks4 && !spec_.agent && (rc.via_socks4 || (rc.is_default && srv_->check_via_socks4));
  conn_ = net::Connection::connect_to(loop, socks ? *srv_->socks4 : to, xprt, &err,
                                      net::ConnectOptions{}, &so);
  phase_ = Phase::kConnecting;
  must_read_ = true;
  last_read_ = false;
  buf_.release();
  fetch_.set_response({});
  if (!conn_ && err) {
    // As HAProxy: connect() itself failed (a refusal aside, which loopback
    // reports at once): a socket error, with the system's reason.
    fail_connection(connect_error_status(err),
                    err == ECONNREFUSED
                        ? std::string(std::strerror(err))
                        : "General socket error (" + std::string(std::strerror(err)) + ")");
    return false;
  }
  if (!conn_) {
    finish(CheckStatus::kSockErr, 0, "cannot register the socket");
    return false;
  }
  if (socks) {
    if (!net::queue_socks4_connect(conn_, to)) {
      finish(CheckStatus::kSockErr, 0, "SOCKS4 carries IPv4 destinations only");
      return false;
    }
    conn_->set_peer(to);
  }
  // check-send-proxy (or send-proxy): a header describing no client, v1
  // "UNKNOWN" or v2 LOCAL, as HAProxy's checks send.
  if (pp && !net::queue_proxy_header(conn_, pp, srv_->pp_opts, net::ProxySource{})) {
    finish(CheckStatus::kSockErr, 0, "cannot build the PROXY header");
    return false;
  }
  const std::string& sni = !rc.sni.empty() ? rc.sni : rc.is_default ? srv_->check_sni : rc.sni;
  if (!net::tls_client_prepare(conn_, sni) ||
      (!rc.alpn.empty() && !net::tls_client_set_alpn(conn_, rc.alpn))) {
    finish(CheckStatus::kSockErr, 0, "cannot set up TLS");
    return false;
  }
  int64_t bound = spec_.intervals.inter;
  if (spec_.check_timeout_ms > 0 && spec_.connect_timeout_ms > 0)
    bound = std::min(bound, spec_.connect_timeout_ms);
  arm(loop->now_ms() + bound);
  conn_->xprt->subscribe(conn_, kWakeSend, &wait_);
  return false;
}

void HealthCheck::on_connect() {
  net::Connection* c = conn_;
  switch (c->connect_status()) {
    case net::ConnectStatus::kPending: {
      const uint32_t wants = c->connect_wants();
      c->xprt->subscribe(c, wants ? wants : kWakeSend, &wait_);
      return;
    }
    case net::ConnectStatus::kFailed: {
      const int err = c->connect_errno();
      // As HAProxy: a SOCKS4 handshake that failed is a socket error.
      if (const std::string why = net::socks4_failure(c); !why.empty())
        return fail_connection(CheckStatus::kSockErr, why);
      // Connected, but the TLS handshake failed.
      if (!err && c->xprt->ssl(c))
        return fail_connection(CheckStatus::kL6Rsp, net::tls_failure_message(net::tls_failure(c)));
      return fail_connection(CheckStatus::kL4Con, std::strerror(err ? err : ECONNRESET));
    }
    case net::ConnectStatus::kEstablished:
      break;
  }
  // With timeout check, it bounds the exchange from here; without it, the
  // deadline armed at the start (inter) still runs.
  if (spec_.check_timeout_ms > 0) arm(loop_.load()->now_ms() + spec_.check_timeout_ms);
  ++cur_;
  run();
}

bool HealthCheck::start_send(const CheckStep& s) {
  const config::CheckSend& snd = s.rule.send;
  out_.clear();
  switch (snd.kind) {
    case config::CheckSend::Kind::kString:
    case config::CheckSend::Kind::kBinary:
      out_ = snd.data;
      break;
    case config::CheckSend::Kind::kStringLf:
      out_ = std::string(snd.fmt->eval(fetch_));
      break;
    case config::CheckSend::Kind::kBinaryLf: {
      const std::string hex(snd.fmt->eval(fetch_));
      for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        auto nib = [](char ch) {
          return ch >= '0' && ch <= '9'   ? ch - '0'
                 : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                          : -1;
        };
        const int hi = nib(hex[i]), lo = nib(hex[i + 1]);
        if (hi < 0 || lo < 0 || hex.size() % 2) {
          finish(CheckStatus::kL7Rsp, 0,
                 "tcp-check send : failed to build log-format string at step " +
                     std::to_string(s.step));
          return false;
        }
        out_.push_back(char(hi << 4 | lo));
      }
      break;
    }
    case config::CheckSend::Kind::kHttp:
      out_ = render_check_request(snd, fetch_, spec_.program->send_state ? state_header() : "");
      break;
  }
  // As HAProxy: a new request starts a new answer.
  buf_.release();
  fetch_.set_response({});
  fetch_.clear_http();
  must_read_ = true;
  sent_ = 0;
  phase_ = Phase::kSending;
  if (!conn_) {
    finish(CheckStatus::kSockErr, 0, "no connection to send on");
    return false;
  }
  net::Connection* c = conn_;
  sent_ += c->xprt->snd_raw(c, out_.data(), out_.size());
  if (c->flags & net::kConnError) {
    fail_connection(CheckStatus::kL7Rsp, "error while sending");
    return false;
  }
  if (sent_ < out_.size()) {
    c->xprt->subscribe(c, kWakeSend, &wait_);
    return false;
  }
  return true;
}

void HealthCheck::send_pending() {
  net::Connection* c = conn_;
  sent_ += c->xprt->snd_raw(c, out_.data() + sent_, out_.size() - sent_);
  if (c->flags & net::kConnError)
    return fail_connection(CheckStatus::kL7Rsp, "error while sending");
  if (sent_ < out_.size()) {
    c->xprt->subscribe(c, kWakeSend, &wait_);
    return;
  }
  ++cur_;
  run();
}

// Reads what is there, then evaluates the run of expects again from its head.
void HealthCheck::receive() {
  net::Connection* c = conn_;
  if (!buf_.allocate()) return finish(CheckStatus::kSockErr, 0, "no buffer available");
  const size_t before = buf_.len();
  if (!buf_.full()) c->xprt->rcv_buf(c, buf_, buf_.room());
  last_read_ = (c->flags & (net::kConnRdShut | net::kConnError)) || buf_.full();
  if (buf_.len() == before && !last_read_) {
    c->xprt->subscribe(c, kWakeRecv, &wait_);
    return;
  }
  if (buf_.empty() && (c->flags & net::kConnError)) {
    return fail_connection(CheckStatus::kL7Rsp, std::strerror(ECONNRESET));
  }
  const CheckStep& s = spec_.program->steps[cur_];
  if (buf_.empty()) {
    std::string info = "TCPCHK got an empty response at step " + std::to_string(s.step);
    if (!s.rule.comment.empty()) info += " comment: '" + s.rule.comment + "'";
    if (spec_.program->http()) info = "connection closed without a response";
    return finish(s.rule.expect.error_status.value_or(CheckStatus::kL7Rsp), 0, info);
  }
  must_read_ = false;
  cur_ = expect_head_;
  run();
}

bool HealthCheck::expect(const CheckStep& s) {
  const std::vector<CheckStep>& steps = spec_.program->steps;
  if (cur_ == 0 || steps[cur_ - 1].rule.action != config::CheckRule::Action::kExpect)
    expect_head_ = cur_;
  if (must_read_) {
    expect_head_ = cur_;
    phase_ = Phase::kReceiving;
    receive();
    return false;
  }
  if (s.rule.expect.custom == config::CheckExpect::Custom::kAgentReply) return agent_reply();
  const std::string_view data(buf_.allocated() ? buf_.head() : "", buf_.len());
  bool last_rule = true;
  for (size_t i = cur_ + 1; i < steps.size() && last_rule; ++i)
    last_rule = steps[i].rule.action == config::CheckRule::Action::kComment;
  const ExpectVerdict v =
      spec_.program->http()
          ? eval_http_expect(*spec_.program, s, data, last_read_, srv_->up.load(), fetch_)
          : eval_content_expect(*spec_.program, s, data, last_read_, last_rule, fetch_);
  switch (v.kind) {
    case ExpectVerdict::Kind::kContinue:
      if (v.code) code_ = v.code;
      return true;
    case ExpectVerdict::Kind::kWait:
      must_read_ = true;
      cur_ = expect_head_;
      phase_ = Phase::kReceiving;
      conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
      return false;
    case ExpectVerdict::Kind::kFail:
    case ExpectVerdict::Kind::kPass:
      finish(v.status, v.code, v.info);
      return false;
  }
  return false;
}

// After the last rule.
void HealthCheck::pass() {
  const CheckProgram& p = *spec_.program;
  const bool tls = conn_ && conn_->xprt->ssl(conn_);
  if (!last_) return finish(CheckStatus::kL7Ok, 0, p.tcp_texts() ? "(tcp-check)" : "");
  int code = code_;
  const std::string info = success_info(p, *last_, fetch_, &code);
  switch (last_->rule.action) {
    case config::CheckRule::Action::kConnect:
      return finish(tls ? CheckStatus::kL6Ok : CheckStatus::kL4Ok, 0, info);
    case config::CheckRule::Action::kExpect:
      return finish(last_->rule.expect.ok_status.value_or(CheckStatus::kL7Ok), code, info);
    default:
      return finish(CheckStatus::kL7Ok, code, info);
  }
}

// A connection that failed or broke: the status, the error, and for
// tcp-check the step it happened at.
void HealthCheck::fail_connection(CheckStatus status, std::string info) {
  const CheckStep& s = spec_.program->steps[std::min(cur_, spec_.program->steps.size() - 1)];
  finish(status, 0, info + step_text(*spec_.program, s));
}

// X-Haproxy-Server-State: "UP 2/3; name=BE/SRV; node=HOST; weight=W/TOTAL;
// scur=N/TOTAL; qcur=Q".
std::string HealthCheck::state_header() const {
  const Server& s = *srv_;
  std::string t = health_status_text(counter_.health(), counter_.rise(), counter_.fall());
  if (s.disabled.load()) t = "MAINT";
  int total_weight = 0, total_sess = 0;
  for (const auto& o : be_->servers()) {
    if (o->serving()) total_weight += o->weight.load();
    total_sess += o->cur_sess.load();
  }
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  t += "; name=" + be_->name() + "/" + s.name + "; node=" + host +
       "; weight=" + std::to_string(s.weight.load()) + "/" + std::to_string(total_weight) +
       "; scur=" + std::to_string(s.cur_sess.load()) + "/" + std::to_string(total_sess) +
       "; qcur=0";
  return t;
}

void HealthCheck::on_deadline() {
  if (phase_ == Phase::kExternal) return external_timeout();
  const int64_t took = loop_.load()->now_ms() - start_ms_;
  const CheckProgram& p = *spec_.program;
  const CheckStep& s = p.steps[std::min(cur_, p.steps.size() - 1)];
  if (phase_ == Phase::kConnecting) {
    return finish(
        CheckStatus::kL4Timeout, 0,
        p.tcp_texts() ? step_text(p, s) : "no connection after " + std::to_string(took) + "ms");
  }
  CheckStatus st = CheckStatus::kL7Timeout;
  if (s.rule.action == config::CheckRule::Action::kExpect && s.rule.expect.tout_status)
    st = *s.rule.expect.tout_status;
  if (p.tcp_texts() || p.type != config::CheckType::kHttp) return finish(st, 0, step_text(p, s));
  // As HAProxy 2.6: an HTTP check that timed out says nothing more
  // ("reason: Layer7 timeout, check duration: ...", reg-test
  // server/cli_add_check_server.vtc).
  finish(st, 0, "");
}

void HealthCheck::close_conn() {
  if (child_) end_child();
  buf_.release();
  if (!conn_) return;
  // Like HAProxy, close with a reset: a check every few seconds must not fill
  // the table with TIME_WAIT sockets; "connect ... linger" asks for a normal
  // close instead (servers that log resets as errors).
  if (!linger_) {
    linger l{1, 0};
    setsockopt(conn_->fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  conn_->xprt->unsubscribe(conn_, kWakeRecv | kWakeSend, &wait_);
  conn_->destroy();
  conn_ = nullptr;
}

// Any phase -> result -> IDLE, with the next check armed.
void HealthCheck::finish(CheckStatus status, int code, std::string_view info) {
  close_conn();
  tasklet_.cancel();
  phase_ = Phase::kIdle;
  EventLoop* loop = loop_.load();
  const int64_t now = loop->now_ms();
  const int64_t took = now - start_ms_;
  if (!own_health().enabled.load()) {  // disabled meanwhile: the result does not count
    arm(now + spec_.intervals.inter);
    return;
  }
  if (spec_.agent) return agent_finish(status, code, info, took);
  // Under the lock, so that "disable server" either comes after this result
  // (and its lines) or makes it ignored, never in between.
  ServerStateGuard guard;
  if (paused_ || srv_->disabled.load()) {  // maintenance began meanwhile: ignore it
    arm(now + paused_interval());
    return;
  }
  if (restart_.load()) {  // it left maintenance meanwhile: the restart decides
    arm(now + restarted_interval());
    return;
  }
  record_result(status, code, info, took);
  arm(now +
      spread_interval(counter_.next_interval(spec_.intervals), spec_.spread_pct, check_random()));
}

// A result (a check's, or the traffic's: apply_passive) on the counter, the
// figures the API shows, the logs and the server's state.
void HealthCheck::record_result(CheckStatus status, int code, std::string_view info, int64_t took,
                                int sessions) {
  ServerStateGuard guard;
  const bool passed = check_passed(status);
  if (passed) srv_->passive.clear();  // as HAProxy: errors before a passed check are forgotten
  if (const int f = forced_.exchange(-1); f >= 0)
    counter_.reset(f ? InitState::kFullyUp : InitState::kFullyDown);
  ServerHealth& h = srv_->health;
  h.checks.fetch_add(1, std::memory_order_relaxed);
  const int before = counter_.health();
  const CheckStatus previous = h.last().status;
  if (!passed && before > 0) h.failed_checks.fetch_add(1, std::memory_order_relaxed);
  HealthCounter::Change change = counter_.record(passed);
  h.health.store(counter_.health());
  h.set_last(status, code, took, info);
  const CheckOutcome outcome{status, code, info, took, sessions};
  // log-health-checks: every result that moves the counter (a failure of a
  // server not fully DOWN, a success of one not fully UP) or whose status
  // differs from the previous check's (the first result after start-up, a
  // refused connection turning into a timeout...), as HAProxy.
  if (be_->settings.log_health_checks && (counter_.health() != before || status != previous))
    emit_backend_event(*be_, "[WARNING]", config::kLogNotice,
                       check_result_text(*be_, *srv_, passed, outcome, counter_));
  if (change != HealthCounter::Change::kNone) {
    const bool was_usable = srv_->usable();
    const bool was_stopping = srv_->stopping.load() || srv_->draining();
    srv_->stopping.store(false);
    transition(change == HealthCounter::Change::kWentUp, outcome, was_usable, was_stopping);
  } else if (status == CheckStatus::kL7OkCd) {
    enter_stopping(outcome);
  } else if (srv_->stopping.load()) {
    leave_stopping(passed, outcome);
  }
}

void publish_server_up(Backend& be, Server& s, bool up, int64_t now_ms) {
  s.up.store(up);
  if (!up) s.health.down_transitions.fetch_add(1, std::memory_order_relaxed);
  s.health.note_serving(s.serving(), now_ms);
  be.servers_changed();
  if (s.in_maintenance()) return;  // maintenance already acted on its sessions
  if (up)
    server_marked_up(be, s);
  else
    server_marked_down(s);
}

void HealthCheck::transition(bool up, const CheckOutcome& why, bool was_usable, bool was_stopping) {
  ServerStateGuard guard;
  Server& s = *srv_;
  publish_server_up(*be_, s, up, loop_.load()->now_ms());
  // Under log-health-checks the check's own line already gave the reason.
  const CheckOutcome* reason = be_->settings.log_health_checks ? nullptr : &why;
  emit_backend_event(*be_, "[WARNING]", up || was_stopping ? config::kLogNotice : config::kLogAlert,
                     server_state_text(*be_, s, up, reason, why.sessions));
  if (!up && was_usable) log_if_no_server(*be_);
  propagate_to_trackers(s, loop_.load()->now_ms());
}

void HealthCheck::maintenance_changed() {
  if (EventLoop* loop = loop_.load()) loop->post(&HealthCheck::maintenance_cb, this);
}

void HealthCheck::maintenance_cb(void* ctx) { static_cast<HealthCheck*>(ctx)->apply_maintenance(); }

int64_t HealthCheck::paused_interval() const {
  // As HAProxy: a server in maintenance shows a health of 0, so its paused
  // check ticks at downinter (inter when unset).
  return spec_.intervals.downinter > 0 ? spec_.intervals.downinter : spec_.intervals.inter;
}

int64_t HealthCheck::restarted_interval() const {
  return HealthCounter(spec_.rise, spec_.fall, spec_.init).next_interval(spec_.intervals);
}

// On the check's loop. Entering maintenance aborts a check in flight; leaving
// it restarts the counter at init-state (set_server_maintenance already
// published that state). Neither moves an idle check's timer: as HAProxy, the
// checks keep their schedule through a maintenance (each tick in it is
// skipped), so the first check after "enable server" comes at the next tick,
// not at once.
void HealthCheck::apply_maintenance() {
  EventLoop* loop = loop_.load();
  if (!loop) return;  // stopped since the post
  if (srv_->disabled.load()) {
    if (paused_) return;
    paused_ = true;
    if (phase_ != Phase::kIdle) {
      close_conn();
      tasklet_.cancel();
      phase_ = Phase::kIdle;
      arm(loop->now_ms() + paused_interval());
    }
    return;
  }
  paused_ = false;
  if (!restart_.exchange(false)) return;
  if (phase_ != Phase::kIdle) {  // begun before a disable this loop never saw
    close_conn();
    tasklet_.cancel();
    phase_ = Phase::kIdle;
    arm(loop->now_ms() + restarted_interval());
  }
  ServerStateGuard guard;
  counter_.reset(spec_.init);
  srv_->health.health.store(counter_.health());
  // A change made between the publication and now may have moved `up`.
  if (srv_->up.exchange(counter_.up()) != counter_.up()) {
    srv_->health.note_serving(srv_->serving(), loop->now_ms());
    be_->servers_changed();
    propagate_to_trackers(*srv_, loop->now_ms());
  }
}

void set_server_maintenance(Backend& be, Server& s, bool maintenance) {
  ServerStateGuard guard;
  if (s.disabled.load() == maintenance) return;
  const bool was_down = !s.up.load() && s.has_addr.load();  // its checks took it DOWN
  if (!maintenance && s.check) {
    // Leaving maintenance: the server restarts as init-state says; its checks
    // (restarted at once on their thread) decide from there.
    HealthCounter fresh(s.check->spec().rise, s.check->spec().fall, s.check->spec().init);
    s.check->prepare_restart();
    s.health.health.store(fresh.health());
    s.up.store(fresh.up());
  }
  s.disabled.store(maintenance);
  // As HAProxy, a server (not a tracker) entering maintenance shows a check
  // health of 0; an unchecked one keeps it after, a checked one restarts.
  if (maintenance && !s.track.srv) s.health.health.store(0);
  s.health.note_serving(s.serving(), MonotonicClock::instance()->now_ms());
  be.servers_changed();
  if (s.check) s.check->maintenance_changed();
  if (maintenance) server_marked_down(s);
  if (!maintenance && s.serving()) server_marked_up(be, s);
  if (s.imaint.load()) {
    // Still in maintenance through the server it tracks: nothing to log.
  } else if (maintenance && was_down) {  // as HAProxy: nothing more is lost
    emit_backend_event(be, "[WARNING]", config::kLogNotice, maintenance_from_down_text(be, s));
  } else if (maintenance) {
    emit_backend_event(be, "[WARNING]", config::kLogAlert, maintenance_text(be, s));
    log_if_no_server(be);
  } else {
    emit_backend_event(be, "[WARNING]", config::kLogNotice, maintenance_left_text(be, s));
  }
  propagate_to_trackers(s, MonotonicClock::instance()->now_ms());
}

}  // namespace hearth::backend
