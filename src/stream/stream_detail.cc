#include "stream/stream_detail.h"

#include <sys/socket.h>

#include <cstdio>
#include <ctime>

#include "backend/backend.h"
#include "backend/server.h"
#include "core/clock.h"
#include "mux/mux.h"
#include "mux/stream_connector.h"
#include "net/connection.h"
#include "net/transport.h"
#include "stream/fetch_util.h"
#include "stream/frontend.h"
#include "stream/live_stream.h"
#include "stream/server_side.h"
#include "stream/session.h"
#include "stream/session_log.h"

namespace hearth::stream {
namespace {

const char* mode_name(config::Mode m) { return m == config::Mode::kHttp ? "http" : "tcp"; }

std::string ptr(const void* p) {
  char b[32];
  snprintf(b, sizeof b, "%p", p);
  return b;
}

// A delay as HAProxy prints one: "<NEVER>", "<PAST>", "850ms", "29s", "2m5s".
std::string delay(int64_t ms) {
  if (ms == kNever) return "<NEVER>";
  if (ms < 0) return "<PAST>";
  if (ms < 1000) return std::to_string(ms) + "ms";
  const int64_t s = ms / 1000;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + std::to_string(s / 60 % 60) + "m";
}

std::string until(int64_t deadline, int64_t now_ms) {
  return deadline == kNever ? delay(kNever) : delay(deadline - now_ms);
}

// "[03/Dec/2026:15:53:48.147000]" in local time.
std::string accept_date(int64_t wall_ms) {
  const time_t t = time_t(wall_ms / 1000);
  tm lt{};
  localtime_r(&t, &lt);
  char b[64];
  strftime(b, sizeof b, "[%d/%b/%Y:%H:%M:%S", &lt);
  char frac[16];
  snprintf(frac, sizeof frac, ".%06lld]", static_cast<long long>(wall_ms % 1000 * 1000));
  return std::string(b) + frac;
}

const char* proto_of(const net::Address& a) {
  return a.family() == AF_INET6 ? "tcpv6" : a.family() == AF_UNIX ? "unix_stream" : "tcpv4";
}

std::string upper(std::string s) {
  for (char& ch : s) ch = char(toupper(uint8_t(ch)));
  return s;
}

// "state=EST fd=12 ctrl=tcpv4 xprt=RAW mux=H1", or "state=INI" without a connection.
std::string endpoint(const net::Connection* c, const char* ctrl) {
  if (!c) return "state=INI";
  const bool closed = !c->reusable();
  return std::string("state=") + (closed ? "DIS" : "EST") + " fd=" + std::to_string(c->fd()) +
         " ctrl=" + ctrl + " xprt=" + upper(c->xprt ? c->xprt->name() : "NONE") +
         " mux=" + upper(c->mux ? c->mux->name() : "NONE");
}

const char* server_state(const ServerSide& ss) {
  switch (ss.state()) {
    case ServerSide::State::kIdle:
      return "idle";
    case ServerSide::State::kQueued:
      return "queued";
    case ServerSide::State::kConnecting:
      return "connecting";
    case ServerSide::State::kTurnAround:
      return "turn-around";
    case ServerSide::State::kReady:
      return "ready";
    case ServerSide::State::kFailed:
      return "failed";
    case ServerSide::State::kRedirect:
      return "redirect";
  }
  return "?";
}

}  // namespace

std::string describe_stream(const void* id, const net::Connection* client, const Frontend* fe,
                            const backend::Backend* be, const backend::Server* srv, int64_t age_ms,
                            const char* state) {
  std::string proto = "tcpv4", src = "?";
  if (const Session* s = client ? Session::of(client) : nullptr) {
    const net::Address& a = s->client_addr(client);
    src = a.str();
    proto = proto_of(a);
  }
  return ptr(id) + ": proto=" + proto + " src=" + src + " fe=" + fe->name +
         " be=" + (be ? be->name() : std::string("<NONE>")) +
         " srv=" + (srv ? srv->name : std::string("<none>")) +
         " ts=00 age=" + std::to_string(age_ms / 1000) + "s state=" + state;
}

std::string describe_stream_detail(const StreamDetail& d, int64_t now_ms) {
  const Session* sess = d.client ? Session::of(d.client) : nullptr;
  std::string src = "?", ctrl = "tcpv4", dst = "?";
  if (sess) {
    const net::Address& a = sess->client_addr(d.client);
    src = a.str();
    ctrl = proto_of(a);
    if (auto local = sess->conn_dst_addr(d.client)) dst = local->str();
  }
  const int64_t age = now_ms - d.start_ms;
  std::string o = ptr(d.id) + ": " + accept_date(wall_clock_ms() - age) + " proto=" + ctrl +
                  " source=" + src + "\n";
  const ServerSide* ss = d.ss;
  const net::Connection* sc =
      ss && ss->state() == ServerSide::State::kReady && ss->scb() ? ss->scb()->conn : nullptr;
  o += std::string("  state=") + d.state +
       " conn_retries=" + std::to_string(ss ? ss->retries_done() : 0) + " conn_exp=" +
       until(ss && ss->state() != ServerSide::State::kReady ? ss->deadline() : kNever, now_ms) +
       " srv_conn=" + (sc ? ptr(sc) : "(nil)") + " srv_side=" + (ss ? server_state(*ss) : "idle") +
       " waiting=" + (ss && ss->state() == ServerSide::State::kQueued ? "1" : "0") + "\n";
  o += "  frontend=" + d.fe->name + " (id=" + std::to_string(d.fe->id) +
       " mode=" + mode_name(d.fe->mode) +
       "), listener=" + (sess && sess->bind && !sess->bind->name.empty() ? sess->bind->name : "?") +
       " (id=" + std::to_string(sess && sess->bind ? sess->bind->id : 0) + ") addr=" + dst + "\n";
  if (d.be) {
    std::string local = "";
    if (sc)
      if (auto a = fetch_util::socket_address(sc->fd(), false)) local = " addr=" + a->str();
    o += "  backend=" + d.be->name() + " (id=" + std::to_string(d.be->id) +
         " mode=" + mode_name(d.be->settings.mode) + ")" + local + "\n";
  } else {
    o += "  backend=<NONE> (id=-1 mode=-)\n";
  }
  const backend::Server* srv = ss ? ss->server() : nullptr;
  if (srv)
    o += "  server=" + srv->name + " (id=" + std::to_string(srv->puid) +
         ") addr=" + (sc ? sc->peer().str() : srv->address().str()) + "\n";
  else
    o += "  server=<NONE> (id=-1)\n";
  o += "  task=" + ptr(d.id) + " (calls=" + std::to_string(d.calls) +
       " exp=" + until(d.exp_ms, now_ms) + " age=" + (age < 1000 ? std::string("0s") : delay(age)) +
       ")\n";
  if (d.http)
    o += "  txn meth=" + std::string(d.method) + " status=" + std::to_string(d.status) +
         " req=" + (d.req_done ? "DONE" : "RECEIVING") + " rsp=" +
         (d.res_done        ? "DONE"
          : d.res_head_done ? "SENDING"
                            : "WAITING") +
         "\n";
  o += "  scf=" + ptr(d.client) + " " + endpoint(d.client, ctrl.c_str()) + "\n";
  o += "  scb=" + (sc ? ptr(sc) : std::string("(nil)")) + " " +
       endpoint(sc, sc ? proto_of(sc->peer()) : "tcpv4") + "\n";
  o += "  req=(total=" + std::to_string(d.req_total) + ")\n";
  o += "  res=(total=" + std::to_string(d.res_total) + ")\n";
  return o;
}

}  // namespace hearth::stream
