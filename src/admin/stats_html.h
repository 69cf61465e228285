#pragma once
// The stats page in HTML: the process header, a legend, then one table per
// proxy (frontend, servers, backend) with HAProxy's figures. Plain HTML and
// CSS, no script; the admin actions are a form per backend.
#include <string>
#include <vector>

#include "admin/runtime_api.h"
#include "admin/stat_rows.h"
#include "config/stats_page_model.h"

namespace hearth::admin {

struct StatsView;

struct StatsHtmlInput {
  const config::StatsPageConfig* cfg = nullptr;
  const StatsView* view = nullptr;
  const std::vector<StatRow>* rows = nullptr;  // proxy after proxy, as stat_rows() gives them
  const RuntimeApi::ProcessInfo* info = nullptr;
  int nthreads = 1;
  int64_t uptime_ms = 0;
  bool admin = false;  // offer the admin form
};

// Returns: the whole page.
std::string render_stats_html(const StatsHtmlInput& in);

// Returns: `s` with &, <, >, " and ' escaped for HTML text and attributes.
std::string html_escape(const std::string& s);
// Returns: a duration as "1d2h", "3h4m", "5m6s" or "7s".
std::string human_duration(int64_t seconds);

}  // namespace hearth::admin
