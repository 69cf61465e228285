#pragma once
// Stick counters at run time: the slots a session and a stream track
// (stick/track.h), how events reach them, and the track-sc / sc-inc-gpc /
// sc-set-gpt actions.
//
// As HAProxy: a stream sees its session's tracked entries through each slot
// it does not track itself (HAProxy copies them into each new stream), so a
// slot's events go to the stream's entry if it has one, else to the
// session's. A slot tracked at either level is not tracked again.
#include <cstdint>
#include <string_view>

#include "config/stick_action.h"
#include "expr/sample.h"
#include "expr/sample_expr.h"
#include "stick/track.h"

namespace hearth::stream {

class TxnFetch;

// The clock stick-table entries expire by (the thread's loop time).
int64_t stick_now();

// The slot `i` a stream sees: its own if it tracks one, else its session's.
// Either may be null. Returns: nullptr if neither tracks slot i.
stick::TrackSlot* seen_slot(int i, stick::TrackSlots* strm, stick::TrackSlots* sess);

// Counts an event into every slot the stream sees.
void count_tracked(stick::TrackSlots* strm, stick::TrackSlots* sess, stick::Event ev,
                   int64_t now_ms);
void count_tracked_bytes(stick::TrackSlots* strm, stick::TrackSlots* sess, uint64_t in,
                         uint64_t out, int64_t now_ms);
// The response status's events: http_err for 4xx, http_fail for 5xx other
// than 501 and 505 (HAProxy 2.6).
void count_status(stick::TrackSlots* strm, stick::TrackSlots* sess, int status, int64_t now_ms);

// The table key of a sample for a table of `t`'s type (cast as HAProxy
// casts: addresses for ip/ipv6, 32 bits for integer, truncated or padded
// for string/binary). Returns: false if the sample does not cast.
bool sample_to_key(expr::Sample s, const stick::Table& t, char* buf, size_t* len);
// The same into the calling thread's key buffer: *key views it until the
// thread's next call. table_key_of also evaluates the sample first.
bool table_key(const expr::Sample& s, const stick::Table& t, std::string_view* key);
bool table_key_of(const expr::SampleExpr& e, expr::FetchContext& ctx, const stick::Table& t,
                  std::string_view* key);

// Runs one stick-counter action with the rule's fetch context.
void apply_stick_action(const config::StickAction& a, TxnFetch& ctx);

}  // namespace hearth::stream
