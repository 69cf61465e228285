#include "expr/log_vars.h"

#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "core/ip_text.h"

namespace hearth::expr {
namespace {

using V = LogVar;
constexpr LogVarDef kVars[] = {
    {"ci", V::kClientIp, false},
    {"cp", V::kClientPort, false},
    {"fi", V::kFrontendIp, false},
    {"fp", V::kFrontendPort, false},
    {"bi", V::kBackendIp, false},
    {"bp", V::kBackendPort, false},
    {"si", V::kServerIp, false},
    {"sp", V::kServerPort, false},
    {"f", V::kFrontend, false},
    {"ft", V::kFrontendXprt, false},
    {"b", V::kBackend, false},
    {"s", V::kServer, false},
    {"H", V::kHostname, false},
    {"pid", V::kPid, false},
    {"ID", V::kUniqueId, false},
    {"t", V::kDate, false},
    {"T", V::kGmtDate, false},
    {"Tl", V::kLocalDate, false},
    {"tr", V::kReqDate, true},
    {"trg", V::kReqGmtDate, true},
    {"trl", V::kReqLocalDate, true},
    {"Ts", V::kTimestamp, false},
    {"ms", V::kAcceptMs, false},
    {"ST", V::kStatus, false},
    {"B", V::kBytesOut, false},
    {"U", V::kBytesIn, false},
    {"CC", V::kReqCookie, true},
    {"CS", V::kResCookie, true},
    {"ts", V::kTermState, false},
    {"tsc", V::kTermStateCookie, true},
    {"ac", V::kActConn, false},
    {"fc", V::kFeConn, false},
    {"bc", V::kBeConn, false},
    {"sc", V::kSrvConn, false},
    {"rc", V::kRetries, false},
    {"rs", V::kReuse, false},
    {"sq", V::kSrvQueue, false},
    {"bq", V::kBeQueue, false},
    {"rt", V::kReqCounter, false},
    {"lc", V::kLogCounter, false},
    {"Th", V::kTh, false},
    {"Ti", V::kTi, true},
    {"TR", V::kTR, true},
    {"Tq", V::kTq, true},
    {"Tw", V::kTw, false},
    {"Tc", V::kTc, false},
    {"Tr", V::kTr, true},
    {"Ta", V::kTa, true},
    {"Tt", V::kTt, false},
    {"Td", V::kTd, false},
    {"Tu", V::kTu, false},
    {"hr", V::kReqHdrs, false},
    {"hrl", V::kReqHdrList, false},
    {"hs", V::kResHdrs, false},
    {"hsl", V::kResHdrList, false},
    {"r", V::kRequest, true},
    {"HM", V::kMethod, true},
    {"HU", V::kUri, true},
    {"HP", V::kPath, true},
    {"HPO", V::kPathOnly, true},
    {"HQ", V::kQuery, true},
    {"HV", V::kVersion, true},
};

constexpr char kHex[] = "0123456789ABCDEF";

// Bytes written as '#' and two hex digits: control bytes, DEL and above, and
// the quote and '#' (request line, URI parts); header captures also encode
// the '{', '|' and '}' of their blocks.
bool url_encoded(unsigned char c) { return c < 0x20 || c >= 0x7f || c == '"' || c == '#'; }
bool hdr_encoded(unsigned char c) { return url_encoded(c) || c == '{' || c == '|' || c == '}'; }
bool sd_escaped(char c) { return c == '"' || c == '\\' || c == ']'; }

void append_num(int64_t v, std::string* out) {
  char b[24];
  const int n = snprintf(b, sizeof b, "%lld", (long long)v);
  out->append(b, size_t(n));
}

void append_hex(uint64_t v, int width, std::string* out) {
  char b[24];
  const int n = snprintf(b, sizeof b, "%0*llX", width, (unsigned long long)v);
  out->append(b, size_t(n));
}

// A number that +X prints in hexadecimal with `width` digits.
void hexable(uint64_t v, int width, uint8_t opts, std::string* out) {
  if (opts & kLogHex)
    append_hex(v, width, out);
  else
    append_num(int64_t(v), out);
}

void encoded(std::string_view s, bool (*enc)(unsigned char), uint8_t opts, std::string* out,
             char esc = '#') {
  if (opts & kLogQuote) out->push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (enc(c)) {
      out->push_back(esc);
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      if ((opts & kLogEsc) && sd_escaped(ch)) out->push_back('\\');
      out->push_back(ch);
    }
  }
  if (opts & kLogQuote) out->push_back('"');
}

void render_addr(const LogAddr& a, uint8_t opts, std::string* out) {
  if (a.family == AF_UNIX) return render_log_text("unix", true, opts, out);
  if (a.family != AF_INET && a.family != AF_INET6) return render_log_text({}, false, opts, out);
  if (opts & kLogHex) {
    const size_t n = a.family == AF_INET ? 4 : 16;
    for (size_t i = 0; i < n; ++i) {
      out->push_back(kHex[a.bytes[i] >> 4]);
      out->push_back(kHex[a.bytes[i] & 15]);
    }
    return;
  }
  char tmp[kIpTextMax];
  const size_t n = ip_to_text(a.family, a.bytes, tmp);
  if (n == 0) return render_log_text({}, false, opts, out);
  render_log_text(std::string_view(tmp, n), true, opts, out);
}

void render_port(const LogAddr& a, uint8_t opts, std::string* out) {
  if (a.family != AF_INET && a.family != AF_INET6 && a.family != AF_UNIX)
    return render_log_text({}, false, opts, out);
  hexable(a.port, 4, opts, out);
}

// Dates. Each thread keeps the text of the last second it formatted.
enum class DateStyle { kLocalMs, kGmt, kLocal };

void render_date(int64_t ms_epoch, DateStyle st, std::string* out) {
  time_t sec = time_t(ms_epoch / 1000);
  int ms = int(ms_epoch % 1000);
  if (ms < 0) ms += 1000, --sec;
  struct Cache {
    time_t sec = -1;
    char text[48];
    size_t len = 0;
  };
  static thread_local Cache cache[3];
  Cache& c = cache[int(st)];
  if (c.sec != sec) {
    tm tmv;
    if (st == DateStyle::kGmt)
      gmtime_r(&sec, &tmv);
    else
      localtime_r(&sec, &tmv);
    const char* fmt = st == DateStyle::kLocalMs ? "%d/%b/%Y:%H:%M:%S"
                      : st == DateStyle::kGmt   ? "%d/%b/%Y:%H:%M:%S +0000"
                                                : "%d/%b/%Y:%H:%M:%S %z";
    c.len = strftime(c.text, sizeof c.text, fmt, &tmv);
    c.sec = sec;
  }
  out->append(c.text, c.len);
  if (st == DateStyle::kLocalMs) {
    char b[8];
    snprintf(b, sizeof b, ".%03d", ms);
    out->append(b, 4);
  }
}

int accept_ms_part(int64_t ms_epoch) {
  int ms = int(ms_epoch % 1000);
  return ms < 0 ? ms + 1000 : ms;
}

// %hr / %hs: {a|b|c}; %hrl / %hsl: a b c (each quoted with +Q, "-" when unset).
bool render_caps(const LogCapture* caps, size_t n, bool list, uint8_t opts, std::string* out) {
  if (n == 0) return false;
  const uint8_t inner = opts & kLogEsc;
  if (!list) {
    if (opts & kLogQuote) out->push_back('"');
    out->push_back('{');
    for (size_t i = 0; i < n; ++i) {
      if (i) out->push_back('|');
      if (caps[i].set) encoded(caps[i].value, hdr_encoded, inner, out);
    }
    out->push_back('}');
    if (opts & kLogQuote) out->push_back('"');
    return true;
  }
  for (size_t i = 0; i < n; ++i) {
    if (i) out->push_back(' ');
    if (caps[i].set)
      encoded(caps[i].value, hdr_encoded, opts, out);
    else
      out->append((opts & kLogQuote) ? "\"\"" : "-");
  }
  return true;
}

// The parts of the request line (%HM, %HU, %HP, %HPO, %HQ, %HV).
void render_request_part(LogVar v, const LogRecord& r, uint8_t opts, std::string* out) {
  static constexpr std::string_view kBad = "<BADREQ>";
  const std::string_view line = r.request;
  const size_t sp1 = r.has_request ? line.find(' ') : std::string_view::npos;
  if (sp1 == std::string_view::npos) {
    if (v == LogVar::kQuery) return encoded({}, url_encoded, opts, out);
    return encoded(kBad, url_encoded, opts, out);
  }
  const size_t sp2 = line.find(' ', sp1 + 1);
  const std::string_view uri =
      line.substr(sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1);
  const size_t q = uri.find('?');
  std::string_view part;
  switch (v) {
    case LogVar::kMethod:
      part = line.substr(0, sp1);
      break;
    case LogVar::kUri:
      part = uri;
      break;
    case LogVar::kPath:
      part = uri.substr(0, q);
      break;
    case LogVar::kPathOnly: {
      part = uri.substr(0, q);
      const size_t scheme = part.find("://");
      if (!part.empty() && part[0] != '/' && scheme != std::string_view::npos) {
        const size_t slash = part.find('/', scheme + 3);
        part = slash == std::string_view::npos ? std::string_view("/") : part.substr(slash);
      }
      break;
    }
    case LogVar::kQuery:
      part = q == std::string_view::npos ? std::string_view() : uri.substr(q);
      break;
    default:  // kVersion
      part = sp2 == std::string_view::npos ? std::string_view() : line.substr(sp2 + 1);
      break;
  }
  encoded(part, url_encoded, opts, out);
}

}  // namespace

