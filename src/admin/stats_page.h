#pragma once
// The stats page's builder: answers what a proxy's "stats uri" lets through
// (stream/stats_service.h) with the HTML page, its CSV (";csv"), or, for an
// admin form, the action applied and a 303 to ";st=RESULT". Runs on the worker
// thread that serves the request and reads only shared counters, never the
// per-thread pools (their columns stay empty here).
#include <cstdint>
#include <string>

#include "admin/runtime_api.h"
#include "admin/stat_rows.h"
#include "stream/stats_service.h"

namespace hearth::admin {

// What the page's options ask for, read from the target after the stats URI
// (HAProxy's ";csv", ";up", ";norefresh", ";st=CODE" anywhere in it).
struct StatsView {
  bool csv = false, json = false, up_only = false, norefresh = false;
  std::string status;  // the result code of an admin action ("DONE", "DENY"...)
  std::string search;  // "scope=TEXT": only proxies whose name contains TEXT (any case)
};
// Returns: the view `rest` asks for (a "scope=" value is cut at 31 characters, as HAProxy).
StatsView parse_stats_view(std::string_view rest);

class StatsPage {
 public:
  StatsPage(StatSources src, RuntimeApi::ProcessInfo info, int nthreads);

  // Fills `out` for `req` (stream::StatsPageFn with ctx = this).
  static void build_cb(const stream::StatsPageRequest& req, stream::StatsPageAnswer* out,
                       void* ctx);
  void build(const stream::StatsPageRequest& req, stream::StatsPageAnswer* out) const;

 private:
  // Returns: the rows shown: the proxies in the page's scope, with their
  // servers (only UP ones under ";up").
  std::vector<StatRow> rows(const stream::StatsPageRequest& req, const StatsView& view) const;

  StatSources src_;
  RuntimeApi::ProcessInfo info_;
  int nthreads_;
  int64_t start_ms_;
};

}  // namespace hearth::admin
