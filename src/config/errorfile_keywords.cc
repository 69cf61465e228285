// "errorfile", "errorfiles", "errorloc", "errorloc302", "errorloc303",
// "http-error", "http-errors" sections, and the errorfile options of deny
// and return rules (HAProxy 2.6). Lines of a proxy are kept in order and
// resolved once every file is read, so later lines override earlier ones
// (and a section may be declared after the proxies that name it).
#include <cstdio>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// Reads at most 1 MiB of `path` (a device such as /dev/zero must not hang
// the load). Returns: false and *err if it cannot be read or is larger.
bool read_bounded(const std::string& path, std::string* out, std::string* err) {
  constexpr size_t kMax = size_t(1) << 20;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *err = "cannot open the file '" + path + "'";
    return false;
  }
  out->resize(kMax + 1);
  const size_t n = std::fread(out->data(), 1, out->size(), f);
  std::fclose(f);
  out->resize(n);
  if (n > kMax) {
    *err = "the file '" + path + "' is larger than 1 MiB";
    return false;
  }
  return true;
}

// Returns: the status of d[i] if it is a code HAProxy answers with, else 0
// after reporting.
int code_arg(const Directive& d, size_t i, const std::string& kw, Reporter& rep) {
  const auto n = parse_int(d[i]);
  if (!n || !is_error_code(int(*n))) {
    rep.error(d.loc, kw,
              "status code '" + d[i] +
                  "' not handled: expects 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, "
                  "425, 429, 500, 501, 502, 503 or 504");
    return 0;
  }
  return int(*n);
}

std::shared_ptr<const HttpReply> load_errorfile(const Directive& d, const std::string& kw,
                                                const std::string& path, int status,
                                                Reporter& rep) {
  std::string text, err;
  if (!read_bounded(path, &text, &err)) {
    rep.error(d.loc, kw, err);
    return nullptr;
  }
  auto r = parse_errorfile_text(text, status, &err);
  if (!r) {
    rep.error(d.loc, kw, "'" + path + "': " + err);
    return nullptr;
  }
  auto m = std::make_shared<HttpReply>(*r);
  m->raw_size = text.size();
  m->file = d.loc.file;
  m->line = d.loc.line;
  return m;
}

ErrorDirective directive_at(const Directive& d, const std::string& kw) {
  ErrorDirective e;
  e.file = d.loc.file;
  e.line = d.loc.line;
  e.keyword = kw;
  return e;
}

// errorloc|errorloc302|errorloc303 CODE URL: a redirect with HAProxy's fields.
std::shared_ptr<const HttpReply> errorloc_reply(const Directive& d) {
  auto r = std::make_shared<HttpReply>();
  r->whole = true;
  r->status = d[0] == "errorloc303" ? 303 : 302;
  r->reason = r->status == 303 ? "See Other" : "Found";
  r->fields = {{"cache-control", "no-cache"}, {"content-length", "0"}, {"location", d[2]}};
  return r;
}

// http-error status CODE [content-type T] [default-errorfiles | errorfile F |
//   errorfiles NAME | file F | lf-file F | string S | lf-string FMT] [hdr NAME FMT]...
void parse_http_error(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = d[0];
  if (d.size() < 3 || d[1] != "status") {
    rep.error(d.loc, kw, "expects 'status CODE' followed by the reply's options");
    return;
  }
  const int code = code_arg(d, 2, kw, rep);
  if (!code) return;
  Directive args = d;
  args.words[0] = "http-request";  // the rule options, with a request's fetches
  args.words.insert(args.words.begin() + 1, "return");
  HttpRule rule{};
  rule.loc = d.loc;
  if (!parse_reply_options(args, kw, rule, rep)) return;
  ErrorDirective e = directive_at(d, kw);
  e.status = code;
  if (rule.errmsg) {
    if (rule.errmsg->use_proxy) {
      e.reset = true;
    } else if (!rule.errmsg->section.empty()) {
      e.section = rule.errmsg->section;
      e.codes = {code};
    } else {
      e.reply = rule.errmsg->reply;
    }
  } else {
    auto r = std::make_shared<HttpReply>();
    r->status = code;
    r->content_type = rule.content_type;
    r->body = rule.value;
    r->body_fmt = rule.fmt;
    r->hdrs = rule.hdrs;
    r->raw_size = rule.value.size();
    r->file = d.loc.file;
    r->line = d.loc.line;
    e.reply = std::move(r);
  }
  s.proxy.error_directives.push_back(std::move(e));
}

const char* const kUsage[][2] = {
    {"errorfile", "errorfile CODE FILE"},    {"errorfiles", "errorfiles NAME [CODE...]"},
    {"errorloc", "errorloc CODE URL"},       {"errorloc302", "errorloc302 CODE URL"},
    {"errorloc303", "errorloc303 CODE URL"},
};

std::string usage_of(const std::string& kw) {
  for (const auto& u : kUsage) {
    if (kw == u[0]) return u[1];
  }
  return kw;
}

bool too_large(const HttpReply& r, const GlobalConfig& g) {
  return r.raw_size > size_t(g.tune_bufsize);
}

void check_size(const HttpReply* r, const std::string& kw, const GlobalConfig& g, Reporter& rep) {
  if (r && too_large(*r, g))
    rep.error(
        SourceLoc{r->file, r->line}, kw,
        "the message is larger than tune.bufsize (" + std::to_string(g.tune_bufsize) + " bytes)");
}

}  // namespace

