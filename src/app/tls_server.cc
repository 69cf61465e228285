#include "app/tls_server.h"

#include "app/tls_bind.h"
#include "config/validate_checks.h"
#include "net/tls_transport.h"

namespace hearth::app {

std::optional<net::TlsClientSettings> tls_server_settings(const config::ServerTls& t,
                                                          const config::TlsGlobal& g,
                                                          std::string* err) {
  const config::ServerTls& d = g.server_options;
  net::TlsClientSettings s;
  const int verify = t.verify >= 0 ? t.verify : g.server_verify;
  s.verify = verify == 2 ? net::TlsVerify::kRequired : net::TlsVerify::kNone;
  s.ca_file = under(g.ca_base, t.ca_file);
  s.crl_file = under(g.ca_base, t.crl_file);
  s.crt = under(g.crt_base, t.crt);
  if (s.verify == net::TlsVerify::kRequired && s.ca_file.empty()) {
    *err = std::string("verify is ") + (t.verify == 2 ? "required" : "enabled by default") +
           " but no CA file specified. If you're running on a LAN where you're certain to "
           "trust the server's certificate, set an explicit 'verify none' on the 'server' line, "
           "or 'ssl-server-verify none' in the global section";
    return std::nullopt;
  }
  s.verifyhost = t.verifyhost;
  s.alpn = t.alpn;
  if (!tls_version_range(t, d, &s.min_version, &s.max_version, err)) return std::nullopt;
  s.ciphers = t.ciphers ? *t.ciphers : g.server_ciphers.value_or("");
  s.ciphersuites = t.ciphersuites ? *t.ciphersuites : g.server_ciphersuites.value_or("");
  s.session_reuse = !t.no_reuse;
  s.no_tickets = t.no_tickets || d.no_tickets;
  return s;
}

bool checks_over_tls(const config::ServerConfig& sc) {
  if (sc.tls.check_ssl >= 0) return sc.tls.check_ssl == 1;
  return sc.tls.enabled && !sc.check_port && sc.check_addr.empty();
}

bool set_server_tls(const config::ProxyConfig& p, const config::ServerConfig& sc,
                    const config::TlsGlobal& g, backend::Server* s, std::string* err) {
  s->use_ssl = sc.tls.use_ssl;
  const bool default_tls = sc.check && checks_over_tls(sc);
  const bool check_tls = default_tls || (sc.check && config::check_rules_use_ssl(p));
  // "no-ssl" under a default-server with "ssl": the settings are prepared
  // for "set server ... ssl on", as HAProxy; if they cannot be, that command
  // says so.
  const bool standby = !sc.tls.enabled && sc.tls.default_ssl;
  if (!sc.tls.enabled && !check_tls && !standby) return true;
  std::string standby_err;
  std::string* e = sc.tls.enabled || check_tls ? err : &standby_err;
  const auto settings = tls_server_settings(sc.tls, g, e);
  if (!settings) return e == &standby_err;
  if (sc.tls.enabled || standby) {
    s->tls_xprt = net::make_tls_client_transport(*settings, sc.tls.enabled ? err : &standby_err);
    if (!s->tls_xprt && sc.tls.enabled) return false;
    if (sc.tls.enabled) s->set_xprt(s->tls_xprt.get());
    s->sni = sc.tls.sni;
  }
  if (!check_tls) return true;
  s->check_sni = sc.tls.check_sni;
  if (sc.tls.enabled && (!sc.tls.check_alpn || *sc.tls.check_alpn == settings->alpn)) {
    if (default_tls) s->check_xprt = s->xprt();  // the same context: its sessions serve both
    return true;
  }
  net::TlsClientSettings cs = *settings;
  if (sc.tls.check_alpn) cs.alpn = *sc.tls.check_alpn;
  s->check_tls_xprt = net::make_tls_client_transport(cs, err);
  if (!s->check_tls_xprt) return false;
  if (default_tls) s->check_xprt = s->check_tls_xprt.get();
  return true;
}

void check_tls_servers(config::ParseResult* r) {
  for (const config::ProxyConfig& p : r->config.proxies)
    for (const config::ServerConfig& sc : p.servers) {
      backend::Server s;
      std::string err;
      if (!set_server_tls(p, sc, r->config.global.tls, &s, &err))
        r->errors.push_back({sc.loc, "server", "'server " + p.name + "/" + sc.name + "': " + err});
    }
}

}  // namespace hearth::app
