#include "config/crt_list.h"

#include "config/keywords.h"
#include "config/parse_context.h"

namespace hearth::config {
namespace {

// The options of HAProxy's crt-list lines that Hearth refuses, and why.
struct Refused {
  const char* name;
  const char* why;
};
const Refused kRefused[] = {
    {"npn", "NPN is obsolete and not supported by Hearth: use 'alpn'"},
    {"allow-0rtt",
     "TLS 1.3 early data is not supported by Hearth (it would replay requests); remove it"},
};

// One line split into words: '[' and ']' separate words and mark where the
// options are. A '#' anywhere but first on the line is part of a word, as in
// HAProxy 2.6. Returns: false with *err set.
struct Words {
  std::vector<std::string> words;
  int open = -1, close = -1;  // word index where the options start / end
};
bool split(std::string_view l, Words* w, std::string* err) {
  bool fresh = true;
  for (char c : l) {
    if (c == '\r') break;
    if (c == ' ' || c == '\t' || c == '[' || c == ']') {
      fresh = true;
      if (c == '[') {
        if (w->open >= 0) return *err = "too many '['", false;
        if (w->words.empty()) return *err = "a line must start with a certificate", false;
        w->open = int(w->words.size());
      } else if (c == ']') {
        if (w->close >= 0) return *err = "too many ']'", false;
        if (w->open < 0) return *err = "']' without '['", false;
        w->close = int(w->words.size());
      }
      continue;
    }
    if (fresh) w->words.emplace_back();
    fresh = false;
    w->words.back().push_back(c);
  }
  if (w->open >= 0 && w->close < 0) return *err = "'[' without ']'", false;
  if (w->open > 1)
    return *err = "the options must follow the certificate, before the filters", false;
  return true;
}

// Applies the options words[from, to) to line->tls. Returns: false after
// adding an error.
bool apply_options(const std::vector<std::string>& words, size_t from, size_t to,
                   const SourceLoc& loc, CrtListLine* line, CrtList* out) {
  ParseResult scratch;
  detail::Reporter rep(scratch);
  detail::Directive d{
      loc, std::vector<std::string>(words.begin() + long(from), words.begin() + long(to))};
  bool ok = true;
  for (size_t i = 0; i < d.size() && ok; ++i) {
    const std::string& kw = d[i];
    bool allowed = kw == "no-ca-names";
    for (const char* v : {"alpn", "ca-file", "ca-verify-file", "ciphers", "ciphersuites",
                          "crl-file", "curves", "ecdhe", "ssl-min-ver", "ssl-max-ver", "verify"})
      allowed = allowed || kw == v;
    if (!allowed) {
      std::string why =
          "is not an option of a crt-list line; accepted: " + std::string(kCrtListOptions);
      for (const Refused& r : kRefused)
        if (kw == r.name) why = r.why;
      out->errors.push_back({loc, kw, why});
      return false;
    }
    ok = detail::parse_bind_tls_option(d, &i, line->tls, kw, rep) > 0;
  }
  for (Diagnostic& e : scratch.errors) out->errors.push_back(std::move(e));
  for (Diagnostic& w : scratch.warnings) out->warnings.push_back(std::move(w));
  return ok;
}

}  // namespace

CrtList parse_crt_list(std::string_view text, const std::string& file, const BindTls& bind) {
  CrtList out;
  int n = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    const std::string_view l = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++n;
    const SourceLoc loc{file, n};
    if (!l.empty() && l[0] == '#') continue;  // a comment starts the line
    Words w;
    std::string err;
    if (!split(l, &w, &err)) {
      out.errors.push_back({loc, "", err});
      continue;
    }
    if (w.words.empty()) continue;  // blank
    CrtListLine line;
    line.line = n;
    line.path = w.words[0];
    line.tls = bind;
    const size_t opt_end = w.close >= 0 ? size_t(w.close) : 1;
    if (w.open >= 0) {
      line.options.assign(w.words.begin() + w.open, w.words.begin() + long(opt_end));
      if (!apply_options(w.words, size_t(w.open), opt_end, loc, &line, &out)) continue;
    }
    line.filters.assign(w.words.begin() + long(opt_end), w.words.end());
    out.lines.push_back(std::move(line));
  }
  return out;
}

std::string format_crt_list_line(const CrtListLine& line) {
  std::string s = line.path;
  if (!line.options.empty()) {
    s += " [";
    for (size_t i = 0; i < line.options.size(); ++i) s += (i ? " " : "") + line.options[i];
    s += "]";
  }
  for (const std::string& f : line.filters) s += " " + f;
  return s;
}

}  // namespace hearth::config
