// The TLS options of a bind line ("ssl", "crt", "alpn", "verify", ...), also
// read by the global ssl-default-bind-options. What they mean is applied at
// startup (app/tls_settings), where the certificates are loaded.
#include <cstring>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {

int tls_version_of(const std::string& v) {
  if (v == "SSLv3") return 0x300;
  if (v == "TLSv1.0") return 0x301;
  if (v == "TLSv1.1") return 0x302;
  if (v == "TLSv1.2") return 0x303;
  if (v == "TLSv1.3") return 0x304;
  return 0;
}

bool parse_alpn_list(const Directive& d, const std::string& v, const std::string& where,
                     std::vector<std::string>* out, Reporter& rep) {
  out->clear();
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    const std::string p = v.substr(start, comma - start);
    start = comma + 1;
    if (p.empty() || p.size() > 255) {
      rep.error(d.loc, where, "'alpn' expects a comma-separated list of protocol names");
      return false;
    }
    if (p == "h2") {
      rep.warning(d.loc, where,
                  "'alpn " + v +
                      "': HTTP/2 is not supported by Hearth yet, h2 is not advertised "
                      "(peers negotiate the other protocols listed)");
      continue;
    }
    out->push_back(p);
  }
  return true;
}

namespace {

// A flag that only sets something.
struct Flag {
  const char* name;
  void (*apply)(BindTls& t);
};

const Flag kFlags[] = {
    {"ssl", [](BindTls& t) { t.enabled = true; }},
    {"no-sslv3", [](BindTls& t) { t.no_versions |= 1u << 0; }},
    {"no-tlsv10", [](BindTls& t) { t.no_versions |= 1u << 1; }},
    {"no-tlsv11", [](BindTls& t) { t.no_versions |= 1u << 2; }},
    {"no-tlsv12", [](BindTls& t) { t.no_versions |= 1u << 3; }},
    {"no-tlsv13", [](BindTls& t) { t.no_versions |= 1u << 4; }},
    {"force-tlsv12", [](BindTls& t) { t.force_ver = 0x303; }},
    {"force-tlsv13", [](BindTls& t) { t.force_ver = 0x304; }},
    {"prefer-client-ciphers", [](BindTls& t) { t.prefer_client_ciphers = true; }},
    {"no-tls-tickets", [](BindTls& t) { t.no_tls_tickets = true; }},
    {"strict-sni", [](BindTls& t) { t.strict_sni = true; }},
    {"no-ca-names", [](BindTls& t) { t.no_ca_names = true; }},
};

// The options that take a value; `global` ones may also appear in
// ssl-default-bind-options.
const char* const kValued[] = {"crt",         "crt-list",        "ca-file",        "ca-verify-file",
                               "crl-file",    "verify",          "alpn",           "ssl-min-ver",
                               "ssl-max-ver", "ciphers",         "ciphersuites",   "curves",
                               "ecdhe",       "tls-ticket-keys", "crt-ignore-err", "ca-ignore-err"};

// The largest X509_V_ERR_* number crt-ignore-err and ca-ignore-err take, as
// HAProxy 2.6 built with OpenSSL 3.0.
constexpr int kMaxVerifyError = 94;

// "all" or comma-separated error numbers. Returns: false after reporting.
bool parse_ignore_list(const Directive& d, const std::string& kw, const std::string& v,
                       const std::string& where, std::vector<int>* ids, bool* all, Reporter& rep) {
  if (v == "all") {
    *all = true;
    return true;
  }
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    const std::string id = v.substr(start, comma - start);
    const auto n = parse_int(id);
    if (!n || *n < 1 || *n > kMaxVerifyError) {
      rep.error(d.loc, where,
                "'" + kw + "' expects 'all' or error numbers (1.." +
                    std::to_string(kMaxVerifyError) + ") separated by commas, not '" + id + "'");
      return false;
    }
    ids->push_back(int(*n));
    start = comma + 1;
  }
  return true;
}

// Sets the valued option `kw` to `v`. Returns: false after reporting.
bool set_valued(const Directive& d, const std::string& kw, const std::string& v, BindTls& t,
                const std::string& where, Reporter& rep) {
  if (kw == "crt" || kw == "crt-list") {
    t.crts.push_back({v, kw == "crt-list"});
  } else if (kw == "tls-ticket-keys") {
    t.tls_ticket_keys = v;
  } else if (kw == "ca-file") {
    t.ca_file = v;
  } else if (kw == "ca-verify-file") {
    t.ca_verify_file = v;
  } else if (kw == "crl-file") {
    t.crl_file = v;
  } else if (kw == "verify") {
    if (v != "none" && v != "optional" && v != "required") {
      rep.error(d.loc, where, "'verify' expects none, optional or required, not '" + v + "'");
      return false;
    }
    t.verify = v == "none" ? 0 : v == "optional" ? 1 : 2;
  } else if (kw == "alpn") {
    if (!parse_alpn_list(d, v, where, &t.alpn, rep)) return false;
  } else if (kw == "ssl-min-ver" || kw == "ssl-max-ver") {
    const int ver = tls_version_of(v);
    if (!ver) {
      rep.error(
          d.loc, where,
          "'" + kw + "' expects SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3, not '" + v + "'");
      return false;
    }
    (kw == "ssl-min-ver" ? t.min_ver : t.max_ver) = ver;
  } else if (kw == "ciphers") {
    t.ciphers = v;
  } else if (kw == "ciphersuites") {
    t.ciphersuites = v;
  } else if (kw == "curves") {
    t.curves = v;
  } else if (kw == "crt-ignore-err") {
    return parse_ignore_list(d, kw, v, where, &t.crt_ignore, &t.crt_ignore_all, rep);
  } else if (kw == "ca-ignore-err") {
    return parse_ignore_list(d, kw, v, where, &t.ca_ignore, &t.ca_ignore_all, rep);
  } else {
    t.ecdhe = v;
  }
  return true;
}

}  // namespace

int parse_bind_tls_option(const Directive& d, size_t* i, BindTls& t, const std::string& where,
                          Reporter& rep) {
  const std::string& w = d[*i];
  if (w == "allow-0rtt") {
    rep.error(d.loc, where,
              "'allow-0rtt': TLS 1.3 early data is not supported by Hearth (it would replay "
              "requests); remove it");
    return -1;
  }
  for (const Flag& f : kFlags) {
    if (w != f.name) continue;
    f.apply(t);
    if (w != "ssl" && !t.first_option.line) {
      t.first_option = d.loc;
      t.first_option_name = w;
    }
    return 1;
  }
  for (const char* name : kValued) {
    if (w != name) continue;
    if (*i + 1 >= d.size()) {
      rep.error(d.loc, where, "'" + w + "' expects a value");
      return -1;
    }
    ++*i;
    if (!set_valued(d, w, d[*i], t, where, rep)) return -1;
    if (!t.first_option.line) {
      t.first_option = d.loc;
      t.first_option_name = w;
    }
    return 1;
  }
  return 0;
}

}  // namespace hearth::config::detail
