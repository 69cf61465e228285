#include "expr/stick_fetch.h"

#include <string>
#include <vector>

#include "expr/converter.h"
#include "expr/fetch.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;
using Op = StickOp;

struct OpName {
  std::string_view name;
  Op op;
  bool indexed;  // takes <idx> first (the gpc/gpt arrays)
  T out = T::kSint;
};

// The data the sc_* and src_* fetches read, in the manual's order.
const OpName kCounterOps[] = {
    {"bytes_in_rate", Op::kBytesInRate, false},
    {"bytes_out_rate", Op::kBytesOutRate, false},
    {"clr_gpc", Op::kClrGpc, true},
    {"clr_gpc0", Op::kClrGpc0, false},
    {"clr_gpc1", Op::kClrGpc1, false},
    {"conn_cnt", Op::kConnCnt, false},
    {"conn_cur", Op::kConnCur, false},
    {"conn_rate", Op::kConnRate, false},
    {"get_gpc", Op::kGetGpc, true},
    {"get_gpc0", Op::kGetGpc0, false},
    {"get_gpc1", Op::kGetGpc1, false},
    {"get_gpt", Op::kGetGpt, true},
    {"get_gpt0", Op::kGetGpt0, false},
    {"gpc_rate", Op::kGpcRate, true},
    {"gpc0_rate", Op::kGpc0Rate, false},
    {"gpc1_rate", Op::kGpc1Rate, false},
    {"http_err_cnt", Op::kHttpErrCnt, false},
    {"http_err_rate", Op::kHttpErrRate, false},
    {"http_fail_cnt", Op::kHttpFailCnt, false},
    {"http_fail_rate", Op::kHttpFailRate, false},
    {"http_req_cnt", Op::kHttpReqCnt, false},
    {"http_req_rate", Op::kHttpReqRate, false},
    {"inc_gpc", Op::kIncGpc, true},
    {"inc_gpc0", Op::kIncGpc0, false},
    {"inc_gpc1", Op::kIncGpc1, false},
    {"kbytes_in", Op::kKbytesIn, false},
    {"kbytes_out", Op::kKbytesOut, false},
    {"sess_cnt", Op::kSessCnt, false},
    {"sess_rate", Op::kSessRate, false},
};

// The table_* converters: what each reads from the entry of its input.
const OpName kConvOps[] = {
    {"bytes_in_rate", Op::kBytesInRate, false},
    {"bytes_out_rate", Op::kBytesOutRate, false},
    {"conn_cnt", Op::kConnCnt, false},
    {"conn_cur", Op::kConnCur, false},
    {"conn_rate", Op::kConnRate, false},
    {"expire", Op::kExpire, false},
    {"gpt", Op::kGetGpt, true},
    {"gpt0", Op::kGetGpt0, false},
    {"gpc", Op::kGetGpc, true},
    {"gpc_rate", Op::kGpcRate, true},
    {"gpc0", Op::kGetGpc0, false},
    {"gpc0_rate", Op::kGpc0Rate, false},
    {"gpc1", Op::kGetGpc1, false},
    {"gpc1_rate", Op::kGpc1Rate, false},
    {"http_err_cnt", Op::kHttpErrCnt, false},
    {"http_err_rate", Op::kHttpErrRate, false},
    {"http_fail_cnt", Op::kHttpFailCnt, false},
    {"http_fail_rate", Op::kHttpFailRate, false},
    {"http_req_cnt", Op::kHttpReqCnt, false},
    {"http_req_rate", Op::kHttpReqRate, false},
    {"idle", Op::kIdle, false},
    {"kbytes_in", Op::kKbytesIn, false},
    {"kbytes_out", Op::kKbytesOut, false},
    {"server_id", Op::kServerId, false},
    {"sess_cnt", Op::kSessCnt, false},
    {"sess_rate", Op::kSessRate, false},
    {"trackers", Op::kTrackers, false},
};

// FetchDef::sub: the operation (bits 0-7), the source (8-11), and whether
// an array index comes first (12).
constexpr uint16_t sub_of(Op op, StickFrom from, bool indexed) {
  return uint16_t(uint16_t(op) | uint16_t(from) << 8 | uint16_t(indexed) << 12);
}

