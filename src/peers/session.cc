#include "peers/session.h"

#include <unistd.h>

#include <atomic>
#include <charconv>

#include "core/buffer.h"
#include "net/connection.h"
#include "net/transport.h"
#include "peers/section.h"
#include "peers/wire.h"

namespace hearth::peers {
namespace {

constexpr size_t kMaxHello = 1024;

std::atomic<int> g_active{0}, g_connected{0};

}  // namespace

int Session::active_count() { return g_active.load(std::memory_order_relaxed); }
int Session::connected_count() { return g_connected.load(std::memory_order_relaxed); }

Session::Session(Section* s, Peer* peer, net::Connection* conn)
    : sec_(s),
      peer_(peer),
      conn_(conn),
      state_(State::kConnecting),
      tasklet_(&Session::io_cb, this),
      timer_(&Session::timer_cb, this) {
  wait_.tasklet = &tasklet_;
  g_active.fetch_add(1, std::memory_order_relaxed);
}

Session::Session(Section* s, net::Connection* conn)
    : sec_(s),
      conn_(conn),
      state_(State::kAccepted),
      tasklet_(&Session::io_cb, this),
      timer_(&Session::timer_cb, this) {
  wait_.tasklet = &tasklet_;
  g_active.fetch_add(1, std::memory_order_relaxed);
}

Session::~Session() { close(); }

void Session::start() {
  last_rx_ = last_tx_ = sec_->loop()->now_ms();
  arm_timer();
  if (state_ == State::kAccepted) return on_io();  // the TLS handshake starts at once
  conn_->xprt->subscribe(conn_, kWakeSend, &wait_);
}

void Session::close() {
  if (state_ == State::kClosed) return;
  if (state_ == State::kEstablished) g_connected.fetch_sub(1, std::memory_order_relaxed);
  g_active.fetch_sub(1, std::memory_order_relaxed);
  state_ = State::kClosed;
  tasklet_.cancel();
  if (sec_->loop()) sec_->loop()->timers().cancel(&timer_);
  if (conn_) {
    conn_->xprt->unsubscribe(conn_, kWakeRecv | kWakeSend, &wait_);
    conn_->destroy();
    conn_ = nullptr;
  }
  sec_->detach(this);
}

bool Session::local() const { return peer_ && peer_ == sec_->local_peer(); }

void Session::kick() {
  if (state_ != State::kEstablished) return;
  produce();
  flush();
}

void Session::io_cb(Tasklet*, void* ctx, uint32_t) { static_cast<Session*>(ctx)->on_io(); }

void Session::timer_cb(Timer*, void* ctx) {
  auto* s = static_cast<Session*>(ctx);
  const int64_t now = s->sec_->loop()->now_ms();
  if (now >= s->last_rx_ + kAliveMs) return s->close();  // silent peer, or no answer
  if (s->state_ == State::kEstablished && now >= s->last_tx_ + kHeartbeatMs) {
    put_message(&s->out_, kClassControl, kHeartbeat);
    s->flush();
    if (s->state_ == State::kClosed) return;
  }
  s->arm_timer();
}

void Session::arm_timer() {
  int64_t at = last_rx_ + kAliveMs;
  if (state_ == State::kEstablished) at = std::min(at, last_tx_ + kHeartbeatMs);
  sec_->loop()->timers().arm(&timer_, at);
}

void Session::on_io() {
  if (state_ == State::kConnecting) return on_connected();
  if (state_ == State::kAccepted && !handshaken_) {
    switch (conn_->xprt->handshake(conn_)) {
      case net::HandshakeStatus::kPending:
        conn_->xprt->subscribe(conn_, conn_->xprt->handshake_wants(conn_), &wait_);
        return;
      case net::HandshakeStatus::kFailed:
        return close();
      case net::HandshakeStatus::kDone:
        handshaken_ = true;
        break;
    }
  }
  const bool open = read_in();
  switch (state_) {
    case State::kAwaitStatus:
      handle_status();
      break;
    case State::kAccepted:
      handle_hello();
      break;
    case State::kEstablished:
      if (handle_messages()) {
        produce();
        flush();
      }
      break;
    default:
      break;
  }
  if (state_ == State::kClosed) return;
  if (!open) return close();
  conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
}

void Session::on_connected() {
  switch (conn_->connect_status()) {
    case net::ConnectStatus::kPending: {
      // Connected, a TLS handshake under way: wait for what it needs.
      const uint32_t wants = conn_->xprt->handshake_wants(conn_);
      conn_->xprt->subscribe(conn_, wants ? wants : kWakeSend, &wait_);
      return;
    }
    case net::ConnectStatus::kFailed:
      return close();
    case net::ConnectStatus::kEstablished:
      break;
  }
  state_ = State::kAwaitStatus;
  out_ = make_hello(peer_->spec.name, sec_->local_name(), long(getpid()));
  flush();
  if (state_ == State::kClosed) return;
  conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
}

// Returns: false once the peer closed or the connection failed.
bool Session::read_in() {
  Buffer b;
  if (!b.allocate()) return true;  // no memory now: the next wake retries
  const size_t before = in_.size();
  for (;;) {
    const size_t n = conn_->xprt->rcv_buf(conn_, b, b.room());
    if (n) {
      in_.append(b.head(), b.len());
      b.consume(b.len());
    }
    if (!n || in_.size() - before >= 4 * kMaxMessage) break;
  }
  if (in_.size() > before) last_rx_ = sec_->loop()->now_ms();
  return !(conn_->flags & (net::kConnError | net::kConnRdShut));
}

void Session::handle_status() {
  const size_t lf = in_.find('\n');
  if (lf == std::string::npos) {
    if (in_.size() > 16) close();
    return;
  }
  int code = 0;
  std::from_chars(in_.data(), in_.data() + lf, code);
  peer_->last_status = code;
  in_.erase(0, lf + 1);
  if (code != kStatusOk) return close();
  established();
}

void Session::handle_hello() {
  size_t lines = 0, pos = 0;
  while (lines < 3 && (pos = in_.find('\n', pos)) != std::string::npos) ++lines, ++pos;
  if (lines < 3) {
    if (in_.size() > kMaxHello) close();
    return;
  }
  Hello h;
  int status = parse_hello(std::string_view(in_).substr(0, pos), &h);
  Peer* p = nullptr;
  if (status == kStatusOk && h.remote != sec_->local_name()) status = kStatusLocalPeerMismatch;
  if (status == kStatusOk && !(p = sec_->find_peer(h.sender))) status = kStatusRemotePeerMismatch;
  // Another process of this name while this one leaves: not now.
  if (status == kStatusOk && p == sec_->local_peer() && sec_->handing_over())
    status = kStatusTryAgain;
  in_.erase(0, pos);
  const std::string line = std::to_string(status) + "\n";
  if (status != kStatusOk) {
    conn_->xprt->snd_raw(conn_, line.data(), line.size());
    return close();
  }
  out_ = line;
  peer_ = p;
  peer_->last_status = status;
  sec_->attach(*p, this);
  established();
}

void Session::established() {
  if (state_ != State::kEstablished) g_connected.fetch_add(1, std::memory_order_relaxed);
  state_ = State::kEstablished;
  if (peer_) peer_->last_handshake = sec_->loop()->now_ms();
  tx_.assign(sec_->tables().size(), Tx{});
  rx_.clear();
  rx_cur_ = nullptr;
  cur_table_ = -1;
  last_rx_ = sec_->loop()->now_ms();
  arm_timer();
  if (local() && sec_->handing_over()) start_lesson();
  if (!in_.empty() && !handle_messages()) return;
  produce();
  flush();
}

bool Session::handle_messages() {
  size_t off = 0;
  while (state_ == State::kEstablished) {
    Frame f;
    const FrameStatus st = next_frame(std::string_view(in_).substr(off), kMaxMessage, &f);
    if (st == FrameStatus::kNeedMore) break;
    if (st != FrameStatus::kOk) {
      fail_protocol(st == FrameStatus::kTooBig ? kErrSizeLimit : kErrProtocol);
      return false;
    }
    off += f.size;
    if (!handle(f.cls, f.type, f.payload)) {
      fail_protocol(kErrProtocol);
      return false;
    }
  }
  if (state_ != State::kEstablished) return false;
  in_.erase(0, off);
  return true;
}

void Session::flush() {
  for (;;) {
    if (state_ == State::kClosed) return;
    if (out_sent_ < out_.size()) {
      const size_t n =
          conn_->xprt->snd_raw(conn_, out_.data() + out_sent_, out_.size() - out_sent_);
      if (conn_->flags & net::kConnError) return close();
      out_sent_ += n;
      if (n) last_tx_ = sec_->loop()->now_ms();
      if (out_sent_ < out_.size()) {
        conn_->xprt->subscribe(conn_, kWakeSend | kWakeRecv, &wait_);
        return;
      }
    }
    out_.clear();
    out_sent_ = 0;
    // Room again: the rest of a lesson or of the log.
    if (state_ != State::kEstablished) return;
    produce();
    if (out_.empty()) return;
  }
}

void Session::fail_protocol(uint8_t err) {
  if (peer_) ++peer_->proto_err;
  std::string m;
  put_message(&m, kClassError, err);
  conn_->xprt->snd_raw(conn_, m.data(), m.size());
  close();
}

}  // namespace hearth::peers
