#pragma once
// "show stat" and its options, as HAProxy 2.6 reads them:
//   show stat [domain proxy] [{IID|PROXY} TYPE SID] [typed|json] [up|no-maint]
// IID/PROXY: one proxy (-1: all); TYPE: a mask of 1 frontends, 2 backends,
// 4 servers (-1: all); SID: one server id (-1: all). "up" leaves out the
// servers that take no traffic (down or in maintenance), "no-maint" those in
// maintenance. "desc" adds each field's meaning to the typed form (the CSV
// and JSON forms have none, as in HAProxy). Words HAProxy does not know are
// ignored, as it does; "domain dns" is refused.
#include <string>
#include <vector>

#include "admin/stat_rows.h"

namespace hearth::admin {

struct StatQuery {
  enum class Format { kCsv, kTyped, kJson };
  Format format = Format::kCsv;
  int iid = -1;          // one proxy's id; -1: every proxy
  std::string proxy;     // a proxy named instead of its id
  int type_mask = -1;    // 1 frontend, 2 backend, 4 server rows
  int sid = -1;          // one server id; -1: all
  bool up_only = false;  // "up"
  bool no_maint = false;
  bool desc = false;  // "desc": typed lines end with :"what the field means"
};

// Parses the words after "show stat". Returns: "" or the refusal (answer text).
std::string parse_stat_query(const std::vector<std::string>& w, size_t first, StatQuery* q);

// Returns: whether `row` of proxy `px` is one the query asks for.
bool stat_row_selected(const StatQuery& q, const StatProxy& px, const StatRow& row);

// Returns: the rows in HAProxy's typed form, one "T.IID.SID.POS.NAME.1:TAGS:TYPE:VALUE"
// line per field with a value (desc: followed by :"MEANING"), then an empty line.
std::string stat_typed(const std::vector<StatRow>& rows, bool desc = false);

}  // namespace hearth::admin
