#include "stream/stream.h"

#include "mux/mux.h"
#include "net/connection.h"
#include "net/socket.h"
#include "net/transport.h"
#include "stream/server_connect.h"
#include "stream/session_log.h"

namespace hearth::stream {
namespace {
thread_local int t_live_streams = 0;
constexpr int64_t kTurnAroundMs = 1000;  // longest wait before retrying a refused connect
}  // namespace

Pool<Stream>& Stream::pool() {
  static Pool<Stream> p("stream");
  return p;
}

int Stream::live_on_thread() { return t_live_streams; }

bool Stream::create_incoming(mux::StreamConnector* sc, void* ctx) {
  auto* fe = static_cast<Frontend*>(ctx);
  Stream* s = pool().create(fe, sc);
  if (!s) return false;
  sc->app = s;
  sc->app_tasklet = &s->tasklet_;
  EventLoop::current()->wake(&s->tasklet_, kWakeOther);
  return true;
}

Stream::Stream(Frontend* fe, mux::StreamConnector* scf)
    : fe_(fe),
      be_(fe->select_backend()),
      scf_(scf),
      tasklet_(&Stream::process_cb, this),
      timer_(&Stream::timer_cb, this),
      retries_left_(be_ ? be_->settings.retries : 0) {
  wait_f_.tasklet = &tasklet_;
  wait_b_.tasklet = &tasklet_;
  start_ms_ = EventLoop::current()->now_ms();
  ++t_live_streams;
  refresh_front();
}

Stream::~Stream() {
  EventLoop::current()->timers().cancel(&timer_);
  --t_live_streams;
}

void Stream::process_cb(Tasklet*, void* ctx, uint32_t state) {
  static_cast<Stream*>(ctx)->process(state);
}

void Stream::timer_cb(Timer*, void* ctx) {
  auto* s = static_cast<Stream*>(ctx);
  s->process(kWakeTimer);
}

bool Stream::expired(int64_t exp) const {
  return exp != kNever && exp <= EventLoop::current()->now_ms();
}

void Stream::refresh_front() {
  const FrontendTimeouts& t = fe_->timeouts;
  const int64_t tunnel = be_ ? be_->settings.timeouts.tunnel : 0;
  int64_t to = t.client;
  if (state_ == State::kEstablished && tunnel) to = tunnel;
  if ((req_shut_ || res_shut_) && t.client_fin) to = t.client_fin;
  front_exp_ = to ? EventLoop::current()->now_ms() + to : kNever;
}

void Stream::refresh_back() {
  const backend::BackendTimeouts& t = be_->settings.timeouts;
  int64_t to = t.server;
  if (state_ == State::kEstablished && t.tunnel) to = t.tunnel;
  if ((req_shut_ || res_shut_) && t.server_fin) to = t.server_fin;
  back_exp_ = to ? EventLoop::current()->now_ms() + to : kNever;
}

void Stream::process(uint32_t why) {
  switch (state_) {
    case State::kAssign:
      assign_server();
      break;
    case State::kQueued:
      if (waiter_ && waiter_->assigned) {
        srv_ = be_->cancel_wait(waiter_);
        waiter_ = nullptr;
        connect_server();
      } else if (waiter_ && waiter_->rejected) {  // every server went down meanwhile
        be_->cancel_wait(waiter_);
        waiter_ = nullptr;
        be_->counters.no_server.fetch_add(1, std::memory_order_relaxed);
        close("SC");
      } else if (expired(queue_exp_)) {
        be_->counters.queue_timeouts.fetch_add(1, std::memory_order_relaxed);
        close("sQ");
      } else if (expired(front_exp_)) {
        close("cQ");
      }
      break;
    case State::kConnecting:
      check_connect();
      break;
    case State::kTurnAround:
      if (expired(conn_exp_)) connect_server();
      break;
    case State::kEstablished:
      forward();
      break;
    case State::kClosed:
      break;
  }
  if (state_ == State::kEstablished && (why & kWakeTimer)) {
    if (expired(front_exp_)) close("cD");
    else if (expired(back_exp_)) close("sD");
  }
  if (state_ == State::kClosed) return finish();
  update_timer();
}

void Stream::assign_server() {
  if (!be_) return close("SC");  // no backend: nothing to connect to
  backend::LbRequest req;
  req.source_hash = scf_->conn->peer().ip_hash();
  req.avoid = avoid_;
  backend::Server* s = nullptr;
  switch (be_->take(req, &s, EventLoop::current(), &tasklet_, &waiter_)) {
    case backend::TakeResult::kAssigned:
      srv_ = s;
      connect_server();
      return;
    case backend::TakeResult::kQueued:
      state_ = State::kQueued;
      queue_exp_ = be_->settings.timeouts.queue
                       ? EventLoop::current()->now_ms() + be_->settings.timeouts.queue
                       : (be_->settings.timeouts.connect
                              ? EventLoop::current()->now_ms() + be_->settings.timeouts.connect
                              : kNever);
      return;
    case backend::TakeResult::kNoServer:
    case backend::TakeResult::kQueueFull:
      be_->counters.no_server.fetch_add(1, std::memory_order_relaxed);
      close("SC");
      return;
  }
}

void Stream::connect_server() {
  state_ = State::kConnecting;
  connect_start_ms_ = EventLoop::current()->now_ms();
  const int64_t connect_to = be_->settings.timeouts.connect;
  conn_exp_ = connect_to ? connect_start_ms_ + connect_to : kNever;
  srv_->counters.conns_opened.fetch_add(1, std::memory_order_relaxed);
  scb_ = open_server_connection(srv_->addr, "pt", this, &tasklet_, &wait_b_);
  if (!scb_) return connect_failed("SC");
}

void Stream::check_connect() {
  net::Connection* c = scb_->conn;
  if (!(c->flags & (net::kConnSendReady | net::kConnError))) {
    if (expired(conn_exp_)) return connect_failed("sC");
    return;
  }
  int err = net::socket_error(c->fd());
  if (err != 0 || (c->flags & net::kConnError)) return connect_failed("SC");
  c->flags = (c->flags & ~net::kConnConnecting) | net::kConnConnected;
  connect_ms_ = EventLoop::current()->now_ms() - connect_start_ms_;
  state_ = State::kEstablished;
  refresh_front();
  refresh_back();
  forward();
}

void Stream::connect_failed(const char* why) {
  if (srv_) srv_->counters.connect_errors.fetch_add(1, std::memory_order_relaxed);
  if (scb_) {
    scb_->mux->detach(scb_, false);
    mux::StreamConnector::pool().destroy(scb_);
    scb_ = nullptr;
  }
  if (retries_left_ <= 0) return close(why[0] == 's' ? "sC" : "SC");
  --retries_left_;
  if (srv_) srv_->counters.retries.fetch_add(1, std::memory_order_relaxed);
  // With `option redispatch`, the last retry goes to another server.
  if (be_->settings.redispatch && retries_left_ == 0 && be_->servers().size() > 1) {
    avoid_ = srv_;
    srv_ = nullptr;
    be_->release(avoid_);
    avoid_->counters.redispatches.fetch_add(1, std::memory_order_relaxed);
    state_ = State::kAssign;
    assign_server();
    return;
  }
  // Turn-around, as in HAProxy: a server that refused at once would most likely
  // refuse an immediate retry too (it may be restarting), so wait
  // min(timeout connect, 1s) first. A connect timeout has already waited.
  if (why[0] != 's') {
    const int64_t connect_to = be_->settings.timeouts.connect;
    int64_t delay = connect_to && connect_to < kTurnAroundMs ? connect_to : kTurnAroundMs;
    state_ = State::kTurnAround;
    conn_exp_ = EventLoop::current()->now_ms() + delay;
    return;
  }
  connect_server();
}

// Moves bytes in both directions until nothing more can move, then applies
// half-closes and decides whether the stream is over.
void Stream::forward() {
  while (forward_once()) {
  }
  if ((scf_->flags & mux::kScError) || (scb_->flags & mux::kScError)) {
    return close((scf_->flags & mux::kScError) ? "CD" : "SD");
  }
  // Half-close: once a side's input ended and all of it was delivered, shut the
  // other side's output.
  if ((scf_->flags & mux::kScEos) && req_.empty() && !req_shut_) {
    scb_->mux->shutw(scb_);
    req_shut_ = true;
    refresh_front();
    refresh_back();
  }
  if ((scb_->flags & mux::kScEos) && res_.empty() && !res_shut_) {
    scf_->mux->shutw(scf_);
    res_shut_ = true;
    refresh_front();
    refresh_back();
  }
  if (req_shut_ && res_shut_) return close("--");
  req_.release_if_empty();
  res_.release_if_empty();
  update_subscriptions();
}

bool Stream::forward_once() {
  bool progress = false;
  auto pump = [&](mux::StreamConnector* from, mux::StreamConnector* to, Buffer& buf,
                  uint64_t* counter, bool from_front) {
    if (!(from->flags & (mux::kScEos | mux::kScError)) && (!buf.allocated() || buf.room())) {
      size_t n = from->mux->rcv_buf(from, buf, buf.allocated() ? buf.room() : Buffer::configured_size());
      if (n) {
        *counter += n;
        progress = true;
        from_front ? refresh_front() : refresh_back();
      }
    }
    if (!buf.empty() && !(to->flags & (mux::kScShutW | mux::kScError))) {
      size_t n = to->mux->snd_buf(to, buf, buf.len());
      if (n) {
        progress = true;
        from_front ? refresh_back() : refresh_front();
      }
    }
  };
  pump(scf_, scb_, req_, &bytes_in_, true);
  pump(scb_, scf_, res_, &bytes_out_, false);
  return progress && !((scf_->flags | scb_->flags) & mux::kScError);
}

void Stream::update_subscriptions() {
  auto sub = [](mux::StreamConnector* sc, WaitEvent* w, bool want_recv, bool want_send) {
    uint32_t ev = (want_recv ? uint32_t(kWakeRecv) : 0u) | (want_send ? uint32_t(kWakeSend) : 0u);
    uint32_t missing = ev & ~w->events;
    if (missing) sc->mux->subscribe(sc, missing, w);
  };
  bool front_eos = scf_->flags & (mux::kScEos | mux::kScError);
  bool back_eos = scb_->flags & (mux::kScEos | mux::kScError);
  sub(scf_, &wait_f_, !front_eos && req_.room() + !req_.allocated() > 0, !res_.empty());
  sub(scb_, &wait_b_, !back_eos && res_.room() + !res_.allocated() > 0, !req_.empty());
}

void Stream::update_timer() {
  int64_t exp = kNever;
  switch (state_) {
    case State::kQueued:
      exp = queue_exp_ < front_exp_ ? queue_exp_ : front_exp_;
      break;
    case State::kConnecting:
    case State::kTurnAround:
      exp = conn_exp_;
      break;
    case State::kEstablished:
      exp = front_exp_ < back_exp_ ? front_exp_ : back_exp_;
      break;
    default:
      break;
  }
  EventLoop::current()->timers().arm(&timer_, exp);
}

// Tears both sides down. The object itself is freed by finish() once process()
// unwinds, so callers may keep reading members after close().
void Stream::close(const char* why) {
  if (state_ == State::kClosed) return;
  end_reason_ = why;
  state_ = State::kClosed;
  if (waiter_) {
    if (backend::Server* granted = be_->cancel_wait(waiter_)) be_->release(granted);
    waiter_ = nullptr;
  }
  if (scb_) {
    if (scb_->mux) scb_->mux->detach(scb_, false);
    mux::StreamConnector::pool().destroy(scb_);
    scb_ = nullptr;
  }
  if (srv_) {
    be_->release(srv_);
  }
  fe_->counters.bytes_in.fetch_add(bytes_in_, std::memory_order_relaxed);
  fe_->counters.bytes_out.fetch_add(bytes_out_, std::memory_order_relaxed);
  // option dontlognull, as HAProxy: judged by what the client sent.
  if (fe_->log && !(fe_->dontlognull && bytes_in_ == 0)) log_end();
  scf_->mux->detach(scf_, false);
  mux::StreamConnector::pool().destroy(scf_);
  scf_ = nullptr;
  srv_ = nullptr;
}

void Stream::finish() {
  tasklet_.cancel();
  pool().destroy(this);
}

void Stream::log_end() {
  SessionLogRecord r;
  r.client = scf_->conn ? scf_->conn->peer().str() : "-";
  r.frontend = fe_->name;
  r.backend = be_ ? be_->name() : fe_->name;  // as HAProxy: no backend, the frontend
  r.server = srv_ ? srv_->name : "<NOSRV>";
  int64_t now = EventLoop::current()->now_ms();
  r.t_connect = connect_ms_;
  r.t_total = now - start_ms_;
  r.bytes_out = bytes_out_;
  r.termination = end_reason_;
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  r.srv_conns = srv_ ? srv_->cur_sess.load(std::memory_order_relaxed) : 0;
  emit_session_log(r);
}

}  // namespace hearth::stream
