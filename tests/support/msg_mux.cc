#include "support/msg_mux.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/event_loop.h"
#include "http/headers.h"
#include "http/method.h"
#include "mux/stream_connector.h"
#include "net/connection.h"
#include "net/transport.h"

namespace hearth::test {
namespace {

MsgServerScript* g_script = nullptr;

// A nominal size for a head, so rx_bytes/tx_bytes grow with heads too.
uint64_t nominal_size(const NeutralHead& h) {
  uint64_t n = h.method_str.size() + h.target.size() + h.reason.size() + 16;
  for (const NeutralField& f : h.fields) n += f.name.size() + f.value.size() + 4;
  return n;
}

NeutralFields copy_fields(const http::HeaderList& l) {
  NeutralFields out;
  out.reserve(l.size());
  for (const http::HeaderField& f : l) out.push_back({std::string(f.name), std::string(f.value)});
  return out;
}

// Fills out's field list (out initialised with room for them).
bool add_fields(const NeutralFields& fields, http::MsgHead& out) {
  for (const NeutralField& f : fields) {
    std::string_view n, v;
    if (!out.keep(f.name, &n) || !out.keep(f.value, &v) || !out.fields().add(n, v)) return false;
  }
  return true;
}

}  // namespace

// --- NeutralHead and the builders.

std::string NeutralHead::field(std::string_view name) const {
  for (const NeutralField& f : fields)
    if (http::iequals(f.name, name)) return f.value;
  return {};
}

size_t NeutralHead::count(std::string_view name) const {
  return size_t(std::count_if(fields.begin(), fields.end(), [name](const NeutralField& f) {
    return http::iequals(f.name, name);
  }));
}

NeutralHead NeutralHead::copy_of(const http::MsgHead& h) {
  NeutralHead n;
  n.method = h.method;
  n.method_str = std::string(h.method_str);
  n.target = std::string(h.target);
  n.status = h.status;
  n.reason = std::string(h.reason);
  n.version_major = h.version_major;
  n.version_minor = h.version_minor;
  n.body = h.body;
  n.length = h.length;
  n.flags = h.flags;
  n.fields = copy_fields(h.fields());
  return n;
}

bool NeutralHead::build(http::MsgHead& out, size_t extra_fields) const {
  if (!out.init(fields.size() + extra_fields)) return false;
  std::string_view mstr = method_str;
  if (mstr.empty() && is_request() && method != http::Method::kOther)
    mstr = http::method_name(method);
  if (!out.keep(mstr, &out.method_str) || !out.keep(target, &out.target) ||
      !out.keep(reason, &out.reason))
    return false;
  out.method = method;
  out.status = status;
  out.version_major = version_major;
  out.version_minor = version_minor;
  out.body = body;
  out.length = length;
  out.flags = flags;
  return add_fields(fields, out);
}

NeutralHead request_head(http::Method m, std::string target, NeutralFields fields,
                         http::BodyKind body, uint64_t length) {
  NeutralHead h;
  h.flags = http::kMsgRequest;
  h.method = m;
  h.target = std::move(target);
  h.fields = std::move(fields);
  h.body = body;
  h.length = length;
  return h;
}

NeutralHead response_head(int status, std::string reason, NeutralFields fields, http::BodyKind body,
                          uint64_t length) {
  NeutralHead h;
  h.status = status;
  h.reason = std::move(reason);
  h.fields = std::move(fields);
  h.body = body;
  h.length = length;
  return h;
}

NeutralMsg message(NeutralHead head, std::string body, NeutralFields trailers) {
  NeutralMsg m;
  m.head = std::move(head);
  m.has_head = true;
  m.body = std::move(body);
  m.has_trailers = !trailers.empty();
  m.trailers = std::move(trailers);
  m.eom = true;
  return m;
}

// --- MsgPeer.

size_t MsgPeer::complete() const {
  return size_t(std::count_if(sent.begin(), sent.end(), [](const NeutralMsg& m) { return m.eom; }));
}

void MsgPeer::push(NeutralMsg m) {
  if (!mux) {
    ADD_FAILURE() << "MsgPeer::push: the mux is gone";
    return;
  }
  mux->script(std::move(m));
}

void MsgPeer::push_eof() {
  if (!mux) {
    ADD_FAILURE() << "MsgPeer::push_eof: the mux is gone";
    return;
  }
  mux->script_eof();
}

void set_msg_server_script(MsgServerScript* s) { g_script = s; }

void register_msg_mux(const char* name) {
  mux::MuxRegistry::register_mux({name, &MsgMux::create_outgoing});
}

// --- MsgMux: lifecycle.

MsgMux::MsgMux(std::shared_ptr<MsgPeer> peer)
    : peer_(std::move(peer)), tasklet_(&MsgMux::io_cb, this) {
  wait_.tasklet = &tasklet_;
}

MsgMux::~MsgMux() = default;

MsgMux* MsgMux::accept(net::Connection* c, std::shared_ptr<MsgPeer> peer, mux::StreamFactory f,
                       void* f_ctx) {
  auto* m = new MsgMux(std::move(peer));
  c->mux = m;
  if (!m->init(c, nullptr, f, f_ctx)) {
    c->mux = nullptr;
    m->destroy();  // frees the mux only: the connection stays the caller's
    return nullptr;
  }
  return m;
}

mux::Mux* MsgMux::create_outgoing() {
  auto peer = std::make_shared<MsgPeer>();
  peer->outgoing = true;
  if (g_script)
    g_script->peers.push_back(peer);
  else
    ADD_FAILURE() << "a server-side MsgMux was created with no MsgServerScript set";
  return new MsgMux(std::move(peer));
}

bool MsgMux::init(net::Connection* conn, mux::StreamConnector* sc, mux::StreamFactory f,
                  void* f_ctx) {
  peer_->mux = this;
  peer_->conn = conn;
  if (sc) {
    outgoing_ = true;
    peer_->outgoing = true;
    conn_ = conn;
    sc->conn = conn;
    sc->mux = this;
    sc_ = sc;
    ++peer_->streams;
    return true;
  }
  factory_ = f;
  factory_ctx_ = f_ctx;
  conn_ = conn;
  if (!new_stream()) {
    conn_ = nullptr;
    peer_->conn = nullptr;
    return false;
  }
  return true;
}

bool MsgMux::new_stream() {
  mux::StreamConnector* sc = mux::StreamConnector::pool().create();
  if (!sc) return false;
  sc->conn = conn_;
  sc->mux = this;
  sc_ = sc;
  conn_->flags &= ~net::kConnIdle;
  rx_ = Rx{};
  out_open_ = false;
  rx_bytes_ = tx_bytes_ = 0;
  ++peer_->streams;
  if (!factory_ || !factory_(sc, factory_ctx_)) {
    sc_ = nullptr;
    mux::StreamConnector::pool().destroy(sc);
    return false;
  }
  return true;
}

bool MsgMux::attach(mux::StreamConnector* sc) {
  if (sc_ || !outgoing_) return false;
  conn_->xprt->unsubscribe(conn_, kWakeRecv | kWakeSend, &wait_);
  tasklet_.cancel();
  conn_->flags &= ~net::kConnIdle;
  sc->conn = conn_;
  sc->mux = this;
  sc->flags = 0;
  sc_ = sc;
  rx_ = Rx{};
  out_open_ = false;
  rx_bytes_ = tx_bytes_ = 0;
  ++peer_->attaches;
  ++peer_->streams;
  return true;
}

bool MsgMux::detach(mux::StreamConnector* sc, bool keep_idle) {
  if (!sc_ || sc != sc_) {
    ADD_FAILURE() << "MsgMux::detach of a connector that is not attached";
    return false;
  }
  peer_->detaches.push_back(keep_idle);
  mux::drop_stream_subscriptions(conn_, &wait_);
  if (recv_w_) recv_w_->events &= ~uint32_t(kWakeRecv);
  recv_w_ = nullptr;
  sc->conn = nullptr;
  sc->mux = nullptr;
  sc_ = nullptr;
  out_open_ = false;
  const bool rx_pending = rx_.active && !rx_message_over();
  if (outgoing_) {
    // Like mux_h1: a server connection with input past the response, or
    // that the peer closed, cannot carry another exchange.
    if (!keep_idle || !conn_->reusable() || rx_pending || !in_.empty() || eof_scripted_ ||
        peer_->shutw) {
      destroy();
      return false;
    }
    conn_->flags |= net::kConnIdle;
    rx_ = Rx{};
    // Anything readable while idle (a close, a reset) retires it.
    conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
    return true;
  }
  const bool client_gone =
      (conn_->flags & (net::kConnError | net::kConnRdShut)) || eof_delivered_ || peer_->shutw;
  if (!keep_idle || client_gone) {
    destroy();
    return false;
  }
  if (rx_pending) ADD_FAILURE() << "client stream left with part of its request undelivered";
  rx_ = Rx{};
  conn_->flags |= net::kConnIdle;
  if (!in_.empty() || eof_scripted_) kick();  // the next request (or the close) is here
  return true;
}

void MsgMux::destroy() {
  tasklet_.cancel();
  net::Connection* c = conn_;
  conn_ = nullptr;
  peer_->destroyed = true;
  peer_->mux = nullptr;
  peer_->conn = nullptr;
  if (c) mux::release_connection(c, &wait_);
  delete this;
}

std::string MsgMux::dump() const {
  char out[160];
  snprintf(out, sizeof out, "mux=msgtest side=%s sc=%s queued=%zu", outgoing_ ? "server" : "client",
           sc_ ? "attached" : "none", in_.size());
  return out;
}

// --- Events.

void MsgMux::io_cb(Tasklet*, void* ctx, uint32_t) { static_cast<MsgMux*>(ctx)->on_io(); }

void MsgMux::wake() { on_io(); }

void MsgMux::kick() {
  if (conn_) conn_->loop()->wake(&tasklet_, kWakeRecv);
}

void MsgMux::on_io() {
  if (!sc_) {
    if (outgoing_) {
      // Idle in a pool: only a close or stray input can wake it.
      if (!mux::idle_drain_keeps(conn_, &wait_)) destroy();
      return;
    }
    // Idle client connection: a scripted request starts the next stream.
    if (!in_.empty()) {
      if (!new_stream()) destroy();
      return;
    }
    if (eof_scripted_) destroy();  // the client left between requests
    return;
  }
  if (outgoing_ && g_script && g_script->respond) {
    // Answer every complete request not answered yet.
    while (answered_ < peer_->sent.size()) {
      const NeutralMsg& req = peer_->sent[answered_];
      const bool complete = req.eom || (req.has_head && req.head.body == http::BodyKind::kNone);
      if (!complete) break;
      ++answered_;
      in_.push_back(g_script->respond(req));
    }
  }
  deliver_eof_if_due();
  // Wake the stream: its receive subscription if it has one, else its tasklet.
  if (recv_w_) {
    WaitEvent* w = recv_w_;
    recv_w_ = nullptr;
    w->events &= ~uint32_t(kWakeRecv);
    conn_->loop()->wake(w->tasklet, kWakeRecv);
  } else if (sc_->app_tasklet) {
    conn_->loop()->wake(sc_->app_tasklet, kWakeOther);
  }
}

void MsgMux::script(NeutralMsg m) {
  in_.push_back(std::move(m));
  kick();
}

void MsgMux::script_eof() {
  eof_scripted_ = true;
  kick();
}

void MsgMux::deliver_eof_if_due() {
  if (!sc_ || !eof_scripted_ || !in_.empty() || (rx_.active && !rx_message_over())) return;
  sc_->flags |= mux::kScEos;
  eof_delivered_ = true;
}

bool MsgMux::check_sc(mux::StreamConnector* sc, const char* what) const {
  if (sc_ && sc == sc_) return true;
  ADD_FAILURE() << "MsgMux::" << what << " on a connector that is not attached";
  return false;
}

bool MsgMux::rx_message_over() const { return rx_.msg.eom && rx_.pos == rx_.msg.body.size(); }

// --- The byte API: never used with neutral messages.

size_t MsgMux::rcv_buf(mux::StreamConnector*, Buffer&, size_t) {
  ++peer_->byte_api_calls;
  ADD_FAILURE() << "the stream read bytes (rcv_buf) from a neutral-message mux";
  return 0;
}

size_t MsgMux::snd_buf(mux::StreamConnector*, Buffer&, size_t) {
  ++peer_->byte_api_calls;
  ADD_FAILURE() << "the stream wrote bytes (snd_buf) to a neutral-message mux";
  return 0;
}

void MsgMux::shutr(mux::StreamConnector* sc) {
  sc->flags |= mux::kScShutR;
  peer_->shutr = true;
}

void MsgMux::shutw(mux::StreamConnector* sc) {
  sc->flags |= mux::kScShutW;
  peer_->shutw = true;
}

void MsgMux::subscribe(mux::StreamConnector* sc, uint32_t events, WaitEvent* w) {
  if (!check_sc(sc, "subscribe")) return;
  if (events & kWakeRecv) {
    // Input for this connector: the rest of the message being received, or
    // the next head once none is; an end of input it has not seen yet.
    const bool fresh_eof = eof_scripted_ && !eof_delivered_;
    deliver_eof_if_due();
    const bool ready = (rx_.active ? rx_.pos < rx_.msg.body.size() : !in_.empty()) ||
                       (fresh_eof && eof_delivered_);
    if (ready) {
      if (recv_w_ == w) recv_w_ = nullptr;
      w->events &= ~uint32_t(kWakeRecv);
      conn_->loop()->wake(w->tasklet, kWakeRecv);
    } else {
      recv_w_ = w;
      w->events |= kWakeRecv;
    }
  }
  // Never blocked on output: like a writable socket, wake at once.
  if (events & kWakeSend) {
    w->events &= ~uint32_t(kWakeSend);
    conn_->loop()->wake(w->tasklet, kWakeSend);
  }
}

void MsgMux::unsubscribe(mux::StreamConnector*, uint32_t events, WaitEvent* w) {
  if ((events & kWakeRecv) && recv_w_ == w) recv_w_ = nullptr;
  w->events &= ~events;
}

// --- Receiving.

mux::RxHeadResult MsgMux::rcv_head(mux::StreamConnector* sc, http::MsgHead& out,
                                   size_t extra_fields, bool /*borrow: always an owned copy*/) {
  if (!check_sc(sc, "rcv_head")) return {mux::RxHead::kEnd, 0};
  if (rx_.active && !rx_message_over()) return {mux::RxHead::kMore, 0};  // body still flowing
  if (in_.empty()) {
    deliver_eof_if_due();
    return {eof_delivered_ ? mux::RxHead::kEnd : mux::RxHead::kMore, 0};
  }
  NeutralMsg& front = in_.front();
  if (rx_.interim < front.interim.size()) {
    const NeutralHead& h = front.interim[rx_.interim++];
    if (!h.build(out, extra_fields)) {
      ADD_FAILURE() << "a scripted interim head does not fit a MsgHead";
      return {mux::RxHead::kError, outgoing_ ? 502 : 431};
    }
    rx_bytes_ += nominal_size(h);
    peer_->rx += nominal_size(h);
    return {mux::RxHead::kHead, 0};
  }
  if (!front.head.build(out, extra_fields)) {
    ADD_FAILURE() << "a scripted head does not fit a MsgHead";
    return {mux::RxHead::kError, outgoing_ ? 502 : 431};
  }
  rx_ = Rx{};
  rx_.msg = std::move(front);
  in_.pop_front();
  rx_.active = true;
  rx_bytes_ += nominal_size(rx_.msg.head);
  peer_->rx += nominal_size(rx_.msg.head);
  return {mux::RxHead::kHead, 0};
}

mux::RxData MsgMux::rcv_data(mux::StreamConnector* sc) {
  mux::RxData d;
  if (!check_sc(sc, "rcv_data")) {
    d.error = true;
    return d;
  }
  if (!rx_.active) {  // no message being received
    d.eof = eof_delivered_;
    return d;
  }
  const std::string& body = rx_.msg.body;
  const size_t left = body.size() - rx_.pos;
  const size_t n = std::min(left, peer_->chunk);
  rx_.offered = n;
  d.data = std::string_view(body.data() + rx_.pos, n);
  d.eom = rx_.msg.eom && n == left;
  if (!rx_.msg.eom && n == left && eof_scripted_ && in_.empty()) {
    d.eof = true;
    sc->flags |= mux::kScEos;
    eof_delivered_ = true;
  }
  return d;
}

void MsgMux::consume_data(mux::StreamConnector* sc, size_t n) {
  if (!check_sc(sc, "consume_data")) return;
  if (n > rx_.offered) {
    ADD_FAILURE() << "consume_data(" << n << ") after rcv_data offered " << rx_.offered;
    n = rx_.offered;
  }
  rx_.pos += n;
  rx_.offered -= n;
  rx_bytes_ += n;
  peer_->rx += n;
}

bool MsgMux::rcv_trailers(mux::StreamConnector* sc, http::MsgHead& out) {
  if (!check_sc(sc, "rcv_trailers")) return false;
  if (!rx_.active || !rx_message_over() || !rx_.msg.has_trailers) return false;
  if (!out.init(rx_.msg.trailers.size()) || !add_fields(rx_.msg.trailers, out)) {
    ADD_FAILURE() << "scripted trailers do not fit a MsgHead";
    return false;
  }
  return true;
}

// --- Sending: everything is recorded as neutral parts.

NeutralMsg& MsgMux::open_out() {
  if (!out_open_) {
    peer_->sent.emplace_back();
    peer_->sent.back().eom = false;
    out_open_ = true;
  }
  return peer_->sent.back();
}

bool MsgMux::snd_head(mux::StreamConnector* sc, const http::MsgHead& head) {
  if (!check_sc(sc, "snd_head")) return false;
  NeutralHead h = NeutralHead::copy_of(head);
  tx_bytes_ += nominal_size(h);
  peer_->tx += nominal_size(h);
  NeutralMsg& m = open_out();
  if (head.interim()) {
    m.interim.push_back(std::move(h));
    return true;
  }
  if (m.has_head) ADD_FAILURE() << "a second final head before the end of the message";
  m.head = std::move(h);
  m.has_head = true;
  if (outgoing_ && m.head.body == http::BodyKind::kNone) kick();  // a complete request
  return true;
}

size_t MsgMux::snd_data(mux::StreamConnector* sc, std::string_view data) {
  if (!check_sc(sc, "snd_data")) return 0;
  NeutralMsg& m = open_out();
  if (!m.has_head) ADD_FAILURE() << "DATA sent before a final head";
  m.body.append(data);
  tx_bytes_ += data.size();
  peer_->tx += data.size();
  return data.size();
}

bool MsgMux::snd_eom(mux::StreamConnector* sc, const http::MsgHead* trailers) {
  if (!check_sc(sc, "snd_eom")) return false;
  NeutralMsg& m = open_out();
  if (!m.has_head) ADD_FAILURE() << "end of message sent before a final head";
  if (trailers && !trailers->fields().empty()) {
    m.has_trailers = true;
    m.trailers = copy_fields(trailers->fields());
  }
  m.eom = true;
  out_open_ = false;
  if (outgoing_) kick();  // the server answers on its own turn
  return true;
}

bool MsgMux::flush(mux::StreamConnector* sc) { return check_sc(sc, "flush"); }

bool MsgMux::rx_blocked(mux::StreamConnector*) const { return false; }
bool MsgMux::tx_blocked(mux::StreamConnector*) const { return false; }

bool MsgMux::has_input(mux::StreamConnector*) const {
  return !in_.empty() || (rx_.active && rx_.pos < rx_.msg.body.size());
}

uint64_t MsgMux::rx_bytes(mux::StreamConnector*) const { return rx_bytes_; }
uint64_t MsgMux::tx_bytes(mux::StreamConnector*) const { return tx_bytes_; }

void MsgMux::set_idle_timeout(int64_t ms) { peer_->idle_timeout_ms = ms; }

}  // namespace hearth::test
