// HttpStream's exchange: moving both messages until they are complete, the
// end of a transaction, tunnels, local replies and the subscriptions.
#include <cstdio>

#include "http/status.h"
#include "stream/http_stream.h"
#include "stream/session.h"

namespace hearth::stream {
void HttpStream::exchange() {
  while (phase_ == Phase::kExchange && exchange_once()) {
  }
  if (phase_ != Phase::kExchange) return;
  if (res_.done && req_.done && req_.eom_sent && !fmux()->tx_blocked(scf_) &&
      !bmux()->tx_blocked(scb()))
    return end_transaction();
  update_exchange_deadlines();
}

bool HttpStream::exchange_once() {
  bool progress = false;
  if (!req_.done && !splice_request(&progress)) {
    const size_t before = req_.data.len();
    read_request_body();
    if (phase_ != Phase::kExchange) return false;
    if (req_.data.len() != before || req_.done) {
      progress = true;
      exp_.cli = deadline(fe_->timeouts.client);
    }
    if (!req_.done && (scf_->flags & kEnd) && !fmux()->has_input(scf_)) {
      log_.term = "CD";  // client aborted mid-request
      abort_all();
      return false;
    }
  }
  progress |= send_request();
  if (phase_ != Phase::kExchange) return false;
  progress |= read_response();
  if (phase_ != Phase::kExchange) return false;
  if (client_left_before_response()) {
    // As HAProxy 2.6: not answered (nobody reads it), logged 400 "CH", and
    // the server connection closes without waiting for the response.
    log_.term = "CH";
    log_.status = 400;
    abort_all();
    return false;
  }
  if (scf_->flags & mux::kScError) {
    log_.term = "CD";
    abort_all();
    return false;
  }
  return progress;
}

// Both messages are complete: park or close the server connection, then hand
// the client connection back to its mux (keep-alive) or close it.
// option abortonclose: once the whole request went out, the client is still
// watched until the response head arrives, so that its close is seen.
bool HttpStream::watching_client_close() const {
  return abort_on_close() && req_.done && log_.res_head_ms < 0;
}

bool HttpStream::client_left_before_response() {
  if (!watching_client_close()) return false;
  fmux()->watch_input(scf_);
  return (scf_->flags & kEnd) != 0;
}

void HttpStream::end_transaction() {
  const bool client_keep = !res_.client_close && !(scf_->flags & kEnd);
  // The server's pool keeps the connection idle if it can carry another
  // exchange (in its lists, or private to this client) or closes it.
  const backend::ConnRelease done{res_.server_keep, client_keep, &session()->priv,
                                  res_.server_closed_silently};
  ss_.finish(&done, now());
  leave_client(client_keep);
}

void HttpStream::leave_client(bool keep) {
  mux::HttpMux* fm = fmux();
  log_.bytes_out = fm->tx_bytes(scf_);
  log_.bytes_in = fm->rx_bytes(scf_);
  if (fe_->log && !log_.skip && !log_.logged) log_end();
  end_stick_counters();
  if (keep)
    ++session()->transactions;
  else
    fm->shutw(scf_);
  fm->set_idle_timeout(keep_alive_timeout());
  fm->detach(scf_, keep);
  mux::StreamConnector::pool().destroy(scf_);
  phase_ = Phase::kDone;
}

// After 101 / CONNECT 2xx: bytes both ways until both sides closed.
void HttpStream::tunnel() {
  mux::HttpMux* fm = fmux();
  mux::HttpMux* bm = bmux();
  const uint64_t moved_before = fm->tx_bytes(scf_) + bm->tx_bytes(scb());
  fm->flush(scf_);  // the 101 / 2xx head
  bool eof_f = false, eof_b = false;
  bool progress = true;
  auto pump = [&](mux::HttpMux* from, mux::StreamConnector* from_sc, mux::HttpMux* to,
                  mux::StreamConnector* to_sc, SpliceDir& sp, bool* eof) {
    *eof = false;
    if (splice_tunnel(sp, from_sc, to_sc, &progress)) return;
    const mux::RxData d = from->rcv_data(from_sc);
    *eof = d.eof;
    if (d.data.size() >= Buffer::configured_size()) sp.note_full_read();
    if (d.data.empty()) return;
    const size_t n = to->snd_data(to_sc, d.data);
    from->consume_data(from_sc, n);
    progress |= n > 0;
  };
  while (progress) {
    progress = false;
    pump(fm, scf_, bm, scb(), splice_req_, &eof_f);
    pump(bm, scb(), fm, scf_, splice_res_, &eof_b);
  }
  if ((scf_->flags | scb()->flags) & mux::kScError) return abort_all();
  // Only traffic pushes the inactivity deadline (a wake-up without bytes,
  // such as the timer's own, must not).
  if (fm->tx_bytes(scf_) + bm->tx_bytes(scb()) != moved_before)
    exp_.tun = deadline(tunnel_timeout() ? tunnel_timeout() : fe_->timeouts.client);
  if (eof_f && !bm->tx_blocked(scb()) && !(scb()->flags & mux::kScShutW)) bm->shutw(scb());
  if (eof_b && !fm->tx_blocked(scf_) && !(scf_->flags & mux::kScShutW)) fm->shutw(scf_);
  if ((scf_->flags & mux::kScShutW) && (scb()->flags & mux::kScShutW)) abort_all();
}

// Answers the client with a response Hearth makes: a neutral head with its
// payload kept in the head's storage.
void HttpStream::flush_local_reply() {
  mux::HttpMux* fm = fmux();
  if (!(scf_->flags & mux::kScError)) {
    if (!res_.local.empty()) res_.local.remove_prefix(fm->snd_data(scf_, res_.local));
    if (res_.local.empty() && !res_.done && fm->snd_eom(scf_, nullptr)) res_.done = true;
    fm->flush(scf_);
    if (!res_.done || fm->tx_blocked(scf_)) return;
  }
  res_.head.release();
  leave_client(!res_.local_close && !(scf_->flags & kEnd));
}

void HttpStream::update_subscriptions() {
  mux::HttpMux* fm = fmux();
  mux::HttpMux* bm = bmux();
  auto sub = [](mux::HttpMux* m, mux::StreamConnector* sc, WaitEvent* w, bool r, bool s) {
    uint32_t ev = (r ? uint32_t(kWakeRecv) : 0u) | (s ? uint32_t(kWakeSend) : 0u);
    ev &= ~w->events;
    if (ev) m->subscribe(sc, ev, w);
  };
  // A side can be read when its input has not ended and its mux has room
  // (or the pipe carrying its payload has).
  auto f_open = [&] {
    return !(scf_->flags & kEnd) && !fm->rx_blocked(scf_) && splice_req_.may_read();
  };
  auto b_open = [&] {
    return bm && !(scb()->flags & kEnd) && !bm->rx_blocked(scb()) && splice_res_.may_read();
  };
  bool f_recv = false, f_send = false, b_recv = false, b_send = false;
  switch (phase_) {
    case Phase::kReqHead:
      f_recv = f_open();
      break;
    case Phase::kReqBody:
      f_recv = req_room() && f_open();
      f_send = fm->tx_blocked(scf_);  // an interim 100
      break;
    case Phase::kLocalReply:
      f_send = !res_.local.empty() || fm->tx_blocked(scf_);
      break;
    case Phase::kResBody:
      b_recv = res_.data.len() < response_body_limit() && b_open();
      f_send = fmux()->tx_blocked(scf_);
      break;
    case Phase::kExchange:
      f_recv = ((!req_.done && req_room()) || watching_client_close()) && f_open();
      f_send = fm->tx_blocked(scf_);
      b_recv = !res_.done && b_open();
      b_send = bm && (req_.sent < req_.data.len() || (req_.done && !req_.eom_sent) ||
                      bm->tx_blocked(scb()));
      break;
    case Phase::kConnect:
      f_recv = abort_on_close() && f_open();
      break;
    case Phase::kTunnel:
      f_recv = f_open();
      b_recv = b_open();
      f_send = fm->tx_blocked(scf_);
      b_send = bm->tx_blocked(scb());
      break;
    default:
      break;
  }
  if (f_recv || f_send) sub(fm, scf_, &wait_f_, f_recv, f_send);
  if (b_recv || b_send) sub(bm, scb(), &wait_b_, b_recv, b_send);
}

}  // namespace hearth::stream
