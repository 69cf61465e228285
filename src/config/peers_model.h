#pragma once
// "peers NAME" sections (HAProxy 2.6 manual 3.5): the processes that share
// stick tables, and the tables declared there.
#include <memory>
#include <string>
#include <vector>

#include "stick/table.h"

namespace hearth::config {

// (SourceLoc: model.h, which includes this file after declaring it.)
struct PeerLine {
  SourceLoc loc;
  std::string name;
  std::string address;  // "": none (a "server NAME" line: the local peer)
};

struct PeersConfig {
  SourceLoc loc;
  std::string name;
  bool disabled = false;
  std::vector<PeerLine> peers;  // "peer" and "server" lines in order
  std::string bind;             // "bind ADDR" ("": none)
  SourceLoc bind_loc;
  // "table NAME ...": named "SECTION/NAME".
  std::vector<std::shared_ptr<const stick::TableConfig>> tables;
  std::vector<SourceLoc> table_locs;
};

}  // namespace hearth::config
