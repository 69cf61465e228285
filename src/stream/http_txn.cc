// HttpStream's exchange: moving both messages until they are complete, the
// end of a transaction, tunnels, local replies and the subscriptions.
#include "http/status.h"
#include "stream/http_head_writer.h"
#include "stream/http_stream.h"
#include "stream/session.h"

namespace hearth::stream {
void HttpStream::exchange() {
  while (phase_ == Phase::kExchange && exchange_once()) {
  }
  if (phase_ != Phase::kExchange) return;
  if (res_.done && req_.done && res_.out.empty() && res_.fed == 0 && req_.sent == req_.out.len())
    return end_transaction();
  update_exchange_deadlines();
}

bool HttpStream::exchange_once() {
  bool progress = false;
  if (!req_.done) {
    mux::MuxH1* fm = fmux();
    if (!fm->ibuf().full() && !(scf_->flags & kEnd) && fm->fill()) {
      progress = true;
      exp_.cli = deadline(fe_->timeouts.client);
    }
    size_t before = req_.out.len();
    copy_request_body();
    if (phase_ != Phase::kExchange) return false;
    progress |= req_.out.len() != before;
    if (!req_.done && (scf_->flags & kEnd) && fm->ibuf().empty()) {
      log_.term = "CD";  // client aborted mid-request
      abort_all();
      return false;
    }
  }
  progress |= send_request();
  if (phase_ != Phase::kExchange) return false;
  progress |= read_response();
  if (phase_ != Phase::kExchange) return false;
  progress |= send_response();
  return progress && phase_ == Phase::kExchange;
}

// Both messages are complete: park or close the server connection, then hand
// the client connection back to its mux (keep-alive) or close it.
void HttpStream::end_transaction() {
  const bool client_keep = !res_.client_close && !(scf_->flags & kEnd);
  // The server's pool keeps the connection idle if it can carry another
  // exchange (in its lists, or private to this client) or closes it.
  const backend::ConnRelease done{res_.server_keep, client_keep, &session()->priv};
  ss_.finish(&done, now());
  if (fe_->log) log_end();
  mux::MuxH1* fm = fmux();
  if (client_keep)
    ++session()->transactions;
  else
    fm->shutw(scf_);
  fm->set_idle_timeout(keep_alive_timeout());
  fm->detach(scf_, client_keep);
  mux::StreamConnector::pool().destroy(scf_);
  phase_ = Phase::kDone;
}

// After 101 / CONNECT 2xx: bytes both ways until both sides closed.
void HttpStream::tunnel() {
  mux::MuxH1* fm = fmux();
  mux::MuxH1* bm = bmux();
  bool progress = true, moved = false;
  while (progress) {
    progress = false;
    if (!res_.out.empty()) {
      size_t n = fm->send(res_.out.head(), res_.out.len());
      res_.out.consume(n);
      log_.bytes_out += n;
      moved |= n > 0;
      if (!res_.out.empty()) break;
    }
    auto pump = [&](mux::MuxH1* from, mux::StreamConnector* from_sc, mux::MuxH1* to,
                    uint64_t* count) {
      if (!from->ibuf().full() && !(from_sc->flags & kEnd)) progress |= from->fill() > 0;
      if (!from->ibuf().empty()) {
        size_t n = to->send(from->ibuf().head(), from->ibuf().len());
        from->ibuf().consume(n);
        if (count) *count += n;
        progress |= n > 0;
      }
    };
    pump(fm, scf_, bm, nullptr);
    pump(bm, scb(), fm, &log_.bytes_out);
    moved |= progress;
  }
  if ((scf_->flags | scb()->flags) & mux::kScError) return abort_all();
  // Only traffic pushes the inactivity deadline (a wake-up without bytes,
  // such as the timer's own, must not).
  if (moved)
    exp_.tun = deadline(bs().timeouts.tunnel ? bs().timeouts.tunnel : fe_->timeouts.client);
  if ((scf_->flags & mux::kScEos) && fm->ibuf().empty() && !(scb()->flags & mux::kScShutW))
    bm->shutw(scb());
  if ((scb()->flags & mux::kScEos) && bm->ibuf().empty() && res_.out.empty() &&
      !(scf_->flags & mux::kScShutW))
    fm->shutw(scf_);
  if ((scf_->flags & mux::kScShutW) && (scb()->flags & mux::kScShutW)) abort_all();
}

void HttpStream::reply(int status, const char* ctype, const char* body, bool close) {
  log_.status = status;
  if (status >= 400) fe_->counters.http_errors.fetch_add(1, std::memory_order_relaxed);
  ss_.release();
  res_.out.release();
  std::string def;
  if (!body) def = std::string(http::reason_phrase(status)) + "\n";
  if (!write_local_response(status, ctype, body ? body : def.c_str(), close, res_.out)) {
    res_.out.release();
    write_local_response(status, "", "", true, res_.out);
  }
  res_.local_close = close || soft_stopping();
  res_.client_close = res_.local_close;
  phase_ = Phase::kLocalReply;
  exp_.cli = deadline(fe_->timeouts.client);
  flush_local_reply();
}

void HttpStream::flush_local_reply() {
  mux::MuxH1* fm = fmux();
  if (!res_.out.empty() && !(scf_->flags & mux::kScError)) {
    size_t n = fm->send(res_.out.head(), res_.out.len());
    res_.out.consume(n);
    log_.bytes_out += n;
  }
  if (!res_.out.empty() && !(scf_->flags & mux::kScError)) return;
  res_.out.release();
  if (fe_->log) log_end();
  bool keep = !res_.local_close && !(scf_->flags & kEnd);
  if (keep)
    ++session()->transactions;
  else
    fm->shutw(scf_);
  fm->set_idle_timeout(keep_alive_timeout());
  fm->detach(scf_, keep);
  mux::StreamConnector::pool().destroy(scf_);
  phase_ = Phase::kDone;
}

void HttpStream::update_subscriptions() {
  mux::MuxH1* fm = fmux();
  mux::MuxH1* bm = bmux();
  auto sub = [](mux::MuxH1* m, mux::StreamConnector* sc, WaitEvent* w, bool r, bool s) {
    uint32_t ev = (r ? uint32_t(kWakeRecv) : 0u) | (s ? uint32_t(kWakeSend) : 0u);
    ev &= ~w->events;
    if (ev) m->subscribe(sc, ev, w);
  };
  const bool f_open = !(scf_->flags & kEnd) && !fm->ibuf().full();
  bool f_recv = false, f_send = false, b_recv = false, b_send = false;
  const bool b_open = scb() && !(scb()->flags & kEnd) && !bm->ibuf().full();
  switch (phase_) {
    case Phase::kReqHead:
      f_recv = f_open;
      break;
    case Phase::kLocalReply:
      f_send = !res_.out.empty();
      break;
    case Phase::kExchange:
      f_recv = f_open && !req_.done && req_.out.room() > 0;
      f_send = !res_.out.empty() || res_.fed > 0;
      b_recv = b_open && !res_.done && res_.fed == 0;
      b_send = scb() && req_.sent < req_.out.len();
      break;
    case Phase::kTunnel:
      f_recv = f_open;
      b_recv = b_open;
      f_send = !res_.out.empty() || (bm && !bm->ibuf().empty());
      b_send = !fm->ibuf().empty();
      break;
    default:
      break;
  }
  if (f_recv || f_send) sub(fm, scf_, &wait_f_, f_recv, f_send);
  if (scb() && (b_recv || b_send)) sub(bm, scb(), &wait_b_, b_recv, b_send);
}

}  // namespace hearth::stream
