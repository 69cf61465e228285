// The TLS options of a server line toward its server ("ssl", "verify",
// "sni", "alpn", "check-ssl", ...), also read by the global
// ssl-default-server-options. What they mean is applied at startup
// (app/tls_server), where the files are loaded.
#include "config/keywords.h"
#include "expr/fetch.h"

namespace hearth::config::detail {
namespace {

// A flag that only sets something.
struct Flag {
  const char* name;
  void (*apply)(ServerTls& t);
};

const Flag kFlags[] = {
    {"ssl",
     [](ServerTls& t) {
       t.enabled = true;
       t.use_ssl = 1;
     }},
    {"no-ssl",
     [](ServerTls& t) {
       t.enabled = false;
       t.use_ssl = -1;
     }},
    {"no-ssl-reuse", [](ServerTls& t) { t.no_reuse = true; }},
    {"ssl-reuse", [](ServerTls& t) { t.no_reuse = false; }},
    {"no-tls-tickets", [](ServerTls& t) { t.no_tickets = true; }},
    {"tls-tickets", [](ServerTls& t) { t.no_tickets = false; }},
    {"check-ssl", [](ServerTls& t) { t.check_ssl = 1; }},
    {"no-check-ssl", [](ServerTls& t) { t.check_ssl = 0; }},
    {"no-verifyhost", [](ServerTls& t) { t.verifyhost.clear(); }},
    {"no-sslv3", [](ServerTls& t) { t.no_versions |= 1u << 0; }},
    {"no-tlsv10", [](ServerTls& t) { t.no_versions |= 1u << 1; }},
    {"no-tlsv11", [](ServerTls& t) { t.no_versions |= 1u << 2; }},
    {"no-tlsv12", [](ServerTls& t) { t.no_versions |= 1u << 3; }},
    {"no-tlsv13", [](ServerTls& t) { t.no_versions |= 1u << 4; }},
    {"force-tlsv12", [](ServerTls& t) { t.force_ver = 0x303; }},
    {"force-tlsv13", [](ServerTls& t) { t.force_ver = 0x304; }},
};

const char* const kValued[] = {
    "verify",      "verifyhost",  "ca-file", "crl-file",     "crt",       "sni",       "alpn",
    "ssl-min-ver", "ssl-max-ver", "ciphers", "ciphersuites", "check-sni", "check-alpn"};

// Sets the valued option `o` to `v`. Returns: false after reporting.
bool set_valued(const Directive& d, const std::string& o, const std::string& v,
                const std::string& kw, ServerTls& t, Reporter& rep) {
  if (o == "verify") {
    if (v != "none" && v != "required") {
      rep.error(d.loc, kw, "'verify' expects none or required, not '" + v + "'");
      return false;
    }
    t.verify = v == "none" ? 0 : 2;
  } else if (o == "verifyhost") {
    t.verifyhost = v;
  } else if (o == "ca-file") {
    t.ca_file = v;
  } else if (o == "crl-file") {
    t.crl_file = v;
  } else if (o == "crt") {
    t.crt = v;
  } else if (o == "sni") {
    std::string err;
    auto e = expr::parse_sample_expr(v, expr::kUseConn | expr::kUseReq | expr::kUseL6Req, &err);
    if (!e) {
      rep.error(d.loc, kw, "'sni " + v + "': " + err);
      return false;
    }
    t.sni = std::move(e);
  } else if (o == "alpn") {
    return parse_alpn_list(d, v, kw, &t.alpn, rep);
  } else if (o == "check-alpn") {
    std::vector<std::string> list;
    if (!parse_alpn_list(d, v, kw, &list, rep)) return false;
    t.check_alpn = std::move(list);
  } else if (o == "ssl-min-ver" || o == "ssl-max-ver") {
    const int ver = tls_version_of(v);
    if (!ver) {
      rep.error(d.loc, kw,
                "'" + o + "' expects SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3, not '" + v + "'");
      return false;
    }
    (o == "ssl-min-ver" ? t.min_ver : t.max_ver) = ver;
  } else if (o == "ciphers") {
    t.ciphers = v;
  } else if (o == "ciphersuites") {
    t.ciphersuites = v;
  } else {  // check-sni: a plain name, as HAProxy
    t.check_sni = v;
  }
  return true;
}

// Remembers the first TLS option written on a server line itself (not
// inherited; not one that only resets an inherited option), so that one
// without "ssl" or "check-ssl" can be refused.
void note_option(const Directive& d, const std::string& kw, const std::string& o, ServerTls& t) {
  static const char* const kResets[] = {"ssl",         "no-ssl",       "ssl-reuse",
                                        "tls-tickets", "no-check-ssl", "no-verifyhost"};
  if (kw != "server" || t.first_option.line) return;
  for (const char* r : kResets)
    if (o == r) return;
  t.first_option = d.loc;
  t.first_option_name = o;
}

}  // namespace

int parse_server_tls_option(const Directive& d, size_t* i, const std::string& kw, ServerTls& t,
                            Reporter& rep) {
  const std::string& o = d[*i];
  for (const Flag& f : kFlags) {
    if (o != f.name) continue;
    f.apply(t);
    note_option(d, kw, o, t);
    return 1;
  }
  for (const char* name : kValued) {
    if (o != name) continue;
    if (*i + 1 >= d.size()) {
      rep.error(d.loc, kw, "option '" + o + "' expects a value");
      return -1;
    }
    ++*i;
    if (!set_valued(d, o, d[*i], kw, t, rep)) return -1;
    note_option(d, kw, o, t);
    return 1;
  }
  return 0;
}

}  // namespace hearth::config::detail
