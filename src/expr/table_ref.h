#pragma once
// A reference to a stick table from a fetch, a converter or a rule (the
// `<table>` arguments of HAProxy's sc_*, src_* and table_* keywords, and
// track-sc's `table`). Tables may be declared after the proxies that use
// them, so the configuration resolves references once it is read: until
// then `index` is -1.
#include <memory>
#include <string>
#include <vector>

namespace hearth::expr {

struct TableRef {
  // The proxy that declares the table; empty: the proxy whose line holds
  // the reference (filled in by the parser).
  std::string name;
  std::string keyword;  // what refers to it, for messages: "src_conn_cnt"
  // The table's position among the configuration's tables (proxies in
  // declaration order), once resolved; -1 before.
  int index = -1;
  // A stick rule refers to it: the table stores server_id too.
  bool server_id = false;
};

// Collects the TableRefs created while a configuration is compiled, so that
// the parser can name and resolve them afterwards. One scope per thread at a
// time; references made outside a scope are not collected.
class TableRefScope {
 public:
  TableRefScope();
  ~TableRefScope();
  TableRefScope(const TableRefScope&) = delete;
  TableRefScope& operator=(const TableRefScope&) = delete;
  std::vector<std::shared_ptr<TableRef>>& refs() { return refs_; }

  // Returns: a new reference to table `name` (empty: the current proxy's),
  // recorded in the thread's current scope, if any.
  static std::shared_ptr<TableRef> make(std::string name, std::string keyword);

 private:
  std::vector<std::shared_ptr<TableRef>> refs_;
  TableRefScope* prev_;
};

}  // namespace hearth::expr