// <idx> (0 to 99) and <ctr> (0 to 2): what they may be, checked at load.
bool check_range(const Arg& a, int64_t max, const char* what, std::string* err) {
  if (a.sint >= 0 && a.sint <= max) return true;
  *err = std::string(what) + " must be between 0 and " + std::to_string(max) + ", got " +
         std::to_string(a.sint);
  return false;
}
bool check_idx(std::vector<Arg>& args, std::string* err) {
  return check_range(args[0], 99, "the array index", err);
}
bool check_ctr(std::vector<Arg>& args, std::string* err) {
  return check_range(args[0], 2, "the tracked counter number", err);
}
bool check_idx_ctr(std::vector<Arg>& args, std::string* err) {
  return check_idx(args, err) && check_range(args[1], 2, "the tracked counter number", err);
}

struct Catalog {
  std::vector<std::pair<std::string, FetchDef>> fetches;
  std::vector<ConvDef> convs;
  std::vector<std::string> conv_names;  // the storage of convs' names
};

FetchDef stick_def(std::string_view name, Op op, StickFrom from, ArgSpec args, T out,
                   bool indexed = false) {
  FetchDef d;
  d.name = name;
  d.id = FetchId::kStick;
  d.args = std::move(args);
  d.out = out;
  d.use = kUseAny;
  d.sub = sub_of(op, from, indexed);
  return d;
}

// table_*(<table>) and the like: the operation rides in a last, hidden
// argument, added here.
bool check_conv(const ConvDef& def, std::vector<Arg>& args, std::string* err) {
  Op op = Op::kInTable;
  const std::string_view rest = def.name.substr(def.name.find('_') + 1);
  bool found = def.name == "in_table";
  for (const OpName& o : kConvOps) {
    if (!found && o.name == rest) {
      op = o.op;
      found = true;
    }
  }
  if (!found) return (*err = "unknown stick-table converter"), false;
  if (def.args.types[0] == A::kSint && !check_idx(args, err)) return false;
  Arg hidden;
  hidden.type = A::kSint;
  hidden.sint = int64_t(op);
  args.push_back(std::move(hidden));
  return true;
}

bool conv_stick(const Arg* args, size_t nargs, Sample& smp, FetchContext& ctx) {
  StickQuery q;
  q.op = Op(args[nargs - 1].sint);
  q.from = StickFrom::kInput;
  const bool indexed = args[0].type == A::kSint;
  if (indexed) q.idx = int(args[0].sint);
  q.table = args[indexed ? 1 : 0].table.get();
  if (nargs == 3 && !indexed) {  // table_expire / table_idle (<table>, <default>)
    q.has_default = true;
    q.default_value = args[1].sint;
  }
  return ctx.stick(q, smp);
}

