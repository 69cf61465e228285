#pragma once
// "peers NAME" sections (HAProxy 2.6 manual 3.5): the processes that share
// stick tables, and the tables declared there.
#include <memory>
#include <string>
#include <vector>

#include "stick/table.h"

namespace hearth::config {

// (SourceLoc, ServerTls, BindTls: model.h, which includes this file after
// declaring them.)
struct PeerLine {
  SourceLoc loc;
  std::string name;
  std::string address;  // "": none (a "server NAME" line: the local peer)
  ServerTls tls;        // its options ("ssl", "verify", ...), over default-server's
};

struct PeersConfig {
  SourceLoc loc;
  std::string name;
  bool disabled = false;
  std::vector<PeerLine> peers;  // "peer" and "server" lines in order
  std::string bind;             // "bind ADDR" ("": none)
  SourceLoc bind_loc;
  BindTls bind_tls;              // the bind line's TLS options, over default-bind's
  BindTls default_bind_tls;      // "default-bind"
  ServerTls default_server_tls;  // "default-server"; the peer lines after it start from it
  // "table NAME ...": named "SECTION/NAME".
  std::vector<std::shared_ptr<const stick::TableConfig>> tables;
  std::vector<SourceLoc> table_locs;
};

}  // namespace hearth::config
