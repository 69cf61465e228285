#include "admin/stat_query.h"

#include <climits>
#include <optional>

#include "admin/stats_json.h"
#include "backend/server.h"
#include "config/units.h"

namespace hearth::admin {
namespace {

// An int, as config::parse_int reads it.
bool parse_int(const std::string& s, int* out) {
  const std::optional<int64_t> v = config::parse_int(s);
  if (!v || *v < INT_MIN || *v > INT_MAX) return false;
  *out = int(*v);
  return true;
}

}  // namespace

std::string parse_stat_query(const std::vector<std::string>& w, size_t first, StatQuery* q) {
  size_t i = first;
  if (i + 1 < w.size() && w[i] == "domain") {
    if (w[i + 1] != "proxy") return "Invalid statistics domain.\n\n";
    i += 2;
  }
  // Three words "IID|PROXY TYPE SID" select; fewer are not a filter.
  int scratch = 0;
  if (i + 2 < w.size() && parse_int(w[i + 1], &scratch) && parse_int(w[i + 2], &scratch)) {
    if (!parse_int(w[i], &q->iid)) {
      q->proxy = w[i];
      q->iid = -1;
    }
    parse_int(w[i + 1], &q->type_mask);
    parse_int(w[i + 2], &q->sid);
    i += 3;
  }
  for (; i < w.size(); ++i) {
    if (w[i] == "typed")
      q->format = StatQuery::Format::kTyped;
    else if (w[i] == "json")
      q->format = StatQuery::Format::kJson;
    else if (w[i] == "up")
      q->up_only = true;
    else if (w[i] == "no-maint")
      q->no_maint = true;
    else if (w[i] == "desc")
      q->desc = true;
  }
  return "";
}

bool stat_row_selected(const StatQuery& q, const StatProxy& px, const StatRow& row) {
  if (q.iid != -1 && px.id != q.iid) return false;
  if (!q.proxy.empty() && px.name != q.proxy) return false;
  // HAProxy's type bits: frontends 1, backends 2, servers 4, listeners 8.
  const int bit = row.type == StatType::kFrontend  ? 1
                  : row.type == StatType::kBackend ? 2
                  : row.type == StatType::kServer  ? 4
                                                   : 8;
  if (q.type_mask != -1 && !(q.type_mask & bit)) return false;
  if (row.type != StatType::kServer) return true;
  if (q.sid != -1 && row.srv && row.srv->puid != q.sid) return false;
  if (row.srv && q.up_only && !row.srv->serving()) return false;
  if (row.srv && q.no_maint && (row.srv->in_maintenance() || !row.srv->has_addr.load()))
    return false;
  return true;
}

std::string stat_typed(const std::vector<StatRow>& rows, bool desc) {
  std::string o;
  for (const StatRow& r : rows) {
    const char letter = r.type == StatType::kFrontend  ? 'F'
                        : r.type == StatType::kBackend ? 'B'
                        : r.type == StatType::kServer  ? 'S'
                                                       : 'L';
    const bool own_id = r.type == StatType::kServer || r.type == StatType::kListener;
    const std::string head =
        std::string(1, letter) + "." + r.f[kIid] + "." + (own_id ? r.f[kSid] : "0") + ".";
    for_each_typed_field(r, [&](size_t f, size_t pos, const StatFieldMeta& m) {
      o += head + std::to_string(pos) + "." + kStatFieldNames[f] + ".1:" + m.tags + ":" + m.type +
           ":" + r.f[f] + (desc ? std::string(":\"") + stat_field_desc(f) + "\"" : "") + "\n";
    });
  }
  return o + "\n";
}

}  // namespace hearth::admin
