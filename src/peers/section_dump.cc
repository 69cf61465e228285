// `show peers`: the state of a section, its peers and their sessions, in the
// shape of HAProxy 2.6's dump (a debugging aid whose fields HAProxy keeps
// free to change). Pointers and flags are Hearth's own; what has no
// counterpart here is 0 or <NEVER>.
#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "core/clock.h"
#include "peers/section.h"
#include "peers/session.h"
#include "peers/wire.h"

namespace hearth::peers {
namespace {

std::string ptr(const void* p) {
  char b[32];
  snprintf(b, sizeof b, "%p", p);
  return b;
}

// A delay from now as HAProxy prints it ("3s", "<PAST>", "<NEVER>").
std::string delay(int64_t at, int64_t now) {
  if (at <= 0 || at == kNever) return "<NEVER>";
  if (at <= now) return "<PAST>";
  const int64_t ms = at - now;
  return ms >= 1000 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

std::string ago(int64_t at, int64_t now) {
  if (at <= 0) return "<NEVER>";
  const int64_t ms = now - at;
  return ms >= 1000 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

const char* status_name(int code, const Session* s) {
  if (s && s->state() == Session::State::kEstablished) return "ESTA";
  if (s) return s->state() == Session::State::kConnecting ? "CONN" : "HSHK";
  switch (code) {
    case kStatusOk:
      return "ESTA";
    case 300:
      return "RETR";
    case 501:
      return "PROT";
    case 502:
      return "VERS";
    case 503:
      return "NAME";
    case 504:
      return "UNKN";
    default:
      return "NONE";
  }
}

}  // namespace

std::string Section::dump(int64_t now) const {
  char when[64];
  const time_t t = time(nullptr);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S", &tm);
  std::string out = ptr(this) + ": [" + when + "] id=" + name_ + " disabled=0 flags=0x" +
                    std::to_string(int(resync_)) + " resync_timeout=" +
                    (resync_ == Resync::kFinished ? "<PAST>" : delay(resync_deadline_, now)) +
                    " task_calls=0\n";
  auto one = [&](const Peer& p, bool local) {
    const Session* s = p.session;
    out += "  " + ptr(&p) + ": id=" + p.spec.name + "(" + (local ? "local" : "remote") + "," +
           (s ? "active" : "inactive") +
           ") addr=" + (p.spec.has_addr ? p.spec.addr.str() : std::string("<none>")) +
           " last_status=" + status_name(p.last_status, s) +
           " last_hdshk=" + ago(p.last_handshake, now) + "\n";
    out += "        reconnect=" + (local ? std::string("<NEVER>") : delay(p.reconnect_at, now)) +
           " heartbeat=<NEVER> confirm=0 tx_hbt=0 rx_hbt=0 no_hbt=0 new_conn=" +
           std::to_string(p.new_conn) + " proto_err=" + std::to_string(p.proto_err) +
           " coll=" + std::to_string(p.collisions) + "\n";
    out += "        flags=0x0";
    if (s)
      out +=
          " appctx:" + ptr(s) + " st0=" + std::to_string(int(s->state())) +
          " st1=0 task_calls=0 state=" + (s->state() == Session::State::kEstablished ? "EST" : "");
    out += "\n        shared tables:\n";
    for (size_t i = 0; i < tables_.size(); ++i) {
      const SectionTable& st = tables_[i];
      Session::TableCursors c;
      if (s) c = s->cursors(i);
      out += "          " + ptr(&st) + " local_id=" + std::to_string(i + 1) +
             " remote_id=" + std::to_string(c.remote_id) + " flags=0x0 remote_data=0x0\n";
      out += "              last_acked=" + std::to_string(c.last_acked) +
             " last_pushed=" + std::to_string(c.last_pushed) +
             " last_get=" + std::to_string(c.last_get) +
             " teaching_origin=0 update=" + std::to_string(c.acked) + "\n";
      out += "              table:" + ptr(st.table) + " id=" + st.table->config().name +
             " update=" + std::to_string(st.log.head()) +
             " localupdate=" + std::to_string(st.log.head()) + " commitupdate=0 refcnt=1\n";
    }
    out += "        Dictionary cache not dumped (use \"show peers dict\")\n";
  };
  for (const auto& p : peers_) one(*p, false);
  one(local_peer_, true);
  return out;
}

}  // namespace hearth::peers
