// "peers NAME" sections (HAProxy 2.6 manual 3.5): peer, server, bind,
// default-bind, default-server, table, disabled, enable. Options of bind
// and server lines (TLS, ...) and "log" are refused: Hearth's peers speak
// plain TCP and log nothing of their own yet.
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

// "peer NAME ADDR:PORT" or "server NAME [ADDR:PORT]".
void parse_peer_line(const Directive& d, PeersConfig& p, Reporter& rep) {
  const std::string& kw = d[0];
  const bool is_server = kw == "server";
  const size_t most = is_server ? 3 : 3, least = is_server ? 2 : 3;
  if (d.size() > most) {
    rep.error(d.loc, kw,
              "option '" + d[most] +
                  "': Hearth does not support options on peers lines yet (TLS, ...); expects '" +
                  kw + " NAME" + (is_server ? " [ADDR:PORT]'" : " ADDR:PORT'"));
    return;
  }
  if (d.size() < least) {
    rep.error(d.loc, kw,
              "expects '" + kw + " NAME" + (is_server ? " [ADDR:PORT]'" : " ADDR:PORT'"));
    return;
  }
  if (has_peer(p, d[1])) {
    rep.error(d.loc, kw,
              "peer '" + d[1] + "' is already defined in peers section '" + p.name + "'");
    return;
  }
  p.peers.push_back(PeerLine{d.loc, d[1], d.size() > 2 ? d[2] : ""});
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
    if (d.size() != 2) {
      rep.error(d.loc, kw,
                d.size() < 2 ? "expects 'bind ADDR:PORT'"
                             : "option '" + d[2] +
                                   "': Hearth does not support bind options in peers sections yet");
    } else if (!p.bind.empty()) {
      rep.error(d.loc, kw, "only one bind line per peers section");
    } else {
      p.bind = d[1];
      p.bind_loc = d.loc;
    }
  } else if (kw == "default-bind" || kw == "default-server") {
    // Without options they change nothing; options are not supported yet.
    if (d.size() > 1)
      rep.error(d.loc, kw,
                "option '" + d[1] + "': Hearth does not support " + kw +
                    " options in peers sections yet");
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
