// The reply options of "deny" and "return" (HAProxy manual 4.2,
// "http-request return"): status, content-type, a payload from a string, a
// log-format, a file or an errorfile, and extra header fields.
#include <fstream>

#include "config/rule_values.h"
#include "config/units.h"
#include "expr/log_format.h"

namespace hearth::config::detail {
namespace {

// Reads a reply's file. Returns: false if it cannot be read or is larger
// than 1 MiB (a reply must fit a buffer anyway; /dev/zero must not hang).
bool read_whole_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  constexpr size_t kMax = size_t(1) << 20;
  out->resize(kMax + 1);
  in.read(out->data(), std::streamsize(out->size()));
  out->resize(size_t(in.gcount()));
  return out->size() <= kMax;
}

// One reply option with its value(s) at d[i + 1...]. Returns: false after
// reporting.
bool apply_reply_option(const Directive& d, const std::string& kw, size_t i, HttpRule& rule,
                        bool* has_body, Reporter& rep) {
  const std::string& o = d[i];
  const std::string& v = d[i + 1];
  if (o == "status" || o == "deny_status") {
    auto n = parse_int(v);
    if (!n || *n < 200 || *n > 599) {
      rep.error(d.loc, kw,
                "option '" + o + "' expects an HTTP status between 200 and 599, got '" + v + "'");
      return false;
    }
    rule.status = static_cast<int>(*n);
    return true;
  }
  std::string err;
  if (o == "hdr") {
    if (!is_header_name(v)) {
      rep.error(d.loc, kw, "invalid header name '" + v + "' for option 'hdr'");
      return false;
    }
    auto f = expr::LogFormat::parse(d[i + 2], rule_use(d), &err);
    if (!f) {
      rep.error(d.loc, kw, err);
      return false;
    }
    rule.hdrs.emplace_back(v, std::move(f));
    return true;
  }
  if (o == "content-type") {
    auto text = literal_value(d, kw, v, rep);
    if (!text) return false;
    rule.content_type = *text;
    return true;
  }
  if (*has_body) {
    rep.error(d.loc, kw,
              "only one of default-errorfiles, errorfile, errorfiles, string, lf-string, file or "
              "lf-file may be given");
    return false;
  }
  *has_body = true;
  if (o == "errorfile" || o == "errorfiles" || o == "default-errorfiles")
    return apply_errorfile_option(d, kw, i, rule, rep);
  std::string body = v;
  if (o == "file" || o == "lf-file") {
    if (!read_whole_file(v, &body)) {
      rep.error(d.loc, kw,
                "cannot read file '" + v + "' for option '" + o + "' (or it is larger than 1 MiB)");
      return false;
    }
  }
  if (o == "file" && body.empty()) {
    *has_body = false;  // an empty file: no payload, content-type ignored (HAProxy)
    return true;
  }
  if (o == "string" || o == "file") {
    rule.value = std::move(body);
    return true;
  }
  auto f = expr::LogFormat::parse(body, rule_use(d), &err);
  if (!f) {
    rep.error(d.loc, kw, err);
    return false;
  }
  rule.fmt = std::move(f);
  return true;
}

}  // namespace

// Words each reply option takes, itself included (0: not an option).
size_t reply_option_words(const std::string& o, bool deny) {
  if (o == "status" || (deny && o == "deny_status") || o == "content-type" || o == "string" ||
      o == "lf-string" || o == "file" || o == "lf-file")
    return 2;
  if (o == "hdr") return 3;
  if (o == "errorfile" || o == "errorfiles") return 2;
  if (o == "default-errorfiles") return 1;
  return 0;
}

// deny|return [status|deny_status N] [content-type T]
//   [string S | lf-string FMT | file F | lf-file F] [hdr NAME FMT]...
bool parse_reply_action(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  // tarpit takes deny's options; its default status is 500 (HAProxy's).
  const bool deny = rule.action != HttpRule::Action::kReturn;
  rule.status = !deny                                      ? 200
                : rule.action == HttpRule::Action::kTarpit ? 500
                : d[0] == "http-request"                   ? 403
                                                           : 502;
  bool has_body = false;
  for (size_t i = 2; i < d.size();) {
    const std::string& o = d[i];
    const size_t words = reply_option_words(o, deny);
    if (words == 0) {
      rep.error(d.loc, kw,
                "option '" + o + "' is not supported: expects " +
                    (deny ? std::string("[deny_status N]") : std::string("[status N]")) +
                    " [content-type T] [default-errorfiles | errorfile F | errorfiles NAME | "
                    "string S | lf-string FMT | file F | lf-file F] [hdr NAME FMT]...");
      return false;
    }
    if (i + words > d.size()) {
      rep.error(d.loc, kw,
                "option '" + o + "' expects " + (words == 3 ? "a name and a value" : "a value"));
      return false;
    }
    if (!apply_reply_option(d, kw, i, rule, &has_body, rep)) return false;
    i += words;
  }
  // errorfile & co, or a deny without a payload (its errorfile).
  if (rule.errmsg || (deny && !has_body && rule.hdrs.empty()))
    return finish_errorfile_reply(d, kw, rule, rep);
  const bool body = !rule.value.empty() || rule.fmt;
  if (body && rule.content_type.empty()) {
    rep.error(d.loc, kw, "a body needs 'content-type T', e.g. content-type text/plain");
    return false;
  }
  if (body && (rule.status == 204 || rule.status == 304)) {
    rep.error(d.loc, kw, "status " + std::to_string(rule.status) + " cannot carry a body");
    return false;
  }
  // Without a payload the content-type is ignored (HAProxy's manual).
  if (!has_body && !deny) rule.content_type.clear();
  rule.has_body = has_body;
  return true;
}

bool parse_reply_options(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  rule.action = HttpRule::Action::kReturn;
  return parse_reply_action(d, kw, rule, rep);
}

}  // namespace hearth::config::detail