const LogVarDef* find_log_var(std::string_view name) {
  for (const LogVarDef& d : kVars)
    if (d.name == name) return &d;
  return nullptr;
}

std::string_view log_hostname() {
  static const std::string name = [] {
    char b[256] = {};
    if (gethostname(b, sizeof b - 1) != 0) return std::string();
    return std::string(b);
  }();
  return name;
}

void render_log_text(std::string_view s, bool present, uint8_t opts, std::string* out) {
  if (!present) {
    if (opts & kLogQuote)
      out->append("\"\"");
    else if (!(opts & kLogNoDash))
      out->push_back('-');
    return;
  }
  if (opts & kLogQuote) out->push_back('"');
  if (opts & kLogEsc) {
    for (char c : s) {
      if (sd_escaped(c)) out->push_back('\\');
      out->push_back(c);
    }
  } else {
    out->append(s);
  }
  if (opts & kLogQuote) out->push_back('"');
}

bool render_log_var(LogVar v, uint8_t opts, const LogRecord& r, std::string* out) {
  const int64_t tq = r.treq >= 0 ? r.th + r.ti + r.treq : -1;
  switch (v) {
    case V::kNone:
      return false;
    case V::kClientIp:
      render_addr(r.client, opts, out);
      break;
    case V::kClientPort:
      render_port(r.client, opts, out);
      break;
    case V::kFrontendIp:
      render_addr(r.frontend, opts, out);
      break;
    case V::kFrontendPort:
      render_port(r.frontend, opts, out);
      break;
    case V::kBackendIp:
      render_addr(r.backend_src, opts, out);
      break;
    case V::kBackendPort:
      render_port(r.backend_src, opts, out);
      break;
    case V::kServerIp:
      render_addr(r.server, opts, out);
      break;
    case V::kServerPort:
      render_port(r.server, opts, out);
      break;
    case V::kFrontend:
    case V::kFrontendXprt:
      render_log_text(r.fe_name, true, opts, out);
      if (r.fe_ssl) {  // inside the quotes, as HAProxy
        if ((opts & kLogQuote) && !out->empty() && out->back() == '"')
          out->insert(out->size() - 1, 1, '~');
        else
          out->push_back('~');
      }
      break;
    case V::kBackend:
      render_log_text(r.be_name, true, opts, out);
      break;
    case V::kServer:
      render_log_text(r.srv_name, true, opts, out);
      break;
    case V::kHostname:
      render_log_text(log_hostname(), true, opts, out);
      break;
    case V::kPid:
      hexable(uint64_t(getpid()), 4, opts, out);
      break;
    case V::kUniqueId:
      render_log_text(r.unique_id, r.has_unique_id, opts, out);
      break;
    case V::kDate:
      render_date(r.accept_ms, DateStyle::kLocalMs, out);
      break;
    case V::kGmtDate:
      render_date(r.accept_ms, DateStyle::kGmt, out);
      break;
    case V::kLocalDate:
      render_date(r.accept_ms, DateStyle::kLocal, out);
      break;
    case V::kReqDate:
      render_date(r.request_ms, DateStyle::kLocalMs, out);
      break;
    case V::kReqGmtDate:
      render_date(r.request_ms, DateStyle::kGmt, out);
      break;
    case V::kReqLocalDate:
      render_date(r.request_ms, DateStyle::kLocal, out);
      break;
    case V::kTimestamp:
      hexable(uint64_t(r.accept_ms / 1000), 8, opts, out);
      break;
    case V::kAcceptMs:
      if (opts & kLogHex) {
        append_hex(uint64_t(accept_ms_part(r.accept_ms)), 2, out);
      } else {
        char b[8];
        snprintf(b, sizeof b, "%03d", accept_ms_part(r.accept_ms));
        out->append(b, 3);
      }
      break;
    case V::kStatus:
      append_num(r.status, out);
      break;
    case V::kBytesOut:
      if (r.partial) out->push_back('+');
      append_num(int64_t(r.bytes_out), out);
      break;
    case V::kBytesIn:
      append_num(int64_t(r.bytes_in), out);
      break;
    case V::kReqCookie:
      render_log_text(r.cookie_req, r.has_cookie_req, opts, out);
      break;
    case V::kResCookie:
      render_log_text(r.cookie_res, r.has_cookie_res, opts, out);
      break;
    case V::kTermState:
    case V::kTermStateCookie: {
      const char* t = r.term ? r.term : "";
      out->push_back(t[0] ? t[0] : '-');
      out->push_back(t[0] && t[1] ? t[1] : '-');
      if (v == V::kTermStateCookie) {
        out->push_back(r.ck_req);
        out->push_back(r.ck_res);
      }
      break;
    }
    case V::kActConn:
      append_num(r.act_conns, out);
      break;
    case V::kFeConn:
      append_num(r.fe_conns, out);
      break;
    case V::kBeConn:
      append_num(r.be_conns, out);
      break;
    case V::kSrvConn:
      append_num(r.srv_conns, out);
      break;
    case V::kRetries:
      if (r.redispatched) out->push_back('+');
      append_num(r.retries, out);
      break;
    case V::kReuse:
      out->push_back(r.reuse);
      break;
    case V::kSrvQueue:
      append_num(int64_t(r.srv_queue), out);
      break;
    case V::kBeQueue:
      append_num(int64_t(r.be_queue), out);
      break;
    case V::kReqCounter:
      hexable(r.req_counter, 4, opts, out);
      break;
    case V::kLogCounter:
      hexable(r.log_counter, 4, opts, out);
      break;
    case V::kTh:
      append_num(r.th, out);
      break;
    case V::kTi:
      append_num(r.ti, out);
      break;
    case V::kTR:
      append_num(r.treq, out);
      break;
    case V::kTq:
      append_num(tq, out);
      break;
    case V::kTw:
      append_num(r.tw, out);
      break;
    case V::kTc:
      append_num(r.tc, out);
      break;
    case V::kTr:
      append_num(r.tr, out);
      break;
    case V::kTa:
      if (r.partial) out->push_back('+');
      append_num(r.tt - r.th - r.ti, out);
      break;
    case V::kTt:
      if (r.partial) out->push_back('+');
      append_num(r.tt, out);
      break;
    case V::kTd:
      append_num(r.tr >= 0 && tq >= 0
                     ? r.tt - (tq + (r.tw > 0 ? r.tw : 0) + (r.tc > 0 ? r.tc : 0) + r.tr)
                     : -1,
                 out);
      break;
    case V::kTu:
      if (r.partial) out->push_back('+');
      append_num(r.tt - r.ti, out);
      break;
    case V::kReqHdrs:
      return render_caps(r.req_caps, r.n_req_caps, false, opts, out);
    case V::kReqHdrList:
      return render_caps(r.req_caps, r.n_req_caps, true, opts, out);
    case V::kResHdrs:
      return render_caps(r.res_caps, r.n_res_caps, false, opts, out);
    case V::kResHdrList:
      return render_caps(r.res_caps, r.n_res_caps, true, opts, out);
    case V::kRequest:
      encoded(r.has_request ? r.request : std::string_view("<BADREQ>"), url_encoded, opts, out);
      break;
    case V::kMethod:
    case V::kUri:
    case V::kPath:
    case V::kPathOnly:
    case V::kQuery:
    case V::kVersion:
      render_request_part(v, r, opts, out);
      break;
  }
  return true;
}

void append_encoded(std::string_view s, char esc, bool (*enc)(unsigned char), std::string* out) {
  encoded(s, enc, 0, out, esc);
}

}  // namespace hearth::expr
