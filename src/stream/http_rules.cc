#include "stream/http_rules.h"

#include <cstring>
#include <string>
#include <vector>

#include "expr/condition.h"
#include "expr/log_format.h"
#include "expr/regex.h"
#include "expr/sample.h"
#include "expr/sample_expr.h"
#include "expr/var_access.h"
#include "http/status.h"
#include "stream/addr_rules.h"
#include "stream/early_hints.h"
#include "stream/http_captures.h"
#include "stream/http_uri_rules.h"
#include "stream/pattern_actions.h"
#include "stream/priority.h"
#include "stream/rewrite_budget.h"
#include "stream/stick_counters.h"
#include "stream/txn_vars.h"

namespace hearth::stream {

using Action = config::HttpRule::Action;

namespace {

// A scratch string for building values; cleared, never shrunk.
std::string& thread_scratch() {
  static thread_local std::string s;
  s.clear();
  return s;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// replace-header: a field whose value the regex matches takes the expanded
// format as its whole value (HAProxy's behaviour, compared in the tests).
// Returns: false if a value did not fit in the head.
bool replace_header(const config::HttpRule& r, http::MsgHead& head) {
  http::HeaderList& fields = head.fields();
  std::string_view groups[expr::Regex::kMaxGroups];
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!http::iequals(fields[i].name, r.name) || !r.regex->search(fields[i].value, groups))
      continue;
    std::string& out = thread_scratch();
    expr::expand_replacement(r.value, groups, &out);
    std::string_view kept;
    if (!head.keep(out, &kept)) return false;
    fields.set_value(i, kept);
  }
  return true;
}

// replace-value: the same for each comma-separated element of the value,
// matched without its surrounding whitespace; a replaced element loses that
// whitespace, the others keep their text (as HAProxy).
bool replace_value(const config::HttpRule& r, http::MsgHead& head) {
  http::HeaderList& fields = head.fields();
  std::string_view groups[expr::Regex::kMaxGroups];
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!http::iequals(fields[i].name, r.name)) continue;
    const std::string_view v = fields[i].value;
    std::string& out = thread_scratch();
    bool changed = false;
    size_t start = 0;
    for (;;) {
      size_t end = v.find(',', start);
      if (end == std::string_view::npos) end = v.size();
      std::string_view elem = v.substr(start, end - start);
      size_t a = 0, b = elem.size();
      while (a < b && is_ows(elem[a])) ++a;
      while (b > a && is_ows(elem[b - 1])) --b;
      if (r.regex->search(elem.substr(a, b - a), groups)) {
        expr::expand_replacement(r.value, groups, &out);
        changed = true;
      } else {
        out.append(elem);
      }
      if (end == v.size()) break;
      out.push_back(',');
      start = end + 1;
    }
    std::string_view kept;
    if (!changed) continue;
    if (!head.keep(out, &kept)) return false;
    fields.set_value(i, kept);
  }
  return true;
}

// del-header -m beg|end|sub|reg, on the lower-cased name.
bool name_matches(const config::HttpRule& r, std::string_view name) {
  char low[256];
  if (name.size() > sizeof low) return false;
  for (size_t i = 0; i < name.size(); ++i)
    low[i] = (name[i] >= 'A' && name[i] <= 'Z') ? char(name[i] + 32) : name[i];
  const std::string_view n(low, name.size());
  const std::string_view p = r.name;
  switch (r.name_match) {
    case config::HttpRule::NameMatch::kBeg:
      return n.substr(0, p.size()) == p;
    case config::HttpRule::NameMatch::kEnd:
      return n.size() >= p.size() && n.substr(n.size() - p.size()) == p;
    case config::HttpRule::NameMatch::kSub:
      return n.find(p) != std::string_view::npos;
    case config::HttpRule::NameMatch::kReg:
      return r.regex->matches(n);
    default:
      return false;
  }
}

// A log-format value, kept in the head. Returns: false if it does not fit,
// or holds CR, LF or NUL (it would split the head: a failed rewrite).
bool computed_value(const expr::LogFormat& fmt, expr::FetchContext& ctx, http::MsgHead& head,
                    std::string_view* out) {
  const std::string_view v = fmt.eval(ctx);
  if (v.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) return false;
  return head.keep(v, out);
}

