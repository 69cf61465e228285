// The global TLS keywords: where certificates and CAs are looked up
// (crt-base, ca-base), the defaults of every "bind ... ssl" line
// (ssl-default-bind-*), of every "server ... ssl" line (ssl-default-server-*,
// ssl-server-verify), DH parameters and the tune.ssl.* settings.
#include <initializer_list>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// A keyword with one string value stored in the global TLS settings.
bool one_word(const Directive& d, std::string* out, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " VALUE", rep)) return false;
  *out = d[1];
  return true;
}

// The protocol options common to ssl-default-bind-options and
// ssl-default-server-options.
const char* const kDefaultOptions[] = {
    "no-sslv3",     "no-tlsv10",    "no-tlsv11",      "no-tlsv12",   "no-tlsv13",
    "force-tlsv12", "force-tlsv13", "no-tls-tickets", "ssl-min-ver", "ssl-max-ver"};

// ssl-default-{bind,server}-options OPTION...: checks each word against
// kDefaultOptions and `more`, then has `apply` parse it (moving i past its
// value; < 0 after an error). `accepted` lists them for the message.
template <typename Apply>
void parse_default_options(const Directive& d, std::initializer_list<const char*> more,
                           const std::string& accepted, Apply apply, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 64, d[0] + " OPTION...", rep)) return;
  for (size_t i = 1; i < d.size(); ++i) {
    bool ok = false;
    for (const char* a : kDefaultOptions) ok = ok || d[i] == a;
    for (const char* a : more) ok = ok || d[i] == a;
    if (!ok) {
      rep.error(d.loc, d[0],
                "'" + d[i] + "' is not an option of " + d[0] + "; accepted: " + accepted);
      return;
    }
    if (apply(&i) < 0) return;
  }
}

// tune.ssl.lifetime: seconds, or a duration with its unit.
void parse_lifetime(const Directive& d, TlsGlobal& t, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " SECONDS", rep)) return;
  std::optional<int64_t> s = parse_int(d[1]);
  if (!s) {
    const auto ms = parse_duration_ms(d[1]);
    if (ms) s = *ms / 1000;
  }
  if (!s || *s < 1 || *s > 2147483647) {
    rep.error(d.loc, d[0],
              "expects a lifetime in seconds (or with a unit: 5m, 1h), not '" + d[1] + "'");
    return;
  }
  t.lifetime_s = int(*s);
}

}  // namespace

bool parse_ssl_global_keyword(const Directive& d, GlobalConfig& g, Reporter& rep) {
  TlsGlobal& t = g.tls;
  const std::string& kw = d[0];
  std::string v;
  if (kw == "crt-base") {
    one_word(d, &t.crt_base, rep);
  } else if (kw == "ca-base") {
    one_word(d, &t.ca_base, rep);
  } else if (kw == "ssl-default-bind-ciphers") {
    if (one_word(d, &v, rep)) t.bind_ciphers = v;
  } else if (kw == "ssl-default-bind-ciphersuites") {
    if (one_word(d, &v, rep)) t.bind_ciphersuites = v;
  } else if (kw == "ssl-default-bind-curves") {
    if (one_word(d, &v, rep)) t.bind_curves = v;
  } else if (kw == "ssl-default-bind-options") {
    parse_default_options(
        d, {"prefer-client-ciphers", "strict-sni"},
        "no-sslv3, no-tlsv10, no-tlsv11, no-tlsv12, no-tlsv13, force-tlsv12, force-tlsv13, "
        "prefer-client-ciphers, no-tls-tickets, strict-sni, ssl-min-ver V, ssl-max-ver V",
        [&](size_t* i) { return parse_bind_tls_option(d, i, t.bind_options, d[0], rep); }, rep);
  } else if (kw == "ssl-default-server-ciphers") {
    if (one_word(d, &v, rep)) t.server_ciphers = v;
  } else if (kw == "ssl-default-server-ciphersuites") {
    if (one_word(d, &v, rep)) t.server_ciphersuites = v;
  } else if (kw == "ssl-default-server-options") {
    parse_default_options(
        d, {},
        "no-sslv3, no-tlsv10, no-tlsv11, no-tlsv12, no-tlsv13, force-tlsv12, force-tlsv13, "
        "no-tls-tickets, ssl-min-ver V, ssl-max-ver V",
        [&](size_t* i) { return parse_server_tls_option(d, i, d[0], t.server_options, rep); }, rep);
  } else if (kw == "ssl-server-verify") {
    if (!one_word(d, &v, rep)) return true;
    if (v != "none" && v != "required")
      rep.error(d.loc, kw, "expects none or required, not '" + v + "'");
    else
      t.server_verify = v == "none" ? 0 : 2;
  } else if (kw == "ssl-load-extra-files") {
    if (!check_arity(d, kw, 2, 16, kw + " none|all|bundle|key...", rep)) return true;
    bool key = false, bundle = false;
    for (size_t i = 1; i < d.size(); ++i) {
      const std::string& w = d[i];
      if (w == "all" || w == "key") key = true;
      if (w == "all" || w == "bundle") bundle = true;
      if (w == "none" && d.size() > 2) {
        rep.error(d.loc, kw, "'none' cannot be combined with other values");
        return true;
      }
      if (w == "ocsp" || w == "sctl" || w == "issuer") {
        rep.error(d.loc, kw,
                  "'" + w + "' is not supported: Hearth staples no OCSP response and sends no "
                  "SCT (use 'key', 'bundle' or 'none')");
        return true;
      }
      if (w != "none" && w != "all" && w != "key" && w != "bundle") {
        rep.error(d.loc, kw, "expects none, all, bundle, key, not '" + w + "'");
        return true;
      }
    }
    t.extra_key = key;
    t.extra_bundle = bundle;
  } else if (kw == "ssl-load-extra-del-ext") {
    if (!check_arity(d, kw, 1, 1, kw, rep)) return true;
    t.extra_del_ext = true;
  } else if (kw == "ssl-dh-param-file") {
    one_word(d, &t.dh_param_file, rep);
  } else if (kw == "tune.ssl.default-dh-param") {
    if (!check_arity(d, kw, 2, 2, kw + " BITS", rep)) return true;
    if (auto n = int_arg(d, 1, kw, 1024, 16384, rep)) t.default_dh_param = int(*n);
  } else if (kw == "tune.ssl.cachesize") {
    if (!check_arity(d, kw, 2, 2, kw + " N", rep)) return true;
    if (auto n = int_arg(d, 1, kw, 0, 2147483647, rep)) t.cachesize = int(*n);
  } else if (kw == "tune.ssl.lifetime") {
    parse_lifetime(d, t, rep);
  } else if (kw == "tune.ssl.capture-buffer-size" || kw == "tune.ssl.capture-cipherlist-size") {
    if (!check_arity(d, kw, 2, 2, kw + " BYTES", rep)) return true;
    if (kw == "tune.ssl.capture-cipherlist-size")
      rep.warning(d.loc, kw,
                  "is deprecated (HAProxy removes it in 2.7): use 'tune.ssl.capture-buffer-size'");
    if (auto n = int_arg(d, 1, kw, 0, 2147483647, rep)) t.capture_size = int(*n);
  } else if (kw == "tune.ssl.maxrecord") {
    if (!check_arity(d, kw, 2, 2, kw + " BYTES", rep)) return true;
    if (auto n = int_arg(d, 1, kw, 0, 16384, rep)) t.maxrecord = int(*n);
  } else {
    return false;
  }
  return true;
}

}  // namespace hearth::config::detail
