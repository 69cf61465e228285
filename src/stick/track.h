#pragma once
// Tracked counters (HAProxy's track-sc0/1/2): a session or a stream holds up
// to three table entries, one per slot, and counts its events into them.
//
// Slot lifecycle:
//   empty --track (entry referenced, conn_cnt/conn_cur/conn_rate counted)--> tracking
//   tracking --track again--> tracking (the first tracker of a slot wins)
//   tracking --stop (stream or session ends: conn_cur decremented, entry
//             touched so its expiry runs from now, reference released)--> empty
//
// Every function that changes an entry's data takes the entry's own lock.
#include <cstdint>

#include "stick/table.h"

namespace hearth::stick {

inline constexpr int kTrackSlots = 3;

struct TrackSlot {
  Table* table = nullptr;
  Entry* entry = nullptr;
};

struct TrackSlots {
  TrackSlot slot[kTrackSlots];
  bool any() const { return slot[0].entry || slot[1].entry || slot[2].entry; }
};

// Starts tracking `e` (referenced by get_or_create, the reference passes to
// the slot) in `s`: counts a connection (conn_cnt, conn_cur, conn_rate).
// Requires: `s` is empty.
void track_start(TrackSlot& s, Table& t, Entry* e, int64_t now_ms);
// Stops tracking (no-op on an empty slot).
void track_stop(TrackSlot& s, int64_t now_ms);
void track_stop_all(TrackSlots& s, int64_t now_ms);

// Events counted into an entry: the counter and its rate, where stored.
enum class Event : uint8_t { kSess, kHttpReq, kHttpErr, kHttpFail };
void count_event(Table& t, Entry* e, Event ev, int64_t now_ms);
void count_bytes(Table& t, Entry* e, uint64_t in, uint64_t out, int64_t now_ms);
// conn_cnt + 1 (src_updt_conn_cnt). Returns: the new count, or -1 when not stored.
int64_t count_conn(Table& t, Entry* e);

// General purpose counters and tags. `type` is kGpc0, kGpc1 or kGpc (array
// element `idx`); their rates (gpc0_rate, gpc1_rate, gpc_rate[idx]) follow
// increments. Returns: the new value (inc), the old one (clr), or -1 when
// neither the counter nor its rate is stored.
int64_t gpc_inc(Table& t, Entry* e, DataType type, size_t idx, int64_t now_ms);
int64_t gpc_clear(Table& t, Entry* e, DataType type, size_t idx);
// gpt0 or gpt[idx] = v. Returns: false when not stored.
bool gpt_set(Table& t, Entry* e, DataType type, size_t idx, uint32_t v);

// Reads one stored value at `now_ms` (counters, rates, tags, server_id).
// Returns: false when the table does not store it.
bool read_value(Table& t, Entry* e, DataType type, size_t idx, int64_t now_ms, int64_t* out);

}  // namespace hearth::stick
