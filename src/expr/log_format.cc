#include "expr/log_format.h"

#include <arpa/inet.h>

#include <algorithm>

#include "core/ip_text.h"

namespace hearth::expr {
namespace {

// %-variables that are a fetch (8.2.4): a rule value evaluated where no
// log record exists (a TCP stream) prints these through the fetch.
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
    {"HV", "req.ver", "HTTP/"}, {"ST", "status", ""},   {"s", "srv_name", ""},
};

// Log-line variables that are a fetch of the client connection's TLS
// session (8.2.4: %sslv, %sslc); "-" without TLS, as any missing sample.
constexpr VarFetch kLogFetchVars[] = {
    {"sslv", "ssl_fc_protocol", ""},
    {"sslc", "ssl_fc_cipher", ""},
};

// Reads a %-variable name: letters only, as HAProxy's.
size_t var_name_end(std::string_view s, size_t i) {
  while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
  return i;
}

// Parses "+Q,-X,..." (the inside of %{...}) onto *opts. Returns: false on an
// unknown flag.
bool parse_flags(std::string_view f, uint8_t* opts, std::string* err) {
  size_t i = 0;
  while (i < f.size()) {
    size_t e = f.find(',', i);
    if (e == std::string_view::npos) e = f.size();
    const std::string_view one = f.substr(i, e - i);
    uint8_t bit = 0;
    if (one.size() == 2 && one[1] == 'Q') bit = kLogQuote;
    if (one.size() == 2 && one[1] == 'X') bit = kLogHex;
    if (one.size() == 2 && one[1] == 'E') bit = kLogEsc;
    if (!bit || (one[0] != '+' && one[0] != '-')) {
      *err = "unknown log-format flag '" + std::string(one) + "' (expects +Q, +X, +E or their '-')";
      return false;
    }
    if (one[0] == '+')
      *opts |= bit;
    else
      *opts &= uint8_t(~bit);
    i = e + 1;
  }
  return true;
}

}  // namespace

std::unique_ptr<LogFormat> LogFormat::parse(std::string_view s, uint8_t use, std::string* err) {
  return parse_any(s, use, false, err);
}

std::unique_ptr<LogFormat> LogFormat::parse_log(std::string_view s, uint8_t use, std::string* err) {
  return parse_any(s, use, true, err);
}

std::unique_ptr<LogFormat> LogFormat::parse_any(std::string_view s, uint8_t use, bool log,
                                                std::string* err) {
  auto f = std::make_unique<LogFormat>();
  f->source_ = std::string(s);
  std::string text;
  uint8_t global_opts = 0;  // %{...}o
  auto flush_text = [&]() {
    if (text.empty()) return;
    Node n;
    n.text = std::move(text);
    text.clear();
    f->nodes_.push_back(std::move(n));
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (log && c == ' ') {
      flush_text();
      if (f->nodes_.empty() || !f->nodes_.back().sep) {
        Node n;
        n.sep = true;
        f->nodes_.push_back(std::move(n));
      }
      continue;
    }
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
    uint8_t opts = global_opts;
    // Optional flags: %{+Q,-X}[...] or %{+Q}ci. Rule values accept and
    // ignore them (they only change how log lines quote or escape).
    if (p < s.size() && s[p] == '{') {
      const size_t close = s.find('}', p);
      if (close == std::string_view::npos) {
        *err = "missing '}' after '%{' in log-format '" + std::string(s) + "'";
        return nullptr;
      }
      if (!parse_flags(s.substr(p + 1, close - p - 1), &opts, err)) {
        *err = "in log-format '" + std::string(s) + "': " + *err;
        return nullptr;
      }
      p = close + 1;
    }
    Node n;
    n.opts = opts;
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
      f->use_ |= n.expr->fetch->use;
    } else {
      const size_t e = var_name_end(s, p);
      const std::string_view name = s.substr(p, e - p);
      if (name.empty()) {
        *err = "a '%' must be followed by '%', '[' or a variable name in log-format '" +
               std::string(s) + "' (write %% for a literal '%')";
        return nullptr;
      }
      i = e - 1;
      if (name == "o") {  // flags for every later variable; prints nothing
        global_opts = opts;
        continue;
      }
      const LogVarDef* d = log ? find_log_var(name) : nullptr;
      if (d) {
        n.var = d->var;
        if (d->http && f->http_var_.empty()) f->http_var_ = "%" + std::string(name);
        if (d->var >= LogVar::kRequest) f->request_line_ = true;
      } else {
        const VarFetch* v = nullptr;
        for (const VarFetch& k : kLogFetchVars)
          if (k.name == name) v = &k;
        for (const VarFetch& k : kVars)
          if (!log && k.name == name) v = &k;
        // A rule value prints its %-variables from the transaction's state
        // when the rule runs (FetchContext::log_record()); where there is no
        // record (a TCP stream), those that name a fetch use it.
        if (!log && (d = find_log_var(name))) {
          n.var = d->var;
          n.opts |= kLogNoDash;
          if (d->http && f->http_var_.empty()) f->http_var_ = "%" + std::string(name);
          if (d->var >= LogVar::kRequest) f->request_line_ = true;
        }
        if (!v && !d) {
          *err = "unknown log-format variable '%" + std::string(name) +
                 "' (write %% for a literal '%')";
          return nullptr;
        }
        if (v) {
          n.expr = parse_sample_expr(v->expr, kUseAny, err);
          if (!n.expr) return nullptr;
          n.prefix = std::string(v->prefix);
          f->use_ |= n.expr->fetch->use;
        }
      }
    }
    flush_text();
    f->nodes_.push_back(std::move(n));
  }
  flush_text();
  return f;
}

