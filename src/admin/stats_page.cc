#include "admin/stats_page.h"

#include <algorithm>
#include <cctype>

#include "admin/stats_admin.h"
#include "admin/stats_html.h"
#include "admin/stats_json.h"
#include "core/clock.h"

namespace hearth::admin {

StatsView parse_stats_view(std::string_view rest) {
  StatsView v;
  v.csv = rest.find(";csv") != std::string_view::npos;
  v.json = rest.find(";json") != std::string_view::npos;
  v.up_only = rest.find(";up") != std::string_view::npos;
  v.norefresh = rest.find(";norefresh") != std::string_view::npos;
  if (const size_t at = rest.find("scope="); at != std::string_view::npos) {
    std::string_view text = rest.substr(at + 6);
    text = text.substr(0, std::min(text.find_first_of(";&#"), size_t(31)));
    v.search = form_decode(text);
  }
  const size_t st = rest.find(";st=");
  if (st != std::string_view::npos) {
    std::string_view code = rest.substr(st + 4);
    code = code.substr(0, code.find_first_of(";&?#"));
    v.status.assign(code);
  }
  return v;
}

StatsPage::StatsPage(StatSources src, RuntimeApi::ProcessInfo info, int nthreads)
    : src_(std::move(src)),
      info_(std::move(info)),
      nthreads_(nthreads),
      start_ms_(MonotonicClock::instance()->now_ms()) {}

void StatsPage::build_cb(const stream::StatsPageRequest& req, stream::StatsPageAnswer* out,
                         void* ctx) {
  static_cast<const StatsPage*>(ctx)->build(req, out);
}

namespace {

// Returns: true if `name` contains `text`, ignoring case.
bool contains_nocase(std::string_view name, std::string_view text) {
  auto eq = [](char a, char b) { return std::tolower(uint8_t(a)) == std::tolower(uint8_t(b)); };
  return std::search(name.begin(), name.end(), text.begin(), text.end(), eq) != name.end();
}

}  // namespace

std::vector<StatRow> StatsPage::rows(const stream::StatsPageRequest& req,
                                     const StatsView& view) const {
  const std::vector<std::string>& scope = req.cfg->scope;
  StatOptions opt;
  opt.show_addr = req.cfg->show_legends;
  const std::vector<StatProxy> proxies = stat_proxies(src_);
  std::vector<backend::Server*> servers;  // every proxy's: pool_index counts them all
  for (const StatProxy& px : proxies)
    if (px.be)
      for (auto& s : px.be->servers()) servers.push_back(s.get());
  const std::vector<PoolThreadStats> pools = read_pool_stats(servers);
  opt.pools = &pools;
  std::vector<StatRow> out;
  size_t pool_index = 0;
  for (const StatProxy& px : proxies) {
    if ((!scope.empty() && std::find(scope.begin(), scope.end(), px.name) == scope.end()) ||
        (!view.search.empty() && !contains_nocase(px.name, view.search))) {
      if (px.be) pool_index += px.be->servers().size();  // its servers' pool figures
      continue;
    }
    for (StatRow& r : stat_rows(px, src_, opt, &pool_index)) {
      // ";up": servers that are not UP are left out (those without checks stay).
      if (view.up_only && r.srv && !r.srv->serving()) continue;
      out.push_back(std::move(r));
    }
  }
  return out;
}

void StatsPage::build(const stream::StatsPageRequest& req, stream::StatsPageAnswer* out) const {
  const config::StatsPageConfig& cfg = *req.cfg;
  out->fields.emplace_back("cache-control", "no-cache");
  if (req.post) {  // an admin form: applied (or denied), then back to the page
    const std::string who = "client " + req.client;
    const std::string code = req.admin ? apply_stats_form(req.body, src_, who) : "DENY";
    out->status = 303;
    out->fields.emplace_back("location", cfg.uri + ";st=" + code);
    return;
  }
  const StatsView view = parse_stats_view(req.rest);
  const std::vector<StatRow> rows = this->rows(req, view);
  if (view.json) {
    out->fields.emplace_back("content-type", "application/json");
    out->body = stat_json(rows);
    return;
  }
  if (view.csv) {
    out->fields.emplace_back("content-type", "text/plain");
    out->body = stat_csv_header();
    for (const StatRow& r : rows) out->body += stat_csv_line(r);
    return;
  }
  if (cfg.refresh_ms > 0 && !view.norefresh)
    out->fields.emplace_back("refresh", std::to_string((cfg.refresh_ms + 999) / 1000));
  out->fields.emplace_back("content-type", "text/html; charset=utf-8");
  StatsHtmlInput in;
  in.cfg = &cfg;
  in.view = &view;
  in.rows = &rows;
  in.info = &info_;
  in.nthreads = nthreads_;
  in.uptime_ms = MonotonicClock::instance()->now_ms() - start_ms_;
  in.admin = req.admin;
  out->body = render_stats_html(in);
}

}  // namespace hearth::admin
