// Access-log keywords of proxy sections: log-format, log-format-sd,
// error-log-format,
// unique-id-format, unique-id-header, capture request|response header,
// capture cookie,
// declare capture (HAProxy manual 4.2 and 8.8).
#include "config/keywords.h"
#include "expr/fetch.h"

namespace hearth::config::detail {
namespace {

// Compiles d[1] as a log format; reports and returns nullptr on an error.
std::shared_ptr<const expr::LogFormat> one_format(const Directive& d, Reporter& rep) {
  if (d.size() != 2) {
    rep.error(d.loc, d[0],
              d.size() < 2 ? "expects a format string"
                           : "expects one argument: escape spaces with '\\' or quote the format");
    return nullptr;
  }
  std::string err;
  auto f = expr::LogFormat::parse_log(d[1], expr::kUseLog, &err);
  if (!f) {
    rep.error(d.loc, d[0], err);
    return nullptr;
  }
  return f;
}

// "len N": returns N, or 0 after reporting.
int capture_len(const Directive& d, size_t i, Reporter& rep) {
  if (i + 1 >= d.size() || d[i] != "len") {
    rep.error(d.loc, d[0],
              "expects 'len N' after the " + std::string(i == 4 ? "header name" : "direction"));
    return 0;
  }
  const std::string& v = d[i + 1];
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || n > 1000000)
      return rep.error(d.loc, d[0], "invalid length '" + v + "'"), 0;
    n = n * 10 + (c - '0');
  }
  if (v.empty() || n <= 0) return rep.error(d.loc, d[0], "invalid length '" + v + "'"), 0;
  if (d.size() > i + 2) {
    rep.error(d.loc, d[0], "unexpected '" + d[i + 2] + "' after 'len " + v + "'");
    return 0;
  }
  return n;
}

void parse_log_format(const Directive& d, ProxySection& s, Reporter& rep) {
  auto f = one_format(d, rep);
  if (!f) return;
  s.proxy.logcfg.custom = std::move(f);
  s.proxy.logcfg.custom_loc = d.loc;
  s.proxy.log_format = LogFormat::kCustom;
}

void parse_log_format_sd(const Directive& d, ProxySection& s, Reporter& rep) {
  auto f = one_format(d, rep);
  if (!f) return;
  s.proxy.logcfg.sd = std::move(f);
  s.proxy.logcfg.sd_loc = d.loc;
}

void parse_error_log_format(const Directive& d, ProxySection& s, Reporter& rep) {
  auto f = one_format(d, rep);
  if (f) s.proxy.logcfg.error = std::move(f);
}

void parse_unique_id_format(const Directive& d, ProxySection& s, Reporter& rep) {
  auto f = one_format(d, rep);
  if (f) s.proxy.logcfg.unique_id = std::move(f);
}

void parse_unique_id_header(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() != 2 || d[1].empty()) {
    rep.error(d.loc, d[0], "expects one header name");
    return;
  }
  s.proxy.logcfg.unique_id_header = d[1];
}

// capture request header NAME len N | capture response header NAME len N
void parse_capture(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() >= 2 && d[1] == "cookie") {
    if (d.size() < 3 || d[2].empty()) {
      rep.error(d.loc, "capture cookie", "expects a cookie name: capture cookie NAME len N");
      return;
    }
    int len = capture_len(d, 3, rep);
    if (!len) return;
    // As HAProxy: a cookie capture holds at most 63 bytes.
    if (len > 63) {
      rep.warning(d.loc, "capture cookie", "truncating the capture length to 63 bytes");
      len = 63;
    }
    s.proxy.logcfg.cookie_cap = CookieCapture{d.loc, d[2], len};
    return;
  }
  if (d.size() < 3 || (d[1] != "request" && d[1] != "response") || d[2] != "header") {
    rep.error(d.loc, d[0], "expects 'request header NAME len N' or 'response header NAME len N'");
    return;
  }
  if (d.size() < 4) {
    rep.error(d.loc, d[0], "expects a header name");
    return;
  }
  const int len = capture_len(d, 4, rep);
  if (!len) return;
  auto& slots = d[1] == "request" ? s.proxy.logcfg.req_caps : s.proxy.logcfg.res_caps;
  slots.push_back(CaptureSlot{d.loc, d[3], len});
}

// declare capture request|response len N
void parse_declare(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 3 || d[1] != "capture" || (d[2] != "request" && d[2] != "response")) {
    rep.error(d.loc, d[0], "expects 'capture request len N' or 'capture response len N'");
    return;
  }
  const int len = capture_len(d, 3, rep);
  if (!len) return;
  auto& slots = d[2] == "request" ? s.proxy.logcfg.req_caps : s.proxy.logcfg.res_caps;
  slots.push_back(CaptureSlot{d.loc, "", len});
}

struct LogKeyword {
  const char* name;
  unsigned allowed;
  void (*handler)(const Directive&, ProxySection&, Reporter&);
};

const LogKeyword kLogKeywords[] = {
    {"log-format", kFrontSide, parse_log_format},
    {"log-format-sd", kFrontSide, parse_log_format_sd},
    {"error-log-format", kFrontSide, parse_error_log_format},
    {"unique-id-format", kFrontSide, parse_unique_id_format},
    {"unique-id-header", kFrontSide, parse_unique_id_header},
    {"capture", kInFrontend, parse_capture},
    {"declare", kInFrontend, parse_declare},
};

}  // namespace

bool parse_log_keyword(const Directive& d, ProxySection& s, Reporter& rep) {
  for (const LogKeyword& k : kLogKeywords) {
    if (d[0] != k.name) continue;
    if (check_section(d, d[0], s.proxy.kind, k.allowed, Misplaced::kReject, rep))
      k.handler(d, s, rep);
    return true;
  }
  return false;
}

}  // namespace hearth::config::detail
