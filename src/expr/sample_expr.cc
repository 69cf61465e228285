#include "expr/sample_expr.h"

#include "expr/var_access.h"

namespace hearth::expr {
namespace {

// Reads "name[(args)]" at text[*pos]. Returns: false with *err when the
// parenthesis is not closed.
bool read_call(std::string_view text, size_t* pos, std::string_view* name, std::string_view* args,
               bool* has_args, std::string* err) {
  const size_t start = *pos;
  size_t i = start;
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '+';  // base32+src
  };
  while (i < text.size() && name_char(text[i])) ++i;
  *name = text.substr(start, i - start);
  *has_args = false;
  if (i < text.size() && text[i] == '(') {
    *has_args = true;
    const size_t open = ++i;
    char quote = 0;
    for (; i < text.size(); ++i) {  // the quoting rules of split_args()
      const char c = text[i];
      if (c == '\\' && quote != '\'' && i + 1 < text.size() &&
          std::string_view("\\ \"'rnt").find(text[i + 1]) != std::string_view::npos) {
        ++i;
      } else if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ')') {
        break;
      }
    }
    if (i >= text.size()) {
      *err = "missing closing ')' after arguments to '" + std::string(*name) + "'";
      return false;
    }
    *args = text.substr(open, i - open);
    ++i;
  }
  *pos = i;
  return true;
}

// What a fetch refused somewhere reads: the connection when any rule could
// read it (only the global section cannot), else the request if it can (a
// request fetch also runs on responses), else the response.
const char* use_name(uint8_t use) {
  if (use & kUseConn) return "client address";
  if (use & kUseReq) return "HTTP request headers";
  if (use & kUseRes) return "HTTP response headers";
  if (use & kUseResBody) return "HTTP response body";
  return "the connection";
}

// `bare_is_empty`: a converter written without parentheses that needs an
// argument gets one empty argument, as HAProxy reads "add" as "add()".
bool typed_args(std::string_view raw_text, bool has_args, const ArgSpec& spec,
                const std::string& what, std::vector<Arg>* out, std::string* err,
                bool bare_is_empty = false) {
  std::vector<std::string> raw;
  if (has_args && !split_args(raw_text, &raw, err)) return false;
  if (!has_args && bare_is_empty && spec.min > 0) raw.emplace_back();
  // "name()" is the same as "name" for a keyword whose arguments are optional.
  if (raw.size() == 1 && raw[0].empty() && spec.min == 0) raw.clear();
  return make_args(raw, spec, what, out, err);
}

}  // namespace

std::unique_ptr<SampleExpr> parse_sample_expr(std::string_view text, uint8_t use, std::string* err,
                                              size_t* end) {
  auto e = std::make_unique<SampleExpr>();
  e->text = std::string(text);
  size_t pos = 0;
  std::string_view name, args;
  bool has_args = false;
  if (!read_call(text, &pos, &name, &args, &has_args, err)) return nullptr;
  if (name.empty()) {
    *err = "missing fetch method in '" + std::string(text) + "'";
    return nullptr;
  }
  e->fetch = find_fetch(name);
  if (!e->fetch) {
    *err = "unknown fetch method '" + std::string(name) + "'";
    return nullptr;
  }
  const std::string fwhat = "fetch method '" + std::string(name) + "'";
  if (!(e->fetch->use & use)) {
    *err = fwhat + " extracts information from '" + use_name(e->fetch->use) +
           "', none of which is available here";
    return nullptr;
  }
  if (!typed_args(args, has_args, e->fetch->args, fwhat, &e->args, err)) return nullptr;
  if (e->fetch->check && !e->fetch->check(e->args, err)) return nullptr;
  // src_* and the like without their table: the current proxy's.
  if (e->fetch->default_table_at >= 0 && e->args.size() <= size_t(e->fetch->default_table_at)) {
    Arg a;
    a.type = ArgType::kTab;
    a.table = TableRefScope::make("", fwhat);
    e->args.resize(size_t(e->fetch->default_table_at));
    e->args.push_back(std::move(a));
  }
  SmpType type = e->fetch->out;
  while (pos < text.size()) {
    if (text[pos] != ',' && end) break;
    if (text[pos] != ',') {
      *err = "unexpected '" + std::string(text.substr(pos)) + "' after '" +
             std::string(text.substr(0, pos)) + "'";
      return nullptr;
    }
    ++pos;
    if (!read_call(text, &pos, &name, &args, &has_args, err)) return nullptr;
    ConvCall call;
    call.def = find_converter(name);
    if (!call.def) {
      *err = "unknown converter '" + std::string(name) + "'";
      return nullptr;
    }
    const std::string cwhat = "converter '" + std::string(name) + "'";
    if (!can_cast(type, call.def->in)) {
      *err = cwhat + " cannot be applied to a sample of type '" + type_name(type) +
             "' (it expects '" + type_name(call.def->in) + "')";
      return nullptr;
    }
    if (!typed_args(args, has_args, call.def->args, cwhat, &call.args, err, true)) return nullptr;
    if (call.def->check && !call.def->check(*call.def, call.args, err)) return nullptr;
    type = call.def->out;
    e->convs.push_back(std::move(call));
  }
  if (end) {
    *end = pos;
    e->text.resize(pos);
  }
  return e;
}

bool eval_sample_expr(const SampleExpr& e, FetchContext& ctx, FetchIter& it, Sample& out) {
  out = Sample();
  it.more = false;
  const Arg* a = e.args.data();
  bool ok;
  if (e.fetch->id <= FetchId::kRand) {
    ok = fetch_constant(*e.fetch, a, e.args.size(), out);
  } else if (e.fetch->id == FetchId::kVar) {
    // A variable, else the default given as a string.
    ok = read_var(ctx, a[0].var, &out);
    if (!ok && e.args.size() > 1) {
      out.set_str(a[1].str);
      ok = true;
    }
  } else {
    ok = ctx.fetch(*e.fetch, a, e.args.size(), it, out);
  }
  if (!ok) return false;
  for (const ConvCall& c : e.convs) {
    if (!cast(out, c.def->in)) return false;
    if (!c.def->fn(c.args.data(), c.args.size(), out, ctx)) return false;
  }
  return true;
}

bool eval_sample_expr(const SampleExpr& e, FetchContext& ctx, Sample& out) {
  FetchIter it;
  return eval_sample_expr(e, ctx, it, out);
}

}  // namespace hearth::expr