bool LogFormat::uses(LogVar v) const {
  for (const Node& n : nodes_)
    if (n.var == v) return true;
  return false;
}

namespace {

// HAProxy's HTTP-mode encoding of a sample in a log-format string: the
// bytes a header field may not hold (0x01-0x08, 0x0a-0x1f, 0x7f; the text
// ends at a NUL before) become %XX, so that no sample can split a header
// or a log line.
bool http_encoded(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

void encode_controls(std::string* s) {
  // The usual sample has nothing to encode: one scan, no copy.
  if (std::none_of(s->begin(), s->end(),
                   [](char c) { return http_encoded(static_cast<unsigned char>(c)); }))
    return;
  static thread_local std::string e;
  e.clear();
  append_encoded(*s, '%', http_encoded, &e);
  s->swap(e);
}

}  // namespace

void LogFormat::render(FetchContext* ctx, const LogRecord& rec, std::string* out) const {
  bool last_space = true;  // no separator at the start, none twice
  for (const Node& n : nodes_) {
    if (n.sep) {
      if (!last_space) out->push_back(' ');
      last_space = true;
    } else if (n.var != LogVar::kNone) {
      if (render_log_var(n.var, n.opts, rec, out)) last_space = false;
    } else if (n.expr) {
      Sample smp;
      if (ctx && eval_sample_expr(*n.expr, *ctx, smp)) {
        static thread_local std::string tmp;
        tmp.clear();
        print_sample(smp, &tmp);
        // As HAProxy: text ends at its first NUL; in an HTTP proxy its
        // control characters are encoded. Empty text is absent.
        if (const size_t nul = tmp.find('\0'); nul != std::string::npos) tmp.resize(nul);
        if (ctx->http_mode()) encode_controls(&tmp);
        render_log_text(tmp, !tmp.empty(), n.opts, out);
      } else {
        render_log_text({}, false, n.opts, out);
      }
      last_space = false;
    } else {
      out->append(n.text);
      last_space = false;
    }
  }
}

std::string_view LogFormat::eval(FetchContext& ctx) const {
  static thread_local std::string out;
  out.clear();
  const LogRecord* rec = nullptr;
  bool rec_asked = false;
  for (const Node& n : nodes_) {
    if (n.var != LogVar::kNone) {
      if (!rec_asked) rec = ctx.log_record(), rec_asked = true;
      if (rec) {
        render_log_var(n.var, n.opts, *rec, &out);
        continue;
      }
      if (!n.expr) {
        out += '-';
        continue;
      }
    }
    if (!n.expr) {
      out += n.text;
      continue;
    }
    Sample smp;
    if (!eval_sample_expr(*n.expr, ctx, smp)) continue;
    out += n.prefix;
    static thread_local std::string tmp;
    tmp.clear();
    print_sample(smp, &tmp);
    if (const size_t nul = tmp.find('\0'); nul != std::string::npos) tmp.resize(nul);
    if (ctx.http_mode()) encode_controls(&tmp);
    out += tmp;
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
      char tmp[kIpTextMax];
      out->append(tmp, ip_to_text(s.type == SmpType::kIpv4 ? AF_INET : AF_INET6, s.addr, tmp));
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
