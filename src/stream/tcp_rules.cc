#include "stream/tcp_rules.h"

#include "expr/condition_partial.h"
#include "expr/rdp_cookie.h"
#include "expr/ssl_hello.h"
#include "expr/var_access.h"
#include "stream/addr_rules.h"
#include "stream/http_captures.h"
#include "stream/priority.h"
#include "stream/session.h"
#include "stream/stick_counters.h"
#include "stream/txn_vars.h"

namespace hearth::stream {
namespace {

using expr::FetchId;
using expr::HelloStatus;
using Action = config::TcpRule::Action;

}  // namespace

bool TcpFetch::payload(std::string_view data, const expr::Arg* args, expr::Sample& out) {
  const int64_t off = args[0].sint, len = args[1].sint;
  if (off < 0 || len < 0) return false;
  // A length of 0 takes everything from the offset on.
  const uint64_t need = uint64_t(off) + uint64_t(len ? len : 1);
  if (need > data.size()) return miss();
  const bool before = missing_;
  out.set_bin(data.substr(size_t(off), len ? size_t(len) : std::string_view::npos));
  if (!len) may_change(before);  // more bytes would give a longer sample
  return true;
}

// payload_lv(off1,len1[,off2]): a block whose length is the big-endian
// integer of len1 bytes at off1; it starts after that integer, or at off2
// (absolute, or "+N": relative to the end of the integer).
bool TcpFetch::payload_lv(std::string_view data, const expr::Arg* args, size_t nargs,
                          expr::Sample& out) {
  const int64_t off1 = args[0].sint, len1 = args[1].sint;
  if (off1 < 0 || len1 <= 0 || len1 > 4) return false;
  if (uint64_t(off1) + uint64_t(len1) > data.size()) return miss();
  uint64_t block = 0;
  for (int64_t i = 0; i < len1; ++i) block = block << 8 | uint8_t(data[size_t(off1 + i)]);
  uint64_t start = uint64_t(off1 + len1);
  if (nargs > 2 && !args[2].str.empty()) {
    const std::string& s = args[2].str;
    const bool rel = s[0] == '+';
    int64_t v = 0;
    for (size_t i = rel ? 1 : 0; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || v > (int64_t(1) << 40)) return false;
      v = v * 10 + (s[i] - '0');
    }
    start = rel ? start + uint64_t(v) : uint64_t(v);
  }
  if (block > (uint64_t(1) << 32) || start + block > data.size()) return miss();
  out.set_bin(data.substr(size_t(start), size_t(block)));
  return true;
}

bool TcpFetch::fetch(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                     expr::FetchIter& it, expr::Sample& out) {
  expr::disarm_settle(&missing_);  // a converter settles only the fetch just before it
  if (def.id < FetchId::kReqLen || def.id == FetchId::kStick) {
    // An HTTP request fetch in a TCP stream's content rules.
    if ((def.use & expr::kUseReq) && !(def.use & where_) && (where_ & expr::kUseL6Req) &&
        !has_request() && !prefetch_http())
      return false;
    return TxnFetch::fetch(def, args, nargs, it, out);
  }
  if (!(def.use & where_)) return false;
  switch (def.id) {
    case FetchId::kWaitEnd:
      if (!final_) return miss();
      out.set_bool(true);
      return true;
    case FetchId::kReqLen:
    case FetchId::kResLen: {
      const bool before = missing_;
      out.set_sint(int64_t(def.id == FetchId::kReqLen ? req_bytes_.size() : res_bytes_.size()));
      may_change(before);  // a test it fails may pass with more bytes
      return true;
    }
    case FetchId::kReqPayload:
      return payload(req_bytes_, args, out);
    case FetchId::kResPayload:
      return payload(res_bytes_, args, out);
    case FetchId::kReqPayloadLv:
      return payload_lv(req_bytes_, args, nargs, out);
    case FetchId::kResPayloadLv:
      return payload_lv(res_bytes_, args, nargs, out);
    case FetchId::kReqSslHelloType:
    case FetchId::kResSslHelloType: {
      int type = 0;
      const HelloStatus st = expr::ssl_hello_type(
          def.id == FetchId::kReqSslHelloType ? req_bytes_ : res_bytes_, &type);
      if (st == HelloStatus::kIncomplete) return miss();
      if (st == HelloStatus::kInvalid) return false;
      out.set_sint(type);
      return true;
    }
    case FetchId::kReqSslVer: {
      uint32_t v = 0;
      const HelloStatus st = expr::ssl_record_version(req_bytes_, &v);
      if (st == HelloStatus::kIncomplete) return miss();
      if (st == HelloStatus::kInvalid) return false;
      out.set_sint(v);
      return true;
    }
    case FetchId::kPayload:
    case FetchId::kPayloadLv: {
      // The deprecated forms read the direction the rule inspects.
      const std::string_view data = (where_ & expr::kUseL6Req) ? req_bytes_ : res_bytes_;
      return def.id == FetchId::kPayload ? payload(data, args, out)
                                         : payload_lv(data, args, nargs, out);
    }
    case FetchId::kReqSslAlpn:
    case FetchId::kReqSslSni: {
      std::string_view v;
      const HelloStatus st = def.id == FetchId::kReqSslSni ? expr::ssl_hello_sni(req_bytes_, &v)
                                                           : expr::ssl_hello_alpn(req_bytes_, &v);
      if (st == HelloStatus::kIncomplete) return miss();
      if (st == HelloStatus::kInvalid) return false;
      out.set_str(v);
      return true;
    }
    case FetchId::kReqSslEcExt:
    case FetchId::kReqSslStExt: {
      const bool ec = def.id == FetchId::kReqSslEcExt;
      bool found = false;
      std::string_view body;
      // supported_groups (once "elliptic curves") or session_ticket.
      const HelloStatus st = expr::ssl_hello_extension(req_bytes_, ec ? 10 : 35, &found, &body);
      if (st == HelloStatus::kIncomplete) return miss();
      if (st == HelloStatus::kInvalid) return false;
      if (ec)
        out.set_bool(found);
      else
        out.set_sint(!found ? 0 : body.empty() ? 1 : 2);
      return true;
    }
    case FetchId::kReqRdpCookie:
    case FetchId::kReqRdpCookieCnt: {
      std::string_view v;
      const std::string_view name = nargs > 0 ? std::string_view(args[0].str) : std::string_view();
      const HelloStatus st = expr::rdp_cookie(req_bytes_, name, &v);
      if (st == HelloStatus::kIncomplete) return miss();
      if (def.id == FetchId::kReqRdpCookieCnt) {
        out.set_sint(st == HelloStatus::kOk ? 1 : 0);
        return true;
      }
      if (st == HelloStatus::kInvalid) return false;
      out.set_str(v);
      return true;
    }
    case FetchId::kDistccBody:
    case FetchId::kDistccParam:
      return distcc((where_ & expr::kUseL6Req) ? req_bytes_ : res_bytes_, def, args, out);
    default:
      return false;
  }
}

