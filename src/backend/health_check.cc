#include "backend/health_check.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "backend/backend.h"
#include "config/log_model.h"
#include "http/head_parser.h"
#include "http/headers.h"
#include "http/start_line.h"
#include "http/status.h"
#include "net/connection.h"
#include "net/proxy_out.h"
#include "net/socket.h"
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

void log_if_no_server(const Backend& be) {
  std::string t = no_server_text(be);
  if (!t.empty()) emit_backend_event(be, "[ALERT]", config::kLogEmerg, t);
}

}  // namespace

// ---------------------------------------------------------------------------
// StatusExpect

StatusExpect StatusExpect::status(std::vector<std::pair<int, int>> ranges, bool negate,
                                  std::string text) {
  StatusExpect e;
  e.kind_ = Kind::kStatus;
  e.negate_ = negate;
  e.ranges_ = std::move(ranges);
  e.text_ = std::move(text);
  return e;
}

bool StatusExpect::rstatus(const std::string& regex, bool negate, StatusExpect* out) {
  auto* re = new regex_t;
  if (regcomp(re, regex.c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
    delete re;  // not compiled: nothing for regfree()
    return false;
  }
  out->kind_ = Kind::kRStatus;
  out->negate_ = negate;
  out->regex_ = std::shared_ptr<regex_t>(re, [](regex_t* r) {
    regfree(r);
    delete r;
  });
  out->text_ = regex;
  return true;
}

bool StatusExpect::passes(int status) const {
  bool match = false;
  switch (kind_) {
    case Kind::kDefault:
      return status >= 200 && status < 400;
    case Kind::kStatus:
      for (const auto& r : ranges_) match = match || (status >= r.first && status <= r.second);
      break;
    case Kind::kRStatus: {
      const std::string code = std::to_string(status);
      match = regexec(regex_.get(), code.c_str(), 0, nullptr, 0) == 0;
      break;
    }
  }
  return match != negate_;
}

std::string StatusExpect::describe() const {
  switch (kind_) {
    case Kind::kDefault:
      return "2xx or 3xx";
    case Kind::kStatus:
      return std::string(negate_ ? "! " : "") + "status " + text_;
    case Kind::kRStatus:
      return std::string(negate_ ? "! " : "") + "rstatus " + text_;
  }
  return "";
}

std::string build_check_request(std::string_view method, std::string_view uri,
                                std::string_view version, std::string_view raw_lines,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(uri).append(" ").append(version).append("\r\n");
  out.append(raw_lines);
  bool has_connection = false;
  for (std::string_view rest = raw_lines; !rest.empty();) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    has_connection = has_connection || http::iequals(line.substr(0, line.find(':')), "connection");
  }
  for (const auto& [name, value] : headers) {
    out.append(name).append(": ").append(value).append("\r\n");
    has_connection = has_connection || http::iequals(name, "connection");
  }
  if (!body.empty())
    out.append("content-length: ").append(std::to_string(body.size())).append("\r\n");
  if (version == "HTTP/1.1" && !has_connection) out.append("connection: close\r\n");
  out.append("\r\n");
  out.append(body);
  return out;
}

// ---------------------------------------------------------------------------
// HealthCheck

HealthCheck::HealthCheck(Backend* be, Server* s, CheckSpec spec, int thread)
    : be_(be),
      srv_(s),
      spec_(std::move(spec)),
      thread_(thread),
      counter_(spec_.rise, spec_.fall, spec_.first_start.value_or(spec_.init)),
      timer_(&HealthCheck::timer_cb, this),
      tasklet_(&HealthCheck::io_cb, this) {
  wait_.tasklet = &tasklet_;
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
}

void HealthCheck::start(EventLoop* loop) {
  loop_.store(loop);
  arm(loop->now_ms() + spec_.first_delay_ms);
}

void HealthCheck::stop() {
  close_conn();
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
      return hc->send_request();
    case Phase::kReading:
      return hc->read_response();
  }
}

// IDLE -> CONNECTING, or a result at once if no socket could be opened.
void HealthCheck::begin() {
  EventLoop* loop = loop_.load();
  // Maintenance, or no address yet: look again later.
  if (paused_ || srv_->disabled.load() || !srv_->has_addr.load()) {
    arm(loop->now_ms() + spec_.intervals.inter);
    return;
  }
  start_ms_ = loop->now_ms();
  int err = 0;
  net::Address to = spec_.addr;
  if (spec_.follow_server) {
    to = srv_->address();
    to.set_port(srv_->check_port ? uint16_t(srv_->check_port) : to.port());
  }
  conn_ = net::Connection::connect_to(loop, to, srv_->check_xprt, &err);
  phase_ = Phase::kConnecting;
  if (!conn_ && err) return finish(connect_error_status(err), 0, std::strerror(err));
  if (!conn_) return finish(CheckStatus::kSockErr, 0, "cannot register the socket");
  // check-send-proxy (or send-proxy): a header describing no client, v1
  // "UNKNOWN" or v2 LOCAL, as HAProxy's checks send.
  if (srv_->check_pp_version &&
      !net::queue_proxy_header(conn_, srv_->check_pp_version, srv_->pp_opts, net::ProxySource{}))
    return finish(CheckStatus::kSockErr, 0, "cannot build the PROXY header");
  if (!net::tls_client_prepare(conn_, srv_->check_sni))
    return finish(CheckStatus::kSockErr, 0, "cannot set up TLS");
  int64_t bound = spec_.intervals.inter;
  if (spec_.check_timeout_ms > 0 && spec_.connect_timeout_ms > 0)
    bound = std::min(bound, spec_.connect_timeout_ms);
  arm(start_ms_ + bound);
  conn_->xprt->subscribe(conn_, kWakeSend, &wait_);
}

