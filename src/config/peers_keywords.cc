// "peers NAME" sections (HAProxy 2.6 manual 3.5): peer, server, bind,
// default-bind, default-server, table, disabled, enable. Bind and server
// lines take their TLS options (ssl, crt, verify, ca-file, ...); any other
// option, and "log", are refused.
#include "config/keywords.h"
#include "config/parse_context.h"

namespace hearth::config::detail {
namespace {

const char* const kPeersKeywords =
    "peer, server, bind, default-bind, default-server, table, disabled, enable";

bool has_peer(const PeersConfig& p, const std::string& name) {
  for (const PeerLine& l : p.peers)
    if (l.name == name) return true;
  return false;
}

// The TLS options of a server-like line from d[first]: applied to *t.
// Returns: false after reporting (another option is refused).
bool server_options(const Directive& d, size_t first, ServerTls* t, Reporter& rep) {
  for (size_t i = first; i < d.size(); ++i) {
    const int r = parse_server_tls_option(d, &i, d[0], *t, rep);
    if (r < 0) return false;
    if (r == 0) {
      rep.error(d.loc, d[0],
                "option '" + d[i] +
                    "': Hearth takes only TLS options on peers lines (ssl, crt, verify, ca-file, "
                    "sni, ...)");
      return false;
    }
  }
  return true;
}

// The same for bind-like lines.
bool bind_options(const Directive& d, size_t first, BindTls* t, Reporter& rep) {
  for (size_t i = first; i < d.size(); ++i) {
    const int r = parse_bind_tls_option(d, &i, *t, d[0], rep);
    if (r < 0) return false;
    if (r == 0) {
      rep.error(d.loc, d[0],
                "option '" + d[i] +
                    "': Hearth takes only TLS options on a peers section's bind lines (ssl, crt, "
                    "ca-file, verify, ...)");
      return false;
    }
  }
  return true;
}

// "peer NAME ADDR:PORT [OPTION...]" or "server NAME [ADDR:PORT] [OPTION...]".
void parse_peer_line(const Directive& d, PeersConfig& p, Reporter& rep) {
  const std::string& kw = d[0];
  const bool is_server = kw == "server";
  // A server line's second word is its address unless it is an option.
  const bool has_addr = d.size() > 2 && (!is_server || d[2].find(':') != std::string::npos ||
                                         d[2].compare(0, 3, "fd@") == 0);
  if (d.size() < 2 || (!is_server && !has_addr)) {
    rep.error(d.loc, kw,
              "expects '" + kw + " NAME" + (is_server ? " [ADDR:PORT]'" : " ADDR:PORT'"));
    return;
  }
  if (has_peer(p, d[1])) {
    rep.error(d.loc, kw,
              "peer '" + d[1] + "' is already defined in peers section '" + p.name + "'");
    return;
  }
  std::string address;
  if (has_addr) {
    const std::optional<std::string> expanded =
        address_arg(d, 2, kw, "address '" + d[2] + "'", rep);
    if (!expanded) return;
    address = *expanded;
    // A port an expanded variable left empty is port 0, as in HAProxy.
    if (!address.empty() && address.back() == ':' && d[2].back() != ':') address += '0';
  }
  PeerLine l{d.loc, d[1], address, p.default_server_tls};
  if (!server_options(d, has_addr ? 3 : 2, &l.tls, rep)) return;
  p.peers.push_back(std::move(l));
}

void parse_table_line(const Directive& d, PeersConfig& p, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, "table", "expects 'table NAME type ... size ...'");
    return;
  }
  stick::TableConfig t;
  t.name = p.name + "/" + d[1];
  t.wire_name = "/" + d[1];  // what HAProxy 2.6 announces to its peers
  t.peers = p.name;
  for (const auto& other : p.tables) {
    if (other->name == t.name) {
      rep.error(d.loc, "table", "table '" + d[1] + "' is already defined in this peers section");
      return;
    }
  }
  if (!parse_table_options(d, 2, "table", true, &t, rep)) return;
  p.tables.push_back(std::make_shared<const stick::TableConfig>(std::move(t)));
  p.table_locs.push_back(d.loc);
}

}  // namespace

int open_peers(const Directive& d, Config& config, Reporter& rep) {
  if (d.size() != 2) {
    rep.error(d.loc, d[0], "expects one argument: peers NAME");
    return -1;
  }
  if (!is_valid_name(d[1])) {
    rep.error(d.loc, d[0], "invalid name '" + d[1] + "'");
    return -1;
  }
  for (const PeersConfig& p : config.peers) {
    if (p.name == d[1]) {
      rep.error(d.loc, d[0], "a peers section named '" + d[1] + "' already exists");
      return -1;
    }
  }
  PeersConfig p;
  p.loc = d.loc;
  p.name = d[1];
  config.peers.push_back(std::move(p));
  return int(config.peers.size()) - 1;
}

void parse_peers_keyword(const Directive& d, PeersConfig& p, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "peer" || kw == "server") {
    parse_peer_line(d, p, rep);
  } else if (kw == "bind") {
    if (d.size() < 2) {
      rep.error(d.loc, kw, "expects 'bind ADDR:PORT [OPTION...]'");
    } else if (!p.bind.empty()) {
      rep.error(d.loc, kw, "only one bind line per peers section");
    } else {
      BindTls t = p.default_bind_tls;
      if (!bind_options(d, 2, &t, rep)) return;
      p.bind = d[1];
      p.bind_loc = d.loc;
      p.bind_tls = std::move(t);
    }
  } else if (kw == "default-bind") {
    BindTls t;
    if (bind_options(d, 1, &t, rep)) p.default_bind_tls = std::move(t);
  } else if (kw == "default-server") {
    ServerTls t;
    if (server_options(d, 1, &t, rep)) p.default_server_tls = std::move(t);
  } else if (kw == "table") {
    parse_table_line(d, p, rep);
  } else if (kw == "disabled" || kw == "enable") {
    if (check_arity(d, kw, 1, 1, kw, rep)) p.disabled = kw == "disabled";
  } else if (kw == "log") {
    rep.error(d.loc, kw, "Hearth does not support 'log' in peers sections yet");
  } else {
    rep.error(d.loc, kw,
              std::string("unknown keyword in a peers section: expects ") + kPeersKeywords);
  }
}

void check_peers(Config& config, Reporter& rep) {
  for (const ProxyConfig& px : config.proxies) {
    if (!px.stick_table || px.stick_table->peers.empty()) continue;
    bool found = false;
    for (const PeersConfig& p : config.peers) found |= p.name == px.stick_table->peers;
    if (!found)
      rep.error(px.stick_table_loc, "stick-table",
                "unknown peers section '" + px.stick_table->peers + "'");
  }
}

}  // namespace hearth::config::detail