// set-header / add-header under a rewrite limit: whether the field fits.
// *wire follows the head's size. set-header removes the fields it replaces
// even when the new one does not fit, as HAProxy does.
bool header_fits(const config::HttpRule& r, std::string_view v, http::MsgHead& head, size_t* wire,
                 size_t limit) {
  size_t removed = 0;
  if (r.action == Action::kSetHeader)
    for (const http::HeaderField& f : head.fields())
      if (http::iequals(f.name, r.name)) removed += f.name.size() + f.value.size() + 4;
  const size_t after = *wire - removed + r.name.size() + v.size() + 4;
  if (after > limit) {
    if (removed) {
      head.fields().del(r.name);
      *wire -= removed;
    }
    return false;
  }
  *wire = after;
  return true;
}

// set-timeout: a fixed duration, or an expression's integer in ms; an
// expression without a usable sample (none, not an integer, negative)
// leaves the timeout as it was. 0 means no timeout, as HAProxy's.
void apply_set_timeout(const config::HttpRule& r, TxnFetch& ctx) {
  TimeoutOverride* t = ctx.timeouts();
  if (!t) return;
  int64_t ms = r.wait_ms;
  if (r.expr) {
    expr::Sample s;
    if (!expr::eval_sample_expr(*r.expr, ctx, s) || !expr::cast(s, expr::SmpType::kSint) ||
        s.sint < 0)
      return;
    ms = s.sint;
  }
  (r.timeout_tunnel ? t->tunnel : t->server) = ms;
}

// A rule that ends its list: last_rule_file and last_rule_line name it.
void note_last(const config::HttpRule& r, TxnFetch& ctx) {
  if (LastRule* last = ctx.last_rule()) *last = LastRule{&r.loc.file, r.loc.line};
}

}  // namespace

