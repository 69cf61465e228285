#include "stream/ring_forwarder.h"

#include "net/connection.h"
#include "net/transport.h"

namespace hearth::stream {
namespace {

// Events taken from the ring in one go (framing included).
constexpr size_t kBatch = 16384;

}  // namespace

RingForwarder::RingForwarder(std::shared_ptr<LogRing> ring, size_t index, net::Address addr,
                             int thread)
    : ring_(std::move(ring)),
      reader_(ring_->reader(index)),
      server_(ring_->config().servers[index]),
      addr_(addr),
      thread_(thread),
      timer_(&RingForwarder::timer_cb, this),
      tasklet_(&RingForwarder::io_cb, this) {
  wait_.tasklet = &tasklet_;
}

RingForwarder::~RingForwarder() { close_conn(); }

void RingForwarder::frame_legacy(std::string_view event, std::string* out) {
  out->append(event).push_back('\n');
}

void RingForwarder::frame_octet_count(std::string_view event, std::string* out) {
  out->append(std::to_string(event.size())).append(" ").append(event);
}

void RingForwarder::start(EventLoop* loop) {
  loop_ = loop;
  reader_.loop = loop;
  reader_.ctx = this;
  reader_.wake = &RingForwarder::wake_cb;
  connect();
}

void RingForwarder::stop() {
  reader_.waiting.store(false);
  close_conn();
  tasklet_.cancel();
  if (loop_) loop_->timers().cancel(&timer_);
  phase_ = Phase::kIdle;
  loop_ = nullptr;
}

void RingForwarder::timer_cb(Timer*, void* ctx) {
  auto* f = static_cast<RingForwarder*>(ctx);
  if (f->phase_ == Phase::kIdle)
    f->connect();
  else
    f->fail();  // timeout connect, or timeout server without progress
}

void RingForwarder::io_cb(Tasklet*, void* ctx, uint32_t) {
  auto* f = static_cast<RingForwarder*>(ctx);
  if (f->phase_ == Phase::kConnecting) return f->on_connect();
  if (f->phase_ == Phase::kSending) f->pump();
}

void RingForwarder::wake_cb(void* ctx) {
  auto* f = static_cast<RingForwarder*>(ctx);
  if (f->loop_ && f->phase_ == Phase::kSending) f->pump();
}

void RingForwarder::connect() {
  int err = 0;
  conn_ = net::Connection::connect_to(loop_, addr_, net::raw_transport(), &err);
  if (!conn_) return fail();
  phase_ = Phase::kConnecting;
  const int64_t t = ring_->config().timeout_connect_ms;
  loop_->timers().arm(&timer_, t > 0 ? loop_->now_ms() + t : kNever);
  conn_->xprt->subscribe(conn_, kWakeSend, &wait_);
}

void RingForwarder::on_connect() {
  switch (conn_->connect_status()) {
    case net::ConnectStatus::kPending:
      conn_->xprt->subscribe(conn_, kWakeSend, &wait_);
      return;
    case net::ConnectStatus::kFailed:
      return fail();
    case net::ConnectStatus::kEstablished:
      break;
  }
  phase_ = Phase::kSending;
  loop_->timers().cancel(&timer_);
  ring_->set_connected(reader_, true);
  out_.clear();
  sent_ = 0;
  pump();
}

void RingForwarder::pump() {
  net::Connection* c = conn_;
  // The server sends nothing: what it does send is dropped; its close ends us.
  const net::DrainResult d = c->xprt->drain(c);
  if (d == net::DrainResult::kEof || d == net::DrainResult::kError) return fail();
  for (;;) {
    if (sent_ == out_.size()) {
      out_.clear();
      sent_ = 0;
      // Announce the wait before looking, so that an event written meanwhile
      // posts a wake-up.
      reader_.waiting.store(true);
      ring_->take(reader_, &out_, kBatch, server_.octet_count ? &frame_octet_count : &frame_legacy);
      if (out_.empty()) {
        loop_->timers().cancel(&timer_);
        deadline_set_ = false;
        c->xprt->subscribe(c, kWakeRecv, &wait_);
        return;
      }
      reader_.waiting.store(false);
    }
    const size_t n = c->xprt->snd_raw(c, out_.data() + sent_, out_.size() - sent_);
    if (c->flags & net::kConnError) return fail();
    sent_ += n;
    if (sent_ < out_.size()) {
      // timeout server counts from the last progress.
      const int64_t t = ring_->config().timeout_server_ms;
      if (t > 0 && (n > 0 || !deadline_set_)) {
        loop_->timers().arm(&timer_, loop_->now_ms() + t);
        deadline_set_ = true;
      }
      c->xprt->subscribe(c, kWakeSend | kWakeRecv, &wait_);
      return;
    }
  }
}

void RingForwarder::close_conn() {
  if (!conn_) return;
  conn_->xprt->unsubscribe(conn_, kWakeRecv | kWakeSend, &wait_);
  conn_->destroy();
  conn_ = nullptr;
}

// Any phase -> IDLE: the connection is closed, what was taken and not sent
// is lost, and the next attempt is in kRetryMs.
void RingForwarder::fail() {
  if (phase_ == Phase::kSending) ring_->set_connected(reader_, false);
  reader_.waiting.store(false);
  close_conn();
  tasklet_.cancel();
  out_.clear();
  sent_ = 0;
  deadline_set_ = false;
  phase_ = Phase::kIdle;
  loop_->timers().arm(&timer_, loop_->now_ms() + kRetryMs);
}

}  // namespace hearth::stream
