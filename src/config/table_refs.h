#pragma once
// Stick-table references met while parsing (expr/table_ref.h): named after
// the proxy of their line when they name no table, and resolved once every
// proxy is read.
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "expr/table_ref.h"

namespace hearth::config::detail {

class Reporter;

struct PendingTableRef {
  SourceLoc loc;
  std::string keyword;  // the directive's first word
  std::shared_ptr<expr::TableRef> ref;
};

// Points each reference at its table's position among the configuration's
// (proxies with a stick-table, in order, then the tables of the peers
// sections), as the runtime registers them.
// A name no proxy declares a table under is an error at the reference's line.
// A table a stick rule refers to stores server_id (as HAProxy enables it).
void resolve_table_refs(const std::vector<PendingTableRef>& refs, Config& config, Reporter& rep);

}  // namespace hearth::config::detail
