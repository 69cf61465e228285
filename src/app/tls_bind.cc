#include "app/tls_bind.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/crt_list.h"
#include "config/tls_ticket_keys.h"
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

// Reads the whole file `path`. Returns: false with *err set.
bool read_file(const std::string& path, std::string* text, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
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

namespace {

// Returns: the key's parts as the ticket callback uses them.
net::TlsTicketKey split_ticket_key(const std::string& raw) {
  const size_t half = (raw.size() - 16) / 2;  // 16 (AES-128) or 32 (AES-256)
  return {raw.substr(0, 16), raw.substr(16, half), raw.substr(16 + half)};
}

// Adds the certificates of crt-list `list` (crt-base applies to them, not to
// the list's own path, as in HAProxy 2.6) to s->certs,
// each line with its own settings when it has options. Returns: false with *err.
bool add_crt_list(const std::string& list, const config::BindTls& b, const config::TlsGlobal& g,
                  net::TlsBindSettings* s, std::vector<std::string>* warnings, std::string* err);

// Everything but the certificates. Returns: nullopt with *err set.
std::optional<net::TlsBindSettings> context_settings(const config::BindTls& b,
                                                     const config::TlsGlobal& g, std::string* err) {
  const config::BindTls& d = g.bind_options;
  net::TlsBindSettings s;
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
  if (!tls_version_range(b, d, &s.min_version, &s.max_version, err)) return std::nullopt;
  s.ciphers = b.ciphers ? *b.ciphers : g.bind_ciphers.value_or("");
  s.ciphersuites = b.ciphersuites ? *b.ciphersuites : g.bind_ciphersuites.value_or("");
  s.curves = b.curves ? *b.curves : b.ecdhe ? *b.ecdhe : g.bind_curves.value_or("");
  s.prefer_client_ciphers = b.prefer_client_ciphers || d.prefer_client_ciphers;
  s.no_tickets = b.no_tls_tickets || d.no_tls_tickets;
  s.strict_sni = b.strict_sni || d.strict_sni;
  s.no_ca_names = b.no_ca_names;
  s.crt_ignore = b.crt_ignore;
  s.ca_ignore = b.ca_ignore;
  s.crt_ignore_all = b.crt_ignore_all;
  s.ca_ignore_all = b.ca_ignore_all;
  s.dh_param_file = g.dh_param_file;
  s.dh_bits = g.default_dh_param;
  s.cache_size = g.cachesize;
  s.lifetime_s = g.lifetime_s;
  s.max_record = g.maxrecord;
  return s;
}

bool add_crt_list(const std::string& list, const config::BindTls& b, const config::TlsGlobal& g,
                  net::TlsBindSettings* s, std::vector<std::string>* warnings, std::string* err) {
  std::string text;
  if (!read_file(list, &text, err)) {
    *err = "crt-list: " + *err;
    return false;
  }
  const config::CrtList parsed = config::parse_crt_list(text, list, b);
  if (!parsed.ok()) {
    *err = "crt-list " + parsed.errors[0].str();
    return false;
  }
  if (warnings)
    for (const config::Diagnostic& w : parsed.warnings) warnings->push_back(w.str());
  for (const config::CrtListLine& l : parsed.lines) {
    net::TlsCertEntry e{under(g.crt_base, l.path), l.filters, nullptr, list, l.line, l.options};
    if (!l.options.empty()) {
      auto own = context_settings(l.tls, g, err);
      if (!own) {
        *err = "crt-list " + e.origin() + ": " + *err;
        return false;
      }
      e.own = std::make_shared<const net::TlsBindSettings>(std::move(*own));
    }
    s->certs.push_back(std::move(e));
  }
  return true;
}

}  // namespace

std::optional<net::TlsBindSettings> tls_bind_settings(const config::BindTls& b,
                                                      const config::TlsGlobal& g, std::string* err,
                                                      std::vector<std::string>* warnings) {
  auto s = context_settings(b, g, err);
  if (!s) return std::nullopt;
  for (const config::CertSource& c : b.crts) {
    if (!c.list)
      s->certs.push_back({under(g.crt_base, c.path), {}, nullptr, "", 0, {}});
    else if (!add_crt_list(c.path, b, g, &*s, warnings, err))  // as HAProxy: no crt-base
      return std::nullopt;
  }
  if (!b.tls_ticket_keys.empty()) {
    std::string text, why;
    if (!read_file(b.tls_ticket_keys, &text, err)) {
      *err = "tls-ticket-keys: " + *err;
      return std::nullopt;
    }
    const std::vector<std::string> keys = config::parse_tls_ticket_keys(text, &why);
    if (keys.empty()) {
      *err = "tls-ticket-keys '" + b.tls_ticket_keys + "': " + why;
      return std::nullopt;
    }
    for (const std::string& k : keys) s->ticket_keys.push_back(split_ticket_key(k));
    s->ticket_keys_file = b.tls_ticket_keys;
  }
  return s;
}

std::unique_ptr<net::Transport> make_bind_transport(const config::BindTls& b,
                                                    const config::TlsGlobal& g, std::string* err,
                                                    std::vector<std::string>* warnings,
                                                    const std::string& where) {
  const auto settings = tls_bind_settings(b, g, err, warnings);
  if (!settings) return nullptr;
  net::TlsBindOrigin origin;
  origin.where = where;
  // A line added through "add ssl crt-list": its options over the bind line's.
  origin.line_settings = [b, g](const std::vector<std::string>& options,
                                std::string* why) -> std::optional<net::TlsBindSettings> {
    std::string text = "x [";
    for (const std::string& o : options) text += o + " ";
    const config::CrtList parsed = config::parse_crt_list(text + "]", "(cli)", b);
    if (!parsed.ok() || parsed.lines.size() != 1) {
      *why = parsed.ok() ? "no line" : parsed.errors[0].str();
      return std::nullopt;
    }
    return context_settings(parsed.lines[0].tls, g, why);
  };
  return net::make_tls_server_transport(*settings, err, std::move(origin));
}

void check_tls_binds(config::ParseResult* r) {
  for (const config::ProxyConfig& p : r->config.proxies)
    for (const config::BindConfig& b : p.binds) {
      std::string err;
      std::vector<std::string> warnings;
      if (b.opts.tls.enabled &&
          !make_bind_transport(b.opts.tls, r->config.global.tls, &err, &warnings, ""))
        r->errors.push_back({b.loc, "bind", "'" + b.address + " ssl': " + err});
      for (std::string& w : warnings)
        r->warnings.push_back({b.loc, "bind", "'" + b.address + " ssl': " + w});
    }
}

}  // namespace hearth::app
