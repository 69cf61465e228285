// "bind ADDR[,ADDR...] [OPTION...]": the listening sockets of a frontend and
// the options each line gives them (HAProxy 2.6's section 5.1). The options
// Hearth does not have are refused by name, with the reason.
#include <algorithm>

#include "config/keywords.h"
#include "config/units.h"
#include "config/unix_perms.h"

namespace hearth::config::detail {
namespace {

// An option's value handler: d[i] is the value. Returns: false after reporting.
using ValueFn = bool (*)(const Directive& d, size_t i, BindOptions& o, Reporter& rep);

struct Option {
  const char* name;
  ValueFn value;                 // nullptr: a flag
  void (*flag)(BindOptions& o);  // for flags
};

bool int_into(const Directive& d, size_t i, int64_t lo, int64_t hi, int* out, Reporter& rep) {
  auto v = int_arg(d, i, "bind", lo, hi, rep);
  if (!v) return false;
  *out = int(*v);
  return true;
}

// "thread SET": "all", "odd", "even", N or N-M (an optional "1/" group
// prefix: Hearth has one thread group), several comma-separated.
bool parse_threads(const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
  std::string set = d[i];
  if (set.rfind("1/", 0) == 0) set = set.substr(2);
  size_t start = 0;
  while (start <= set.size()) {
    size_t comma = set.find(',', start);
    if (comma == std::string::npos) comma = set.size();
    const std::string part = set.substr(start, comma - start);
    start = comma + 1;
    uint64_t bits = 0;
    if (part == "all") {
      bits = ~uint64_t(0);
    } else if (part == "odd" || part == "even") {
      for (int t = part == "odd" ? 1 : 2; t <= 64; t += 2) bits |= uint64_t(1) << (t - 1);
    } else {
      const size_t dash = part.find('-');
      auto lo = parse_int(part.substr(0, dash));
      auto hi = dash == std::string::npos ? lo : parse_int(part.substr(dash + 1));
      if (!lo || !hi || *lo < 1 || *hi > 64 || *lo > *hi) {
        rep.error(d.loc, "bind",
                  "'thread' expects all, odd, even, N or N-M with threads from 1 to 64, not '" +
                      d[i] + "'");
        return false;
      }
      for (int64_t t = *lo; t <= *hi; ++t) bits |= uint64_t(1) << (t - 1);
      o.thread_max = std::max(o.thread_max, int(*hi));
    }
    o.threads |= bits;
  }
  return true;
}

// "proto NAME": the multiplexer. Hearth has one per mode (h1 for HTTP,
// none for TCP); validate() checks that it suits the frontend's mode.
bool parse_proto(const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
  const std::string& p = d[i];
  if (p == "h2") {
    rep.error(d.loc, "bind", "'proto h2': HTTP/2 is not supported by Hearth yet");
    return false;
  }
  if (p != "h1" && p != "none") {
    rep.error(d.loc, "bind",
              "'proto' expects h1 or none (h2 is not supported yet), not '" + p + "'");
    return false;
  }
  o.proto = p;
  return true;
}

const Option kOptions[] = {
    {"name",
     [](const Directive& d, size_t i, BindOptions& o, Reporter&) {
       o.name = d[i];
       return true;
     },
     nullptr},
    {"id",
     [](const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
       return int_into(d, i, 1, 2147483647, &o.id, rep);
     },
     nullptr},
    {"backlog",
     [](const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
       return int_into(d, i, 0, 2147483647, &o.backlog, rep);
     },
     nullptr},
    {"maxconn",
     [](const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
       return int_into(d, i, 0, 10000000, &o.maxconn, rep);
     },
     nullptr},
    {"mss",
     [](const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
       return int_into(d, i, -65535, 65535, &o.mss, rep);
     },
     nullptr},
    {"interface",
     [](const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
       if (d[i].empty() || d[i].size() >= 16) {  // IFNAMSIZ
         rep.error(d.loc, "bind", "'interface' expects an interface name, not '" + d[i] + "'");
         return false;
       }
       o.interface = d[i];
       return true;
     },
     nullptr},
    {"tcp-ut",
     [](const Directive& d, size_t i, BindOptions& o, Reporter& rep) {
       auto ms = parse_duration_ms(d[i]);
       if (!ms || *ms < 0 || *ms > 2147483647) {
         rep.error(d.loc, "bind", "'tcp-ut' expects a delay (default unit ms), not '" + d[i] + "'");
         return false;
       }
       o.tcp_ut_ms = *ms;
       return true;
     },
     nullptr},
    {"thread", parse_threads, nullptr},
    {"proto", parse_proto, nullptr},
    {"v4v6", nullptr,
     [](BindOptions& o) {
       if (o.v6only != 1) o.v6only = 0;  // v6only wins, whatever the order
     }},
    {"v6only", nullptr, [](BindOptions& o) { o.v6only = 1; }},
    {"tfo", nullptr, [](BindOptions& o) { o.tfo = true; }},
    {"defer-accept", nullptr, [](BindOptions& o) { o.defer_accept = true; }},
    {"transparent", nullptr, [](BindOptions& o) { o.transparent = true; }},
    {"accept-proxy", nullptr, [](BindOptions& o) { o.accept_proxy = true; }},
};

// HAProxy 2.6's other bind options, and why Hearth refuses them.
struct Refused {
  const char* name;
  const char* why;
};
const char kTls[] = "this TLS option is not supported by Hearth yet";
const char kOld[] = "Hearth does not offer protocols older than TLS 1.2 alone";
const char kStatsMode[] =
    "bind lines serving the CLI (a stats socket's options) are not supported by Hearth: use 'stats "
    "socket'";
const Refused kRefused[] = {
    {"ca-sign-file", kTls},
    {"ca-sign-pass", kTls},
    {"npn", "NPN is obsolete and not supported by Hearth: use 'alpn'"},
    {"force-sslv3", kOld},
    {"force-tlsv10", kOld},
    {"force-tlsv11", kOld},
    {"generate-certificates", kTls},
    {"accept-netscaler-cip", "the NetScaler CIP protocol is not supported by Hearth"},
    {"expose-fd", "'expose-fd' belongs on a 'stats socket' line"},
    {"level", kStatsMode},
    {"severity-output", kStatsMode},
    {"namespace", "network namespaces are not supported by Hearth"},
    {"nice", "Hearth's scheduler has no task priorities"},
    {"process", "Hearth runs one process: use 'thread' to choose the threads"},
    {"shards", "Hearth already gives each thread its own socket (SO_REUSEPORT)"},
    {"quic-cc-algo", "QUIC is not supported by Hearth"},
    {"quic-force-retry", "QUIC is not supported by Hearth"},
};

}  // namespace

void parse_bind(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "bind", 2, 64, "bind ADDR:PORT[,ADDR:PORT...] [OPTION...]", rep)) return;
  BindOptions o;
  for (size_t i = 2; i < d.size(); ++i) {
    const std::string& w = d[i];
    const Option* opt = nullptr;
    for (const Option& c : kOptions)
      if (w == c.name) opt = &c;
    if (opt && !opt->value) {
      opt->flag(o);
      continue;
    }
    if (opt) {
      if (i + 1 >= d.size()) {
        rep.error(d.loc, "bind", "'" + w + "' expects a value");
        return;
      }
      if (!opt->value(d, ++i, o, rep)) return;
      continue;
    }
    if (is_unix_perm_option(w)) {  // mode, user, group, uid, gid
      if (i + 1 >= d.size()) {
        rep.error(d.loc, "bind", "'" + w + "' expects a value");
        return;
      }
      const std::string why = apply_unix_perm(w, d[++i], &o.unix_mode, &o.unix_uid, &o.unix_gid);
      if (!why.empty()) return rep.error(d.loc, "bind", why);
      if (o.unix_option.empty()) o.unix_option = w;
      continue;
    }
    const int tls = parse_bind_tls_option(d, &i, o.tls, "bind", rep);
    if (tls < 0) return;
    if (tls > 0) continue;
    for (const Refused& r : kRefused)
      if (w == r.name) {
        rep.error(d.loc, "bind", "bind option '" + w + "': " + r.why);
        return;
      }
    rep.error(d.loc, "bind", "unknown bind option '" + w + "'");
    return;
  }
  if (!o.tls.enabled && o.tls.first_option.line) {
    rep.error(d.loc, "bind",
              "bind option '" + o.tls.first_option_name + "' needs 'ssl' on the same line");
    return;
  }
  if (o.tls.enabled && o.tls.crts.empty()) {
    rep.error(d.loc, "bind",
              "'ssl' needs at least one 'crt FILE|DIR' or 'crt-list FILE' on the same line");
    return;
  }
  // "$NAME" / "${NAME}" outside quotes: HAProxy expands them in addresses.
  const std::optional<std::string> addresses =
      address_arg(d, 1, "bind", "address '" + d[1] + "'", rep);
  if (!addresses) return;
  const size_t before = s.proxy.binds.size();
  add_binds(*addresses, d.loc, s.proxy);
  if (o.id && s.proxy.binds.size() - before > 1) {
    rep.error(d.loc, "bind", "'id' can only be used with a single address");
    s.proxy.binds.resize(before);
    return;
  }
  for (size_t i = before; i < s.proxy.binds.size(); ++i) s.proxy.binds[i].opts = o;
}

}  // namespace hearth::config::detail