void HealthCheck::on_connect() {
  net::Connection* c = conn_;
  switch (c->connect_status()) {
    case net::ConnectStatus::kPending:
      c->xprt->subscribe(c, kWakeSend, &wait_);
      return;
    case net::ConnectStatus::kFailed: {
      const int err = c->connect_errno();
      // Connected, but the TLS handshake failed.
      if (!err && c->xprt->ssl(c))
        return finish(CheckStatus::kL6Rsp, 0, net::tls_failure_message(net::tls_failure(c)));
      return finish(CheckStatus::kL4Con, 0, std::strerror(err ? err : ECONNRESET));
    }
    case net::ConnectStatus::kEstablished:
      break;
  }
  if (!spec_.http) return finish(c->xprt->ssl(c) ? CheckStatus::kL6Ok : CheckStatus::kL4Ok, 0, "");
  // With timeout check, it bounds the exchange from here; without it, the
  // deadline armed at the start (inter) still runs.
  if (spec_.check_timeout_ms > 0) arm(loop_.load()->now_ms() + spec_.check_timeout_ms);
  phase_ = Phase::kSending;
  sent_ = 0;
  send_request();
}

void HealthCheck::send_request() {
  net::Connection* c = conn_;
  const std::string& req = spec_.request;
  sent_ += c->xprt->snd_raw(c, req.data() + sent_, req.size() - sent_);
  if (c->flags & net::kConnError)
    return finish(CheckStatus::kSockErr, 0, "error while sending the request");
  if (sent_ < req.size()) {
    c->xprt->subscribe(c, kWakeSend, &wait_);
    return;
  }
  phase_ = Phase::kReading;
  c->xprt->subscribe(c, kWakeRecv, &wait_);
}

// Only the final response's status line matters, as in HAProxy: a health
// endpoint that is loose about its header fields (bare LF, folding, odd
// framing) still gets a verdict from its status. Interim 1xx heads are skipped.
void HealthCheck::read_response() {
  net::Connection* c = conn_;
  if (!buf_.allocate()) return finish(CheckStatus::kSockErr, 0, "no buffer available");
  c->xprt->rcv_buf(c, buf_, buf_.room());
  for (;;) {
    const std::string_view data(buf_.head(), buf_.len());
    const size_t eol = data.find('\n');
    if (eol == std::string_view::npos) break;
    std::string_view line = data.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    http::ResponseHead head;
    if (!http::parse_status_line(line, &head).ok())
      return finish(CheckStatus::kL7Rsp, 0, "invalid response: not a status line");
    const int status = head.status;
    if (status >= 200) return evaluate(status);
    // An interim response: skip its head (up to an empty line), then go on.
    const size_t end = http::find_head_end(data, eol);
    if (end == std::string_view::npos) break;
    buf_.consume(end);
  }
  if (buf_.full()) return finish(CheckStatus::kL7Rsp, 0, "response head larger than a buffer");
  if (c->flags & (net::kConnRdShut | net::kConnError)) {
    return finish(CheckStatus::kL7Rsp, 0,
                  buf_.empty() ? "connection closed without a response"
                               : "connection closed inside the response head");
  }
  c->xprt->subscribe(c, kWakeRecv, &wait_);
}

void HealthCheck::evaluate(int status) {
  std::string info = "HTTP status " + std::to_string(status);
  std::string_view reason = http::reason_phrase(status);
  if (!reason.empty()) info.append(" ").append(reason);
  if (spec_.expect.passes(status)) return finish(CheckStatus::kL7Ok, status, info);
  finish(CheckStatus::kL7Sts, status, info + "; expected " + spec_.expect.describe());
}

void HealthCheck::on_deadline() {
  const int64_t took = loop_.load()->now_ms() - start_ms_;
  if (phase_ == Phase::kConnecting)
    return finish(CheckStatus::kL4Timeout, 0, "no connection after " + std::to_string(took) + "ms");
  finish(CheckStatus::kL7Timeout, 0, "no complete response after " + std::to_string(took) + "ms");
}

