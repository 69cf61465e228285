#include "stream/stick_counters.h"

#include <cstring>
#include <string>

#include "core/clock.h"
#include "core/event_loop.h"
#include "expr/sample_expr.h"
#include "stick/registry.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

using stick::DataType;
using stick::TrackSlot;
using stick::TrackSlots;

int64_t stick_now() {
  if (EventLoop* l = EventLoop::current()) return l->now_ms();
  return MonotonicClock::instance()->now_ms();
}

TrackSlot* seen_slot(int i, TrackSlots* strm, TrackSlots* sess) {
  if (strm && strm->slot[i].entry) return &strm->slot[i];
  if (sess && sess->slot[i].entry) return &sess->slot[i];
  return nullptr;
}

void count_tracked(TrackSlots* strm, TrackSlots* sess, stick::Event ev, int64_t now_ms) {
  for (int i = 0; i < stick::kTrackSlots; ++i)
    if (TrackSlot* s = seen_slot(i, strm, sess))
      stick::count_event(*s->table, s->entry, ev, now_ms);
}

void count_tracked_bytes(TrackSlots* strm, TrackSlots* sess, uint64_t in, uint64_t out,
                         int64_t now_ms) {
  if (!in && !out) return;
  for (int i = 0; i < stick::kTrackSlots; ++i)
    if (TrackSlot* s = seen_slot(i, strm, sess))
      stick::count_bytes(*s->table, s->entry, in, out, now_ms);
}

namespace {

// Which event a status is, if any.
bool status_event(int status, stick::Event* ev) {
  if (status >= 400 && status < 500) return (*ev = stick::Event::kHttpErr), true;
  if (status >= 500 && status < 600 && status != 501 && status != 505)
    return (*ev = stick::Event::kHttpFail), true;
  return false;
}

}  // namespace

void count_status(TrackSlots* strm, TrackSlots* sess, int status, int64_t now_ms) {
  stick::Event ev;
  if (status_event(status, &ev)) count_tracked(strm, sess, ev, now_ms);
}

bool sample_to_key(expr::Sample s, const stick::Table& t, char* buf, size_t* len) {
  switch (t.config().type) {
    case stick::KeyType::kIp:
      if (!expr::cast(s, expr::SmpType::kIpv4)) return false;
      std::memcpy(buf, s.addr, 4);
      *len = 4;
      return true;
    case stick::KeyType::kIpv6:
      if (!expr::cast(s, expr::SmpType::kIpv6)) return false;
      std::memcpy(buf, s.addr, 16);
      *len = 16;
      return true;
    case stick::KeyType::kInteger: {
      if (!expr::cast(s, expr::SmpType::kSint)) return false;
      const uint32_t v = uint32_t(s.sint);
      std::memcpy(buf, &v, 4);
      *len = 4;
      return true;
    }
    case stick::KeyType::kString:
      if (!expr::cast(s, expr::SmpType::kStr)) return false;
      *len = t.normalize_key(s.str, buf);
      return true;
    case stick::KeyType::kBinary:
      if (!expr::cast(s, expr::SmpType::kBin)) return false;
      *len = t.normalize_key(s.str, buf);
      return true;
  }
  return false;
}

bool table_key(const expr::Sample& s, const stick::Table& t, std::string_view* key) {
  static thread_local std::string buf;
  if (buf.size() < t.config().key_len + 16) buf.resize(t.config().key_len + 16);
  size_t len = 0;
  if (!sample_to_key(s, t, buf.data(), &len)) return false;
  *key = std::string_view(buf.data(), len);
  return true;
}

bool table_key_of(const expr::SampleExpr& e, expr::FetchContext& ctx, const stick::Table& t,
                  std::string_view* key) {
  expr::Sample smp;
  return expr::eval_sample_expr(e, ctx, smp) && table_key(smp, t, key);
}

namespace {

void track(const config::StickAction& a, TxnFetch& ctx, int64_t now) {
  TrackSlots* strm = ctx.stream_trackers();
  TrackSlots* sess = ctx.session_trackers();
  // The first tracker of a slot wins, at either level.
  if ((strm && strm->slot[a.slot].entry) || (sess && sess->slot[a.slot].entry)) return;
  TrackSlots* into = strm ? strm : sess;
  stick::Table* t = a.table ? stick::table_at(a.table->index) : nullptr;
  if (!into || !t) return;
  std::string_view key;
  if (!table_key_of(*a.expr, ctx, *t, &key)) return;
  stick::Entry* e = t->get_or_create(key, now);
  if (!e) return;  // full, nothing to purge: not tracked
  stick::track_start(into->slot[a.slot], *t, e, now);
  // The request and the response status being analysed count for a tracker
  // that starts on them (HAProxy's exception for request counters).
  if (ctx.track_counts_request()) stick::count_event(*t, e, stick::Event::kHttpReq, now);
  stick::Event ev;
  if (status_event(ctx.track_status(), &ev)) stick::count_event(*t, e, ev, now);
}

}  // namespace

void apply_stick_action(const config::StickAction& a, TxnFetch& ctx) {
  const int64_t now = stick_now();
  if (a.kind == config::StickAction::Kind::kTrack) return track(a, ctx, now);
  TrackSlot* s = seen_slot(a.slot, ctx.stream_trackers(), ctx.session_trackers());
  if (!s) return;
  using W = config::StickAction::Which;
  if (a.kind == config::StickAction::Kind::kIncGpc) {
    const DataType type = a.which == W::k0   ? DataType::kGpc0
                          : a.which == W::k1 ? DataType::kGpc1
                                             : DataType::kGpc;
    stick::gpc_inc(*s->table, s->entry, type, a.idx, now);
    return;
  }
  int64_t v = a.value;
  if (a.expr) {
    expr::Sample smp;
    if (!expr::eval_sample_expr(*a.expr, ctx, smp) || !expr::cast(smp, expr::SmpType::kSint))
      return;
    v = smp.sint;
  }
  stick::gpt_set(*s->table, s->entry, a.which == W::kArray ? DataType::kGpt : DataType::kGpt0,
                 a.idx, uint32_t(v));
}

}  // namespace hearth::stream
