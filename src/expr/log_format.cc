#include "expr/log_format.h"

#include <arpa/inet.h>

namespace hearth::expr {
namespace {

// %-variables that are a fetch (8.2.4). Others are refused by name until
// the log engine implements them.
struct VarFetch {
  std::string_view name;
  std::string_view expr;
  std::string_view prefix;
};
constexpr VarFetch kVars[] = {
    {"ci", "src", ""},          {"cp", "src_port", ""}, {"fi", "dst", ""},
    {"fp", "dst_port", ""},     {"f", "fe_name", ""},   {"ft", "fe_name", ""},
    {"b", "be_name", ""},       {"HM", "method", ""},   {"HU", "url", ""},
    {"HP", "path", ""},         {"HPO", "path", ""},    {"HQ", "query", "?"},
    {"HV", "req.ver", "HTTP/"}, {"ST", "status", ""},
};

// Reads a %-variable name: letters only, as HAProxy's.
size_t var_name_end(std::string_view s, size_t i) {
  while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
  return i;
}

}  // namespace

std::unique_ptr<LogFormat> LogFormat::parse(std::string_view s, uint8_t use, std::string* err) {
  auto f = std::make_unique<LogFormat>();
  f->source_ = std::string(s);
  std::string text;
  auto flush_text = [&]() {
    if (text.empty()) return;
    Node n;
    n.text = std::move(text);
    text.clear();
    f->nodes_.push_back(std::move(n));
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '%') {
      text.push_back(c);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '%') {
      text.push_back('%');
      ++i;
      continue;
    }
    size_t p = i + 1;
    // Optional flags: %{+Q,-X}[...] or %{+Q}ci. Accepted; they only change
    // how log lines quote or escape, not rule values.
    if (p < s.size() && s[p] == '{') {
      const size_t close = s.find('}', p);
      if (close == std::string_view::npos) {
        *err = "missing '}' after '%{' in log-format '" + std::string(s) + "'";
        return nullptr;
      }
      p = close + 1;
    }
    Node n;
    if (p < s.size() && s[p] == '[') {
      size_t end = 0;
      n.expr = parse_sample_expr(s.substr(p + 1), use, err, &end);
      if (!n.expr) {
        *err = "in log-format '" + std::string(s) + "': " + *err;
        return nullptr;
      }
      const size_t close = p + 1 + end;
      if (close >= s.size() || s[close] != ']') {
        *err = "missing ']' after '%[" + n.expr->text + "' in log-format '" + std::string(s) + "'";
        return nullptr;
      }
      i = close;
    } else {
      const size_t e = var_name_end(s, p);
      const std::string_view name = s.substr(p, e - p);
      const VarFetch* v = nullptr;
      for (const VarFetch& k : kVars)
        if (k.name == name) v = &k;
      if (name.empty()) {
        *err = "a '%' must be followed by '%', '[' or a variable name in log-format '" +
               std::string(s) + "' (write %% for a literal '%')";
        return nullptr;
      }
      if (!v) {
        *err = "log-format variable '%" + std::string(name) + "' is not supported by Hearth yet";
        return nullptr;
      }
      n.expr = parse_sample_expr(v->expr, kUseAny, err);
      if (!n.expr) return nullptr;
      n.prefix = std::string(v->prefix);
      i = e - 1;
    }
    flush_text();
    f->use_ |= n.expr->fetch->use;
    f->nodes_.push_back(std::move(n));
  }
  flush_text();
  return f;
}

std::string_view LogFormat::eval(FetchContext& ctx) const {
  static thread_local std::string out;
  out.clear();
  for (const Node& n : nodes_) {
    if (!n.expr) {
      out += n.text;
      continue;
    }
    Sample smp;
    if (!eval_sample_expr(*n.expr, ctx, smp)) continue;
    out += n.prefix;
    print_sample(smp, &out);
  }
  return out;
}

void print_sample(const Sample& s, std::string* out) {
  switch (s.type) {
    case SmpType::kBool:
    case SmpType::kSint:
      *out += std::to_string(s.sint);
      return;
    case SmpType::kIpv4:
    case SmpType::kIpv6: {
      char tmp[INET6_ADDRSTRLEN];
      if (inet_ntop(s.type == SmpType::kIpv4 ? AF_INET : AF_INET6, s.addr, tmp, sizeof tmp))
        *out += tmp;
      return;
    }
    case SmpType::kMeth:
      *out += Meth(s.sint) == Meth::kOther ? s.str : std::string_view(meth_name(Meth(s.sint)));
      return;
    case SmpType::kStr:
    case SmpType::kBin:
      out->append(s.str);
      return;
    default:
      return;
  }
}

}  // namespace hearth::expr