void parse_error_keyword(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "http-error") return parse_http_error(d, s, rep);
  if (kw == "errorfiles") {
    if (!check_arity(d, kw, 2, 1000, usage_of(kw), rep)) return;
    ErrorDirective e = directive_at(d, kw);
    e.section = d[1];
    for (size_t i = 2; i < d.size(); ++i) {
      const int code = code_arg(d, i, kw, rep);
      if (!code) return;
      e.codes.push_back(code);
    }
    s.proxy.error_directives.push_back(std::move(e));
    return;
  }
  if (!check_arity(d, kw, 3, 3, usage_of(kw), rep)) return;
  const int code = code_arg(d, 1, kw, rep);
  if (!code) return;
  ErrorDirective e = directive_at(d, kw);
  e.status = code;
  e.reply = kw == "errorfile" ? load_errorfile(d, kw, d[2], code, rep) : errorloc_reply(d);
  if (!e.reply) return;
  s.proxy.error_directives.push_back(std::move(e));
}

void parse_http_errors_line(const Directive& d, const std::string& section, Config& config,
                            Reporter& rep) {
  const std::string& kw = d[0];
  if (kw != "errorfile") {
    rep.error(d.loc, kw, "unknown keyword in an http-errors section: expects errorfile CODE FILE");
    return;
  }
  if (!check_arity(d, kw, 3, 3, "errorfile CODE FILE", rep)) return;
  const int code = code_arg(d, 1, kw, rep);
  if (!code) return;
  if (auto r = load_errorfile(d, kw, d[2], code, rep)) config.http_errors[section][code] = r;
}

bool apply_errorfile_option(const Directive& d, const std::string& kw, size_t i, HttpRule& rule,
                            Reporter& rep) {
  auto e = std::make_shared<RuleErrorReply>();
  const std::string& o = d[i];
  if (o == "default-errorfiles") {
    e->use_proxy = true;
  } else if (o == "errorfiles") {
    e->section = d[i + 1];
  } else {
    e->reply = load_errorfile(d, kw, d[i + 1], rule.status, rep);
    if (!e->reply) return false;
  }
  rule.errmsg = std::move(e);
  return true;
}

bool finish_errorfile_reply(const Directive& d, const std::string& kw, HttpRule& rule,
                            Reporter& rep) {
  if (!rule.errmsg) {
    rule.errmsg = std::make_shared<RuleErrorReply>();
    rule.errmsg->use_proxy = true;
  }
  const RuleErrorReply& e = *rule.errmsg;
  if (!is_error_code(rule.status)) {
    const char* how = e.use_proxy ? "default-errorfiles" : e.reply ? "errorfile" : "errorfiles";
    rep.error(d.loc, kw,
              "status code '" + std::to_string(rule.status) + "' not handled by default with '" +
                  how +
                  "': expects 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, "
                  "500, 501, 502, 503 or 504");
    return false;
  }
  // The content-type and hdr options do not apply to an errorfile.
  rule.content_type.clear();
  rule.hdrs.clear();
  rule.has_body = false;
  return true;
}

void resolve_error_messages(Config& config, Reporter& rep) {
  const GlobalConfig& g = config.global;
  for (auto& [name, msgs] : config.http_errors) {
    for (auto& [code, r] : msgs) check_size(r.get(), "errorfile", g, rep);
  }
  for (ProxyConfig& p : config.proxies) {
    p.errors.clear();
    for (const ErrorDirective& e : p.error_directives) {
      const SourceLoc loc{e.file, e.line};
      if (e.reset) {
        p.errors.erase(e.status);
        continue;
      }
      if (e.reply) {
        check_size(e.reply.get(), e.keyword, g, rep);
        p.errors[e.status] = e.reply;
        continue;
      }
      const auto sec = config.http_errors.find(e.section);
      if (sec == config.http_errors.end()) {
        rep.error(loc, e.keyword, "unknown http-errors section '" + e.section + "'");
        continue;
      }
      if (e.codes.empty()) {
        for (const auto& [code, r] : sec->second) p.errors[code] = r;
        continue;
      }
      for (int code : e.codes) {
        const auto it = sec->second.find(code);
        if (it != sec->second.end()) {
          p.errors[code] = it->second;
        } else if (e.keyword == "http-error") {
          p.errors.erase(code);  // the proxy's messages apply
        } else {
          rep.warning(loc, e.keyword,
                      "status '" + std::to_string(code) +
                          "' not declared in http-errors section '" + e.section + "'");
        }
      }
    }
    for (auto* rules : {&p.http_request_rules, &p.http_response_rules}) {
      for (HttpRule& rule : *rules) {
        if (!rule.errmsg) continue;
        check_size(rule.errmsg->reply.get(), "http-request", g, rep);
        if (rule.errmsg->section.empty()) continue;
        const auto sec = config.http_errors.find(rule.errmsg->section);
        if (sec == config.http_errors.end()) {
          rep.error(rule.loc, "http-request",
                    "unknown http-errors section '" + rule.errmsg->section + "'");
          continue;
        }
        const auto it = sec->second.find(rule.status);
        if (it != sec->second.end()) rule.errmsg->reply = it->second;
      }
    }
  }
}

}  // namespace hearth::config::detail