TcpFetch::~TcpFetch() { expr::disarm_settle(&missing_); }

expr::VarStore* TcpFetch::vars(expr::VarScope scope) {
  if (!sess_only_) return TxnFetch::vars(scope);
  if (scope != expr::VarScope::kSess) return nullptr;
  if (!sess_only_->vars) sess_only_->vars = var_store_pool().create();
  return sess_only_->vars;
}

TcpVerdict eval_tcp_rules(const std::vector<config::TcpRule>& rules, TcpFetch& ctx) {
  for (const config::TcpRule& r : rules) {
    if (r.cond) {
      const expr::Verdict v = expr::eval_condition_partial(*r.cond, ctx, ctx.missing_flag());
      if (v == expr::Verdict::kMissing) return TcpVerdict::kWait;
      if (v == expr::Verdict::kNo) continue;
    }
    const bool ends = r.action == Action::kAccept || r.action == Action::kReject ||
                      r.action == Action::kClose || r.action == Action::kSilentDrop;
    if (LastRule* last = ctx.last_rule(); ends && last) *last = LastRule{&r.file, r.line};
    switch (r.action) {
      case Action::kAccept:
        return TcpVerdict::kPass;
      case Action::kReject:
        return TcpVerdict::kReject;
      case Action::kClose:
        return TcpVerdict::kClose;
      case Action::kSilentDrop:
        return TcpVerdict::kDrop;
      case Action::kSetVar:
      case Action::kSetVarFmt:
        apply_set_var(r.var, r.var_conds, r.expr.get(),
                      r.action == Action::kSetVarFmt ? r.fmt.get() : nullptr, ctx);
        break;
      case Action::kUnsetVar:
        expr::erase_var(ctx, r.var);
        break;
      case Action::kSetLogLevel:
        if (int8_t* level = ctx.log_level()) *level = r.log_level;
        break;
      case Action::kCapture:
        capture_sample(*r.expr, r.cap_id, ctx);
        break;
      case Action::kExpectProxy:
        if (bool* expect = ctx.expect_proxy()) *expect = true;
        break;
      case Action::kSetPriorityClass:
      case Action::kSetPriorityOffset:
        apply_priority(*r.expr, r.action == Action::kSetPriorityOffset, ctx);
        break;
      case Action::kStick:
        // A key that may still appear (bytes not all here yet) makes the
        // rules wait, as HAProxy's track-sc does in content rules.
        *ctx.missing_flag() = false;
        apply_stick_action(*r.stick, ctx);
        if (*ctx.missing_flag() && !ctx.final()) return TcpVerdict::kWait;
        break;
      default:  // set-src, set-src-port, set-dst, set-dst-port
        apply_addr_rule(r, ctx);
        break;
    }
  }
  return TcpVerdict::kPass;
}

}  // namespace hearth::stream
