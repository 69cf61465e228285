// "log TARGET [len N] [format F] [sample R:S] FACILITY [LEVEL [MINLEVEL]]",
// shared by the global and the proxy sections (HAProxy manual 3.1 and 4.2),
// and the syslog format names.
#include <algorithm>

#include "config/keywords.h"

namespace hearth::config {

namespace {
struct FormatName {
  const char* name;
  SyslogFormat format;
};
const FormatName kFormats[] = {
    {"local", SyslogFormat::kLocal},     {"rfc3164", SyslogFormat::kRfc3164},
    {"rfc5424", SyslogFormat::kRfc5424}, {"priority", SyslogFormat::kPriority},
    {"short", SyslogFormat::kShort},     {"timed", SyslogFormat::kTimed},
    {"iso", SyslogFormat::kIso},         {"raw", SyslogFormat::kRaw},
};
}  // namespace

bool parse_syslog_format(std::string_view s, SyslogFormat* out) {
  for (const FormatName& f : kFormats)
    if (s == f.name) return *out = f.format, true;
  return false;
}

namespace detail {
namespace {

// Syslog facilities in their protocol order: the index is the code.
const std::vector<std::string> kFacilities = {
    "kern",   "user",   "mail",   "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "auth2",  "ftp",    "ntp",    "audit",  "alert",  "cron2",
    "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};
const std::vector<std::string> kLevels = {"emerg",   "alert",  "crit", "err",
                                          "warning", "notice", "info", "debug"};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Positive decimal integer, or -1.
int small_int(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// An IP syslog address ("IP[:PORT]", "[IPV6][:PORT]", "IPV6:[PORT]" when
// `v6`) normalized to "HOST:PORT" / "[IPV6]:PORT", port 514 by default.
// Returns: an empty string after setting *err.
std::string udp_address(std::string_view a, bool v6, std::string* err) {
  std::string host, port;
  if (!a.empty() && a[0] == '[') {
    const size_t close = a.find(']');
    if (close == std::string_view::npos) return *err = "missing ']'", "";
    host = std::string(a.substr(0, close + 1));
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return *err = "expects ':PORT' after ']'", "";
    port = rest.empty() ? "" : std::string(rest.substr(1));
  } else {
    const size_t colon = a.rfind(':');
    const bool several = colon != std::string_view::npos && a.find(':') != colon;
    if (several && !v6)  // as HAProxy: write IPv6 in brackets or with udp6@
      return *err = "an IPv6 address needs brackets ('[::1]:514') or the 'udp6@' prefix", "";
    host = std::string(a.substr(0, colon));
    if (colon != std::string_view::npos) port = std::string(a.substr(colon + 1));
    if (several) host = "[" + host + "]";
  }
  if (host.empty() && !a.empty()) host = "0.0.0.0";  // ":PORT": any address, as HAProxy
  if (host.empty() || host == "[]") return *err = "expects an address", "";
  int p = 514;
  if (!port.empty() && ((p = small_int(port)) < 1 || p > 65535))
    return *err = "invalid port '" + port + "'", "";
  return host + ":" + std::to_string(p);
}

// TARGET into `t`. Returns: false after reporting.
bool parse_target(const Directive& d, LogTarget& t, Reporter& rep) {
  // "$NAME" / "${NAME}" outside quotes: HAProxy expands them in addresses.
  const std::optional<std::string> expanded =
      address_arg(d, 1, "log", "target '" + d[1] + "'", rep);
  if (!expanded) return false;
  std::string err;
  std::string_view a = *expanded;
  if (a == "stdout" || a == "stderr") {
    t.kind = LogTarget::Kind::kFd;
    t.fd = a == "stdout" ? 1 : 2;
    return true;
  }
  if (starts_with(a, "fd@")) {
    t.kind = LogTarget::Kind::kFd;
    if ((t.fd = small_int(a.substr(3))) < 0)
      return rep.error(d.loc, "log", "invalid file descriptor in '" + d[1] + "'"), false;
    return true;
  }
  if (starts_with(a, "ring@")) {
    t.kind = LogTarget::Kind::kRing;  // the ring may be declared further down
    t.address = std::string(a.substr(5));
    if (t.address.empty()) return rep.error(d.loc, "log", "'ring@' expects a ring name"), false;
    return true;
  }
  if (starts_with(a, "uxst@")) {
    rep.error(d.loc, "log",
              "target '" + d[1] +
                  "': unix stream syslog is not supported by Hearth yet; use 'tcp@ADDR', a ring "
                  "or a unix datagram socket");
    return false;
  }
  if (a[0] == '/' || starts_with(a, "unix@")) {
    t.kind = LogTarget::Kind::kUnix;
    t.address = std::string(a[0] == '/' ? a : a.substr(5));
    if (t.address.empty() || t.address.size() >= 108)
      return rep.error(d.loc, "log", "invalid unix socket path in '" + d[1] + "'"), false;
    return true;
  }
  bool v6 = false;
  t.kind = LogTarget::Kind::kUdp;
  if (starts_with(a, "tcp@") || starts_with(a, "tcp4@") || starts_with(a, "tcp6@"))
    t.kind = LogTarget::Kind::kTcp;
  if (starts_with(a, "udp@") || starts_with(a, "udp4@") || starts_with(a, "tcp@") ||
      starts_with(a, "tcp4@"))
    a = a.substr(a.find('@') + 1);
  else if (starts_with(a, "udp6@") || starts_with(a, "tcp6@"))
    a = a.substr(5), v6 = true;
  else if (a.find('@') != std::string_view::npos)
    return rep.error(d.loc, "log", "unsupported address family in '" + d[1] + "'"), false;
  t.address = udp_address(a, v6, &err);
  t.udp6 = v6 || (!t.address.empty() && t.address[0] == '[');
  if (t.address.empty()) return rep.error(d.loc, "log", "'" + d[1] + "': " + err), false;
  return true;
}

// "R1,R2-R3:S" into `t`. Returns: false after reporting.
bool parse_sample(const Directive& d, const std::string& v, LogTarget& t, Reporter& rep) {
  const size_t colon = v.find(':');
  const int size = colon == std::string::npos ? -1 : small_int(v.substr(colon + 1));
  if (size <= 0) {
    rep.error(d.loc, "log", "'sample' expects RANGES:SIZE with SIZE above 0, found '" + v + "'");
    return false;
  }
  int high = 0;
  std::string_view ranges = std::string_view(v).substr(0, colon);
  while (!ranges.empty()) {
    const size_t comma = ranges.find(',');
    std::string_view r = ranges.substr(0, comma);
    ranges = comma == std::string_view::npos ? "" : ranges.substr(comma + 1);
    const size_t dash = r.find('-');
    const int lo = small_int(r.substr(0, dash));
    const int hi = dash == std::string_view::npos ? lo : small_int(r.substr(dash + 1));
    if (lo <= 0 || hi < lo) {
      rep.error(d.loc, "log", "invalid sample range '" + std::string(r) + "'");
      return false;
    }
    t.sample_ranges.emplace_back(lo, hi);
    high = std::max(high, hi);
  }
  if (t.sample_ranges.empty() || size < high) {
    rep.error(d.loc, "log",
              "the sample size (" + std::to_string(size) +
                  ") must cover the highest range limit (" + std::to_string(high) + ")");
    return false;
  }
  t.sample_size = size;
  return true;
}

}  // namespace

bool parse_log_target(const Directive& d, LogTarget* out, Reporter& rep) {
  const char* usage =
      "log TARGET [len N] [format F] [sample RANGES:SIZE] FACILITY [LEVEL [MINLEVEL]]";
  if (!check_arity(d, "log", 3, 12, usage, rep)) return false;
  LogTarget t;
  t.loc = d.loc;
  if (!parse_target(d, t, rep)) return false;
  size_t i = 2;  // HAProxy reads the options in this order only
  if (i + 1 < d.size() && d[i] == "len") {
    auto n = int_arg(d, i + 1, "log", 80, 65535, rep);
    if (!n) return false;
    t.maxlen = int(*n);
    i += 2;
  }
  if (i + 1 < d.size() && d[i] == "format") {
    if (!parse_syslog_format(d[i + 1], &t.format)) {
      std::vector<std::string> names;
      for (const FormatName& f : kFormats) names.emplace_back(f.name);
      rep.error(d.loc, "log", "unknown log format '" + d[i + 1] + "': expects " + one_of(names));
      return false;
    }
    t.format_set = true;
    i += 2;
  }
  if (i + 1 < d.size() && d[i] == "sample") {
    if (!parse_sample(d, d[i + 1], t, rep)) return false;
    i += 2;
  }
  const auto fac = std::find(kFacilities.begin(), kFacilities.end(), i < d.size() ? d[i] : "");
  if (fac == kFacilities.end()) {
    rep.error(d.loc, "log",
              i < d.size() ? "unknown facility '" + d[i] + "': expects " + one_of(kFacilities)
                           : std::string("expects a facility: ") + usage);
    return false;
  }
  t.facility = int8_t(fac - kFacilities.begin());
  for (size_t j = i + 1; j < d.size(); ++j) {
    LogLevel l = kLogDebug;
    if (j > i + 2 || !parse_log_level(d[j], false, &l)) {
      rep.error(d.loc, "log",
                "unexpected '" + d[j] + "': after the facility expects up to two levels among " +
                    one_of(kLevels));
      return false;
    }
    (j == i + 1 ? t.level : t.minlevel) = l;
  }
  *out = std::move(t);
  return true;
}

}  // namespace detail
}  // namespace hearth::config
