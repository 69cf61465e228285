#pragma once
// The stick-table keywords (HAProxy manual 7.3.1 and 7.3.3): the sc_*,
// sc0_* .. sc2_* and src_* fetches, table_avl / table_cnt, and the in_table
// and table_* converters. They are answered by the stream layer, which holds
// the tables and the tracked entries, through FetchContext::stick().
#include <cstdint>
#include <string_view>

#include "expr/sample.h"
#include "expr/table_ref.h"

namespace hearth::expr {

struct FetchDef;
struct ConvDef;

// What is read or done to an entry.
enum class StickOp : uint8_t {
  kBytesInRate,
  kBytesOutRate,
  kClrGpc,  // gpc[idx]
  kClrGpc0,
  kClrGpc1,
  kConnCnt,
  kConnCur,
  kConnRate,
  kGetGpc,  // gpc[idx]
  kGetGpc0,
  kGetGpc1,
  kGetGpt,  // gpt[idx]
  kGetGpt0,
  kGpcRate,  // gpc_rate[idx]
  kGpc0Rate,
  kGpc1Rate,
  kHttpErrCnt,
  kHttpErrRate,
  kHttpFailCnt,
  kHttpFailRate,
  kHttpReqCnt,
  kHttpReqRate,
  kIncGpc,  // gpc[idx]
  kIncGpc0,
  kIncGpc1,
  kKbytesIn,
  kKbytesOut,
  kSessCnt,
  kSessRate,
  kTracked,      // sc*_tracked
  kTrackers,     // the entry's references
  kUpdtConnCnt,  // src_updt_conn_cnt
  kInTable,      // in_table
  kExpire,       // table_expire: ms until the entry expires
  kIdle,         // table_idle: ms since it was last touched
  kServerId,     // table_server_id
  kTableAvl,     // table_avl: free entries
  kTableCnt,     // table_cnt: used entries
};

// Which entry: a tracked slot, the one of the client's address, the
// converter's input, or none (the table itself).
enum class StickFrom : uint8_t { kSlot0, kSlot1, kSlot2, kSlotArg, kSrc, kInput, kTable };

struct StickQuery {
  StickOp op = StickOp::kConnCnt;
  StickFrom from = StickFrom::kSrc;
  int idx = 0;  // gpc/gpt array element
  int ctr = 0;  // the slot of sc_*(ctr)
  // The table: for sc*_, another table where the tracked key is looked up
  // (null: the tracked entry's own); otherwise the table read.
  const TableRef* table = nullptr;
  bool has_default = false;  // table_expire / table_idle: the value for an absent key
  int64_t default_value = 0;
};

// Returns: the fetch or nullptr (fetch.cc's find_fetch asks here).
const FetchDef* find_stick_fetch(std::string_view name);
// Returns: the converter or nullptr.
const ConvDef* find_stick_converter(std::string_view name);
// The query a stick fetch stands for, with its arguments.
StickQuery stick_fetch_query(const FetchDef& def, const struct Arg* args, size_t nargs);

}  // namespace hearth::expr
