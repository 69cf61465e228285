// The stick-table fetches and converters (HAProxy manual 7.3.1, 7.3.3):
// sc_*, sc0_* .. sc2_*, src_*, table_avl, table_cnt, in_table, table_*.
#include "expr/stick_fetch.h"

#include <string>

#include "stick/registry.h"
#include "stick/track.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/stick_counters.h"

namespace hearth::stream {
namespace {

using expr::StickFrom;
using Op = expr::StickOp;
using stick::DataType;
using stick::Entry;
using stick::Table;

// The stored type an operation reads or changes, and the array element.
// The legacy gpc0, gpc1, gpt0, gpc0_rate and gpc1_rate stand for elements
// 0 and 1 of the arrays when those are stored instead (as HAProxy 2.6).
bool type_of(Op op, int idx, const Table& t, DataType* type, size_t* elem) {
  *elem = 0;
  auto legacy = [&](DataType own, DataType array, size_t i) {
    if (t.config().layout.find(own) || !t.config().layout.find(array)) {
      *type = own;
    } else {
      *type = array;
      *elem = i;
    }
    return true;
  };
  auto indexed = [&](DataType array) {
    *type = array;
    *elem = size_t(idx);
    return true;
  };
  switch (op) {
    case Op::kBytesInRate:
      return (*type = DataType::kBytesInRate), true;
    case Op::kBytesOutRate:
      return (*type = DataType::kBytesOutRate), true;
    case Op::kConnCnt:
    case Op::kUpdtConnCnt:
      return (*type = DataType::kConnCnt), true;
    case Op::kConnCur:
      return (*type = DataType::kConnCur), true;
    case Op::kConnRate:
      return (*type = DataType::kConnRate), true;
    case Op::kHttpErrCnt:
      return (*type = DataType::kHttpErrCnt), true;
    case Op::kHttpErrRate:
      return (*type = DataType::kHttpErrRate), true;
    case Op::kHttpFailCnt:
      return (*type = DataType::kHttpFailCnt), true;
    case Op::kHttpFailRate:
      return (*type = DataType::kHttpFailRate), true;
    case Op::kHttpReqCnt:
      return (*type = DataType::kHttpReqCnt), true;
    case Op::kHttpReqRate:
      return (*type = DataType::kHttpReqRate), true;
    case Op::kKbytesIn:
      return (*type = DataType::kBytesInCnt), true;
    case Op::kKbytesOut:
      return (*type = DataType::kBytesOutCnt), true;
    case Op::kSessCnt:
      return (*type = DataType::kSessCnt), true;
    case Op::kSessRate:
      return (*type = DataType::kSessRate), true;
    case Op::kServerId:
      return (*type = DataType::kServerId), true;
    case Op::kGetGpc0:
    case Op::kIncGpc0:
    case Op::kClrGpc0:
      return legacy(DataType::kGpc0, DataType::kGpc, 0);
    case Op::kGetGpc1:
    case Op::kIncGpc1:
    case Op::kClrGpc1:
      return legacy(DataType::kGpc1, DataType::kGpc, 1);
    case Op::kGetGpt0:
      return legacy(DataType::kGpt0, DataType::kGpt, 0);
    case Op::kGpc0Rate:
      return legacy(DataType::kGpc0Rate, DataType::kGpcRate, 0);
    case Op::kGpc1Rate:
      return legacy(DataType::kGpc1Rate, DataType::kGpcRate, 1);
    case Op::kGetGpc:
    case Op::kIncGpc:
    case Op::kClrGpc:
      return indexed(DataType::kGpc);
    case Op::kGetGpt:
      return indexed(DataType::kGpt);
    case Op::kGpcRate:
      return indexed(DataType::kGpcRate);
    default:
      return false;
  }
}

// The operation on an entry of `t` (null: the key is not in the table, which
// reads as 0). `extra_refs`: references the query itself holds on it, which
// the trackers count leaves out. Returns: false for no sample (the data is
// not stored).
bool apply(const expr::StickQuery& q, Table& t, Entry* e, uint32_t extra_refs, expr::Sample& io) {
  const int64_t now = stick_now();
  switch (q.op) {
    case Op::kTracked:
      io.set_bool(true);
      return true;
    case Op::kInTable:
      io.set_bool(e != nullptr);
      return true;
    case Op::kTrackers:
      io.set_sint(e ? int64_t(e->refs.load(std::memory_order_relaxed)) - extra_refs : 0);
      return true;
    case Op::kExpire:
    case Op::kIdle: {
      if (!e) {
        if (!q.has_default) return false;
        io.set_sint(q.default_value);
        return true;
      }
      if (q.op == Op::kIdle) {
        io.set_sint(now - e->touched);
        return true;
      }
      if (!t.config().expire_ms) return false;
      io.set_sint(std::max<int64_t>(0, t.expires_at(e) - now));
      return true;
    }
    default:
      break;
  }
  DataType type;
  size_t elem = 0;
  if (!type_of(q.op, q.idx, t, &type, &elem)) return false;
  const stick::StoredType* st = t.config().layout.find(type);
  // gpc ops work on a counter or its rate; the others need theirs.
  const bool gpc_op = q.op == Op::kIncGpc0 || q.op == Op::kIncGpc1 || q.op == Op::kIncGpc ||
                      q.op == Op::kClrGpc0 || q.op == Op::kClrGpc1 || q.op == Op::kClrGpc;
  if (!gpc_op && (!st || elem >= st->count)) return false;
  if (!e) {
    io.set_sint(0);
    return true;
  }
  int64_t v = 0;
  switch (q.op) {
    case Op::kIncGpc0:
    case Op::kIncGpc1:
    case Op::kIncGpc:
      v = stick::gpc_inc(t, e, type, elem, now);
      break;
    case Op::kClrGpc0:
    case Op::kClrGpc1:
    case Op::kClrGpc:
      v = stick::gpc_clear(t, e, type, elem);
      break;
    case Op::kUpdtConnCnt:
      v = stick::count_conn(t, e);
      break;
    default:
      if (!stick::read_value(t, e, type, elem, now, &v)) return false;
      if (q.op == Op::kKbytesIn || q.op == Op::kKbytesOut) v >>= 10;
      break;
  }
  if (v < 0) return false;
  io.set_sint(v);
  return true;
}

// The key bytes of an entry, as a lookup in another table takes them.
std::string_view key_of(const Table& t, const Entry* e) {
  const bool str = t.config().type == stick::KeyType::kString;
  return std::string_view(e->key(), str ? e->key_len : t.config().key_len);
}

// Operations that create the entry of the client's address when absent.
bool creates(Op op) {
  return op == Op::kUpdtConnCnt || op == Op::kIncGpc0 || op == Op::kIncGpc1 || op == Op::kIncGpc ||
         op == Op::kClrGpc0 || op == Op::kClrGpc1 || op == Op::kClrGpc;
}

}  // namespace

stick::TrackSlots* TxnFetch::session_trackers() const {
  Session* s = session_ ? session_ : client_ ? Session::of(client_) : nullptr;
  return s ? &s->trk : nullptr;
}

bool TxnFetch::stick(const expr::StickQuery& q, expr::Sample& io) {
  Table* t = q.table ? stick::table_at(q.table->index) : nullptr;
  if (q.from == StickFrom::kTable) {
    if (!t) return false;
    const int64_t used = int64_t(t->count());
    io.set_sint(q.op == Op::kTableCnt ? used : std::max<int64_t>(0, t->config().size - used));
    return true;
  }
  if (q.from <= StickFrom::kSlotArg) {
    const int slot = q.from == StickFrom::kSlotArg ? q.ctr : int(q.from);
    stick::TrackSlot* s = seen_slot(slot, strm_trk_, session_trackers());
    if (!s) {
      if (q.op != Op::kTracked) return false;
      io.set_bool(false);
      return true;
    }
    if (!t) return apply(q, *s->table, s->entry, 0, io);
    // Another table: the tracked key looked up there.
    Entry* e = t->lookup(key_of(*s->table, s->entry), stick_now());
    const bool ok = apply(q, *t, e, 1, io);
    if (e) t->release(e);
    return ok;
  }
  if (!t) return false;
  expr::Sample key_smp;
  if (q.from == StickFrom::kSrc) {
    static const expr::FetchDef* src = expr::find_fetch("src");
    expr::FetchIter it;
    if (!fetch(*src, nullptr, 0, it, key_smp)) return false;
  } else {
    key_smp = io;
  }
  std::string_view k;
  if (!table_key(key_smp, *t, &k)) return false;
  const int64_t now = stick_now();
  Entry* e = creates(q.op) ? t->get_or_create(k, now) : t->lookup(k, now);
  // table_trackers counts its own reference, as HAProxy's does.
  const bool ok = apply(q, *t, e, q.from == StickFrom::kInput ? 0 : 1, io);
  if (e) t->release(e);
  return ok;
}

}  // namespace hearth::stream
