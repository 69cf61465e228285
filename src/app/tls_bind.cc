#include "app/tls_bind.h"

#include "net/tls_transport.h"

namespace hearth::app {
namespace {

// Returns: the version's name, as ssl-min-ver writes it.
std::string version_name(int v) {
  static const char* const kNames[] = {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
  return v >= 0x300 && v <= 0x304 ? kNames[v - 0x300] : "?";
}

// Narrows [*min, *max] to the versions no no-* option removed: from the
// lowest one left up to the last one before a gap. Returns: false if none is left.
bool fold_versions(uint8_t disabled, int* min, int* max) {
  int lo = 0;
  for (int v = *min; v <= *max && !lo; ++v)
    if (!(disabled & (1u << (v - 0x300)))) lo = v;
  if (!lo) return false;
  int hi = lo;
  while (hi + 1 <= *max && !(disabled & (1u << (hi + 1 - 0x300)))) ++hi;
  *min = lo;
  *max = hi;
  return true;
}

}  // namespace

std::string under(const std::string& base, const std::string& path) {
  if (path.empty() || base.empty() || path[0] == '/') return path;
  return base.back() == '/' ? base + path : base + "/" + path;
}

bool tls_version_range(int force, int min, int max, uint8_t disabled, int* out_min, int* out_max,
                       std::string* err) {
  *out_min = force ? force : min ? min : net::kTlsV12;
  *out_max = force ? force : max ? max : net::kTlsV13;
  if (*out_min > *out_max) {
    *err =
        "ssl-min-ver " + version_name(*out_min) + " is above ssl-max-ver " + version_name(*out_max);
    return false;
  }
  if (!fold_versions(disabled, out_min, out_max)) {
    *err = "the no-* options leave no protocol version between " + version_name(*out_min) +
           " and " + version_name(*out_max);
    return false;
  }
  return true;
}

std::optional<net::TlsBindSettings> tls_bind_settings(const config::BindTls& b,
                                                      const config::TlsGlobal& g,
                                                      std::string* err) {
  const config::BindTls& d = g.bind_options;
  net::TlsBindSettings s;
  for (const std::string& c : b.crts) s.crts.push_back(under(g.crt_base, c));
  s.ca_file = under(g.ca_base, b.ca_file);
  s.ca_verify_file = under(g.ca_base, b.ca_verify_file);
  s.crl_file = under(g.ca_base, b.crl_file);
  s.verify = b.verify == 2   ? net::TlsVerify::kRequired
             : b.verify == 1 ? net::TlsVerify::kOptional
                             : net::TlsVerify::kNone;
  if (s.verify != net::TlsVerify::kNone && s.ca_file.empty() && s.ca_verify_file.empty()) {
    *err = "'verify " + std::string(b.verify == 2 ? "required" : "optional") +
           "' needs a 'ca-file' (or 'ca-verify-file') to verify client certificates with";
    return std::nullopt;
  }
  s.alpn = b.alpn;
  if (!tls_version_range(b.force_ver ? b.force_ver : d.force_ver, b.min_ver ? b.min_ver : d.min_ver,
                         b.max_ver ? b.max_ver : d.max_ver, uint8_t(b.no_versions | d.no_versions),
                         &s.min_version, &s.max_version, err))
    return std::nullopt;
  s.ciphers = b.ciphers ? *b.ciphers : g.bind_ciphers.value_or("");
  s.ciphersuites = b.ciphersuites ? *b.ciphersuites : g.bind_ciphersuites.value_or("");
  s.curves = b.curves ? *b.curves : b.ecdhe ? *b.ecdhe : g.bind_curves.value_or("");
  s.prefer_client_ciphers = b.prefer_client_ciphers || d.prefer_client_ciphers;
  s.no_tickets = b.no_tls_tickets || d.no_tls_tickets;
  s.strict_sni = b.strict_sni || d.strict_sni;
  s.dh_param_file = g.dh_param_file;
  s.dh_bits = g.default_dh_param;
  s.cache_size = g.cachesize;
  s.lifetime_s = g.lifetime_s;
  s.max_record = g.maxrecord;
  return s;
}

std::unique_ptr<net::Transport> make_bind_transport(const config::BindTls& b,
                                                    const config::TlsGlobal& g, std::string* err) {
  const auto settings = tls_bind_settings(b, g, err);
  return settings ? net::make_tls_server_transport(*settings, err) : nullptr;
}

void check_tls_binds(config::ParseResult* r) {
  for (const config::ProxyConfig& p : r->config.proxies)
    for (const config::BindConfig& b : p.binds) {
      std::string err;
      if (b.opts.tls.enabled && !make_bind_transport(b.opts.tls, r->config.global.tls, &err))
        r->errors.push_back({b.loc, "bind", "'" + b.address + " ssl': " + err});
    }
}

}  // namespace hearth::app