const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog c;
    c.fetches.reserve(200);
    auto add = [&c](std::string name, FetchDef d) {
      c.fetches.emplace_back(std::move(name), std::move(d));
    };
    for (const OpName& o : kCounterOps) {
      const std::string n(o.name);
      // sc_<op>([<idx>,]<ctr>[,<table>])
      ArgSpec sc =
          o.indexed ? ArgSpec{2, {A::kSint, A::kSint, A::kTab}} : ArgSpec{1, {A::kSint, A::kTab}};
      FetchDef d = stick_def({}, o.op, StickFrom::kSlotArg, sc, o.out, o.indexed);
      d.check = o.indexed ? check_idx_ctr : check_ctr;
      add("sc_" + n, d);
      if (!o.indexed) {
        // sc0_<op>([<table>]) .. sc2_
        for (int s = 0; s < 3; ++s)
          add("sc" + std::to_string(s) + "_" + n,
              stick_def({}, o.op, StickFrom(s), ArgSpec{0, {A::kTab}}, o.out));
      }
      // src_<op>([<idx>,][<table>]): the current proxy's table by default.
      FetchDef src = stick_def({}, o.op, StickFrom::kSrc,
                               o.indexed ? ArgSpec{1, {A::kSint, A::kTab}} : ArgSpec{0, {A::kTab}},
                               o.out, o.indexed);
      src.default_table_at = o.indexed ? 1 : 0;
      if (o.indexed) src.check = check_idx;
      add("src_" + n, src);
    }
    add("src_updt_conn_cnt", [] {
      FetchDef d =
          stick_def({}, Op::kUpdtConnCnt, StickFrom::kSrc, ArgSpec{0, {A::kTab}}, T::kSint);
      d.default_table_at = 0;
      return d;
    }());
    FetchDef tracked =
        stick_def({}, Op::kTracked, StickFrom::kSlotArg, ArgSpec{1, {A::kSint, A::kTab}}, T::kBool);
    tracked.check = check_ctr;
    add("sc_tracked", tracked);
    FetchDef trackers = stick_def({}, Op::kTrackers, StickFrom::kSlotArg,
                                  ArgSpec{1, {A::kSint, A::kTab}}, T::kSint);
    trackers.check = check_ctr;
    add("sc_trackers", trackers);
    for (int s = 0; s < 3; ++s) {
      const std::string p = "sc" + std::to_string(s) + "_";
      add(p + "tracked",
          stick_def({}, Op::kTracked, StickFrom(s), ArgSpec{0, {A::kTab}}, T::kBool));
      add(p + "trackers",
          stick_def({}, Op::kTrackers, StickFrom(s), ArgSpec{0, {A::kTab}}, T::kSint));
    }
    for (auto [n, op] : {std::pair{"table_avl", Op::kTableAvl}, {"table_cnt", Op::kTableCnt}}) {
      FetchDef d = stick_def({}, op, StickFrom::kTable, ArgSpec{0, {A::kTab}}, T::kSint);
      d.default_table_at = 0;
      add(n, d);
    }
    for (auto& [name, d] : c.fetches) d.name = name;

    c.conv_names.reserve(std::size(kConvOps) + 1);
    c.convs.reserve(std::size(kConvOps) + 1);
    c.conv_names.emplace_back("in_table");
    c.convs.push_back(
        ConvDef{c.conv_names.back(), {1, {A::kTab}}, T::kAny, T::kBool, conv_stick, check_conv});
    for (const OpName& o : kConvOps) {
      c.conv_names.push_back("table_" + std::string(o.name));
      ArgSpec spec = o.indexed ? ArgSpec{2, {A::kSint, A::kTab}} : ArgSpec{1, {A::kTab}};
      if (o.op == Op::kExpire || o.op == Op::kIdle) spec = ArgSpec{1, {A::kTab, A::kSint}};
      c.convs.push_back(
          ConvDef{c.conv_names.back(), spec, T::kAny, T::kSint, conv_stick, check_conv});
    }
    return c;
  }();
  return c;
}

}  // namespace

const FetchDef* find_stick_fetch(std::string_view name) {
  // Every stick fetch starts with "sc", "src_" or "table_".
  if (name.size() < 3 || (name[0] != 's' && name[0] != 't')) return nullptr;
  for (const auto& [n, d] : catalog().fetches)
    if (n == name) return &d;
  return nullptr;
}

const ConvDef* find_stick_converter(std::string_view name) {
  if (name != "in_table" && name.rfind("table_", 0) != 0) return nullptr;
  for (const ConvDef& c : catalog().convs)
    if (c.name == name) return &c;
  return nullptr;
}

StickQuery stick_fetch_query(const FetchDef& def, const Arg* args, size_t nargs) {
  StickQuery q;
  q.op = Op(def.sub & 0xff);
  q.from = StickFrom((def.sub >> 8) & 0xf);
  size_t at = 0;
  const bool indexed = (def.sub >> 12) & 1;
  if (indexed && at < nargs) q.idx = int(args[at++].sint);
  if (q.from == StickFrom::kSlotArg && at < nargs) q.ctr = int(args[at++].sint);
  if (at < nargs && args[at].table) q.table = args[at].table.get();
  return q;
}

}  // namespace hearth::expr