void HealthCheck::close_conn() {
  buf_.release();
  if (!conn_) return;
  // Like HAProxy, close with a reset: a check every few seconds must not fill
  // the table with TIME_WAIT sockets.
  linger l{1, 0};
  setsockopt(conn_->fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
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
  if (paused_ || srv_->disabled.load()) {  // maintenance began meanwhile: ignore it
    arm(now + spec_.intervals.inter);
    return;
  }
  if (restart_.load()) {  // it left maintenance meanwhile: the restart decides
    arm(now);
    return;
  }
  const bool passed = check_passed(status);
  ServerHealth& h = srv_->health;
  h.checks.fetch_add(1, std::memory_order_relaxed);
  const int before = counter_.health();
  const CheckStatus previous = h.last().status;
  if (!passed && before > 0) h.failed_checks.fetch_add(1, std::memory_order_relaxed);
  HealthCounter::Change change = counter_.record(passed);
  h.health.store(counter_.health());
  h.set_last(status, code, took, info);
  const CheckOutcome outcome{status, code, info, took};
  // log-health-checks: every result that moves the counter (a failure of a
  // server not fully DOWN, a success of one not fully UP) or whose status
  // differs from the previous check's (the first result after start-up, a
  // refused connection turning into a timeout...), as HAProxy.
  if (be_->settings.log_health_checks && (counter_.health() != before || status != previous))
    emit_backend_event(*be_, "[WARNING]", config::kLogNotice,
                       check_result_text(*be_, *srv_, passed, outcome, counter_));
  if (change != HealthCounter::Change::kNone)
    transition(change == HealthCounter::Change::kWentUp, outcome);
  arm(now +
      spread_interval(counter_.next_interval(spec_.intervals), spec_.spread_pct, check_random()));
}

void HealthCheck::transition(bool up, const CheckOutcome& why) {
  Server& s = *srv_;
  s.up.store(up);
  if (!up) s.health.down_transitions.fetch_add(1, std::memory_order_relaxed);
  s.health.note_serving(s.serving(), loop_.load()->now_ms());
  be_->servers_changed();
  // Under log-health-checks the check's own line already gave the reason.
  const CheckOutcome* reason = be_->settings.log_health_checks ? nullptr : &why;
  emit_backend_event(*be_, "[WARNING]", up ? config::kLogNotice : config::kLogAlert,
                     server_state_text(*be_, s, up, reason));
  if (!up) log_if_no_server(*be_);
}

void HealthCheck::maintenance_changed() {
  if (EventLoop* loop = loop_.load()) loop->post(&HealthCheck::maintenance_cb, this);
}

void HealthCheck::maintenance_cb(void* ctx) { static_cast<HealthCheck*>(ctx)->apply_maintenance(); }

// On the check's loop. Entering maintenance aborts a check in flight; leaving
// it restarts the counter at init-state (set_server_maintenance already
// published that state) and checks at once.
void HealthCheck::apply_maintenance() {
  EventLoop* loop = loop_.load();
  if (!loop) return;  // stopped since the post
  if (srv_->disabled.load()) {
    if (paused_) return;
    paused_ = true;
    close_conn();
    tasklet_.cancel();
    phase_ = Phase::kIdle;
    arm(loop->now_ms() + spec_.intervals.inter);
    return;
  }
  paused_ = false;
  if (!restart_.exchange(false)) return;
  close_conn();
  tasklet_.cancel();
  phase_ = Phase::kIdle;
  counter_.reset(spec_.init);
  srv_->health.health.store(counter_.health());
  // A result recorded between the publication and now may have moved `up`.
  if (srv_->up.exchange(counter_.up()) != counter_.up()) {
    srv_->health.note_serving(srv_->serving(), loop->now_ms());
    be_->servers_changed();
  }
  arm(loop->now_ms());
}

void set_server_maintenance(Backend& be, Server& s, bool maintenance) {
  if (s.disabled.load() == maintenance) return;
  if (!maintenance && s.check) {
    // Leaving maintenance: the server restarts as init-state says; its checks
    // (restarted at once on their thread) decide from there.
    HealthCounter fresh(s.check->spec().rise, s.check->spec().fall, s.check->spec().init);
    s.check->prepare_restart();
    s.health.health.store(fresh.health());
    s.up.store(fresh.up());
  }
  s.disabled.store(maintenance);
  s.health.note_serving(s.serving(), MonotonicClock::instance()->now_ms());
  be.servers_changed();
  if (s.check) s.check->maintenance_changed();
  if (maintenance) {
    emit_backend_event(be, "[WARNING]", config::kLogAlert, maintenance_text(be, s));
    log_if_no_server(be);
  } else {
    emit_backend_event(be, "[WARNING]", config::kLogNotice, maintenance_left_text(be, s));
  }
}

}  // namespace hearth::backend