const config::HttpRule* eval_http_rules(const std::vector<config::HttpRule>& rules,
                                        http::MsgHead& head, bool* full, TxnFetch& ctx,
                                        RuleCursor* cursor) {
  http::HeaderList& fields = head.fields();
  // strict-mode on: a failed rewrite is an error (each list starts so)
  bool strict = cursor ? cursor->strict : true;
  // tune.maxrewrite: only when payload shares HAProxy's buffer is there a
  // bound to keep (then the head's size is followed rule by rule).
  const size_t limit = ctx.rewrite_limit();
  size_t wire = limit != kNoRewriteLimit ? head_wire_size(head) : 0;
  for (size_t i = cursor ? cursor->next : 0; i < rules.size(); ++i) {
    const config::HttpRule& r = rules[i];
    if (r.cond && !expr::eval_condition(*r.cond, ctx)) continue;
    // A rule on the framing field: the sender checks it again.
    if (http::iequals(r.name, "content-length")) head.flags &= uint16_t(~http::kMsgLengthField);
    bool fits = true;
    switch (r.action) {
      case Action::kSetHeader:
      case Action::kAddHeader: {
        std::string_view v = r.value;
        if (r.fmt && !(computed_value(*r.fmt, ctx, head, &v))) {
          fits = false;
          break;
        }
        if (limit != kNoRewriteLimit && !header_fits(r, v, head, &wire, limit)) {
          fits = false;
          break;
        }
        fits = r.action == Action::kSetHeader ? fields.set(r.name, v) : fields.add(r.name, v);
        break;
      }
      case Action::kSetVar:
      case Action::kSetVarFmt:
        apply_set_var(r.var, r.var_conds, r.expr.get(),
                      r.action == Action::kSetVarFmt ? r.fmt.get() : nullptr, ctx);
        break;
      case Action::kUnsetVar:
        expr::erase_var(ctx, r.var);
        break;
      case Action::kDelHeader:
        if (r.name_match == config::HttpRule::NameMatch::kStr)
          fields.del(r.name);
        else
          fields.del_if([&r](const http::HeaderField& f) { return name_matches(r, f.name); });
        break;
      case Action::kReplaceHeader:
        fits = replace_header(r, head);
        break;
      case Action::kReplaceValue:
        fits = replace_value(r, head);
        break;
      case Action::kRedirect:
        // ignore-empty: a location format that gives nothing skips the rule.
        if (r.ignore_empty && r.fmt && r.fmt->eval(ctx).empty()) break;
        return note_last(r, ctx), &r;
      case Action::kUseService:
      case Action::kReturn:
      case Action::kDeny:
      case Action::kTarpit:
      case Action::kAuth:
      case Action::kReject:
      case Action::kSilentDrop:
        return note_last(r, ctx), &r;
      case Action::kAllow:
        return note_last(r, ctx), nullptr;
      case Action::kWaitForBody:
        if (!cursor) break;
        cursor->next = i + 1;
        cursor->strict = strict;
        return &r;
      case Action::kNormalizeUri: {
        const NormalizeOutcome o = apply_normalize_uri(r, head);
        if (o == NormalizeOutcome::kInvalid) return note_last(r, ctx), &r;  // answered 400
        fits = o == NormalizeOutcome::kDone;
        break;
      }
      case Action::kStrictMode:
        strict = r.strict_on;
        break;
      case Action::kSetStatus:
        head.status = r.status;
        head.reason = r.has_body ? std::string_view(r.value) : http::rule_reason(r.status);
        break;
      case Action::kCapture:
        capture_sample(*r.expr, r.cap_id, ctx);
        break;
      case Action::kDisableL7Retry:
        if (bool* off = ctx.l7_retry_off()) *off = true;
        break;
      case Action::kAddAcl:
      case Action::kDelAcl:
      case Action::kSetMap:
      case Action::kDelMap:
        apply_pattern_action(r, ctx);
        break;
      case Action::kSetLogLevel:
        if (int8_t* level = ctx.log_level()) *level = r.log_level;
        break;
      case Action::kSetSrc:
      case Action::kSetSrcPort:
      case Action::kSetDst:
      case Action::kSetDstPort:
        apply_addr_rule(r, ctx);
        break;
      case Action::kSetTimeout:
        apply_set_timeout(r, ctx);
        break;
      case Action::kSetPriorityClass:
      case Action::kSetPriorityOffset:
        apply_priority(*r.expr, r.action == Action::kSetPriorityOffset, ctx);
        break;
      case Action::kEarlyHint:
        if (EarlyHints* h = ctx.early_hints()) h->apply(r, ctx);
        break;
      case Action::kStick:
        apply_stick_action(*r.stick, ctx);
        break;
      default:
        fits = !is_uri_rule(r) || apply_uri_rule(r, head, ctx);
        break;
    }
    if (fits && limit != kNoRewriteLimit && r.action != Action::kSetHeader &&
        r.action != Action::kAddHeader) {
      // Any other rule may have grown the head: measured again.
      wire = head_wire_size(head);
      fits = wire <= limit;
    }
    if (!fits) ctx.count_failed_rewrite();
    if (!fits && strict) {
      *full = true;
      return note_last(r, ctx), &r;
    }
  }
  return nullptr;
}

namespace {

bool plain_name(const http::HeaderField& f) {
  for (char c : f.name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-') return false;
  }
  return true;
}

}  // namespace

bool restrict_header_names(config::HdrNamePolicy policy, http::MsgHead& head) {
  http::HeaderList& fields = head.fields();
  switch (policy) {
    case config::HdrNamePolicy::kPreserve:
      return true;
    case config::HdrNamePolicy::kDelete:
      fields.del_if([](const http::HeaderField& f) { return !plain_name(f); });
      return true;
    case config::HdrNamePolicy::kReject:
      for (size_t i = 0; i < fields.size(); ++i)
        if (!plain_name(fields[i])) return false;
      return true;
  }
  return true;
}

size_t fields_added_by(const std::vector<config::HttpRule>& rules) {
  size_t n = 0;
  for (const config::HttpRule& r : rules)
    n += r.action == Action::kSetHeader || r.action == Action::kAddHeader;
  return n;
}

}  // namespace hearth::stream
