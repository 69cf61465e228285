#include "stick/track.h"

#include <mutex>

namespace hearth::stick {
namespace {

// The rate type that follows a counter type.
DataType rate_of(DataType t) {
  switch (t) {
    case DataType::kGpc0:
      return DataType::kGpc0Rate;
    case DataType::kGpc1:
      return DataType::kGpc1Rate;
    case DataType::kGpc:
      return DataType::kGpcRate;
    case DataType::kConnCnt:
      return DataType::kConnRate;
    case DataType::kSessCnt:
      return DataType::kSessRate;
    case DataType::kHttpReqCnt:
      return DataType::kHttpReqRate;
    case DataType::kHttpErrCnt:
      return DataType::kHttpErrRate;
    case DataType::kHttpFailCnt:
      return DataType::kHttpFailRate;
    case DataType::kBytesInCnt:
      return DataType::kBytesInRate;
    case DataType::kBytesOutCnt:
      return DataType::kBytesOutRate;
    default:
      return DataType::kCount;
  }
}

// cnt + n and rate + n where stored. Requires: the entry's lock.
void add_locked(Table& t, Entry* e, DataType cnt, uint32_t n, int64_t now) {
  if (uint32_t* c = t.data<uint32_t>(e, cnt)) *c += n;
  const DataType r = rate_of(cnt);
  if (const StoredType* st = t.config().layout.find(r))
    freq_add(*t.data<FreqCtr>(e, r), st->period_ms, n, now);
}

// Tells the table's sink of the change when leaving the scope: declared
// before the entry's lock, it runs after the unlock.
struct NoteChange {
  Table& t;
  Entry* e;
  ~NoteChange() { t.changed(e); }
};

}  // namespace

void track_start(TrackSlot& s, Table& t, Entry* e, int64_t now_ms) {
  s.table = &t;
  s.entry = e;
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  if (uint32_t* cur = t.data<uint32_t>(e, DataType::kConnCur)) ++*cur;
  add_locked(t, e, DataType::kConnCnt, 1, now_ms);
}

void track_stop(TrackSlot& s, int64_t now_ms) {
  if (!s.entry) return;
  {
    std::lock_guard<SpinLock> g(s.entry->lock);
    if (uint32_t* cur = s.table->data<uint32_t>(s.entry, DataType::kConnCur); cur && *cur) --*cur;
  }
  s.table->touch(s.entry, now_ms);
  s.table->changed(s.entry);
  s.table->release(s.entry);
  s = TrackSlot{};
}

void track_stop_all(TrackSlots& s, int64_t now_ms) {
  for (TrackSlot& x : s.slot) track_stop(x, now_ms);
}

void count_event(Table& t, Entry* e, Event ev, int64_t now_ms) {
  DataType cnt = DataType::kSessCnt;
  switch (ev) {
    case Event::kSess:
      break;
    case Event::kHttpReq:
      cnt = DataType::kHttpReqCnt;
      break;
    case Event::kHttpErr:
      cnt = DataType::kHttpErrCnt;
      break;
    case Event::kHttpFail:
      cnt = DataType::kHttpFailCnt;
      break;
  }
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  add_locked(t, e, cnt, 1, now_ms);
}

void count_bytes(Table& t, Entry* e, uint64_t in, uint64_t out, int64_t now_ms) {
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  for (auto [cnt, rate, n] : {std::tuple{DataType::kBytesInCnt, DataType::kBytesInRate, in},
                              {DataType::kBytesOutCnt, DataType::kBytesOutRate, out}}) {
    if (!n) continue;
    if (uint64_t* c = t.data<uint64_t>(e, cnt)) *c += n;
    // Rates count 32 bits at a time, as HAProxy's.
    if (const StoredType* st = t.config().layout.find(rate))
      freq_add(*t.data<FreqCtr>(e, rate), st->period_ms, uint32_t(n), now_ms);
  }
}

int64_t count_conn(Table& t, Entry* e) {
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  uint32_t* c = t.data<uint32_t>(e, DataType::kConnCnt);
  if (!c) return -1;
  return ++*c;
}

int64_t gpc_inc(Table& t, Entry* e, DataType type, size_t idx, int64_t now_ms) {
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  const DataType rt = rate_of(type);
  uint32_t* c = t.data<uint32_t>(e, type, idx);
  FreqCtr* r = t.data<FreqCtr>(e, rt, idx);
  if (!c && !r) return -1;
  if (r) freq_add(*r, t.config().layout.find(rt)->period_ms, 1, now_ms);
  return c ? ++*c : 0;
}

int64_t gpc_clear(Table& t, Entry* e, DataType type, size_t idx) {
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  const DataType rt = rate_of(type);
  uint32_t* c = t.data<uint32_t>(e, type, idx);
  FreqCtr* r = t.data<FreqCtr>(e, rt, idx);
  if (!c && !r) return -1;
  if (r) *r = FreqCtr{};
  if (!c) return 0;
  const uint32_t old = *c;
  *c = 0;
  return old;
}

bool gpt_set(Table& t, Entry* e, DataType type, size_t idx, uint32_t v) {
  NoteChange note{t, e};
  std::lock_guard<SpinLock> g(e->lock);
  uint32_t* p = t.data<uint32_t>(e, type, idx);
  if (!p) return false;
  *p = v;
  return true;
}

bool read_value(Table& t, Entry* e, DataType type, size_t idx, int64_t now_ms, int64_t* out) {
  const StoredType* st = t.config().layout.find(type);
  if (!st || idx >= st->count) return false;
  std::lock_guard<SpinLock> g(e->lock);
  switch (info(type).kind) {
    case DataKind::kU32:
      *out = *t.data<uint32_t>(e, type, idx);
      return true;
    case DataKind::kU64:
      *out = int64_t(*t.data<uint64_t>(e, type, idx));
      return true;
    case DataKind::kSint:
      *out = *t.data<int64_t>(e, type, idx);
      return true;
    case DataKind::kRate:
      *out = freq_read(*t.data<FreqCtr>(e, type, idx), st->period_ms, now_ms);
      return true;
    case DataKind::kDict:
      return false;
  }
  return false;
}

}  // namespace hearth::stick
