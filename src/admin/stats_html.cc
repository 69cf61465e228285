#include "admin/stats_html.h"

#include <unistd.h>

#include "admin/stats_page.h"
#include "config/build_info.h"

namespace hearth::admin {
namespace {

// Hearth's own style: compact tables that stay readable with many servers.
constexpr const char kStyle[] =
    "body{font-family:sans-serif;font-size:13px;margin:1em;color:#222}"
    "h1{font-size:20px;margin:0 0 .3em}h2{font-size:15px;margin:1.2em 0 .2em}"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:1px 4px}"
    "table.px td{text-align:right;white-space:nowrap}table.px td.n{text-align:left}"
    "table.px th{background:#d8dcee;font-weight:normal}"
    "tr.fe td,tr.be td{background:#eef0f8;font-weight:bold}tr.so td{background:#f6f7fb}"
    "tr.up td{background:#c8f0c8}tr.down td{background:#f4b8b8}"
    "tr.maint td{background:#c8c8f4}tr.drain td{background:#f4e0a8}"
    "tr.going td{background:#f0f0a0}tr.bkup td{background:#a8d8f0}"
    "tr.nocheck td{background:#e8e8e8}"
    ".info td{border:none;padding:0 1em 0 0}.msg{padding:4px;border:1px solid #888;"
    "background:#ffd;display:inline-block}.legend span{padding:0 6px;margin-right:4px}"
    ".small{font-size:11px;color:#555}";

std::string status_message(const std::string& code) {
  if (code == "DONE") return "The action was applied.";
  if (code == "PART") return "The action was applied to some of the servers only.";
  if (code == "NONE") return "Nothing changed: no server was selected.";
  if (code == "ERRP")
    return "The action was not applied: unknown backend, or an action this page does not offer.";
  if (code == "DENY") return "The action was refused: this client has no admin access.";
  return "Unknown result '" + code + "'.";
}

// Returns: the CSS class of a server row after its status column.
const char* server_class(const StatRow& r) {
  const std::string& st = r.f[kStatus];
  if (st == "MAINT") return "maint";
  if (st == "DRAIN") return "drain";
  if (st == "no check") return r.srv && r.srv->backup ? "bkup" : "nocheck";
  if (st.rfind("DOWN", 0) == 0) return st == "DOWN" ? "down" : "going";
  if (st.size() > 2) return "going";  // "UP 1/3": failing checks
  return r.srv && r.srv->backup ? "bkup" : "up";
}

void cell(std::string& o, const std::string& v, const std::string& title = "") {
  o += title.empty() ? "<td>" : "<td title=\"" + html_escape(title) + "\">";
  o += html_escape(v);
  o += "</td>";
}

void head(std::string& o, bool admin, bool modules) {
  o += "<thead><tr>";
  if (admin) o += "<th rowspan=\"2\">Select</th>";
  o += "<th rowspan=\"2\">Name</th><th colspan=\"3\">Queue</th>"
       "<th colspan=\"3\">Session rate</th><th colspan=\"6\">Sessions</th>"
       "<th colspan=\"2\">Bytes</th><th colspan=\"2\">Denied</th><th colspan=\"3\">Errors</th>"
       "<th colspan=\"2\">Warnings</th><th colspan=\"9\">Server</th>";
  if (modules) o += "<th rowspan=\"2\">Modules</th>";
  o += "</tr><tr>";
  for (const char* h :
       {"Cur",   "Max",    "Limit",   "Cur",  "Max", "Limit", "Cur", "Max",  "Limit",  "Total",
        "LbTot", "Last",   "In",      "Out",  "Req", "Resp",  "Req", "Conn", "Resp",   "Retr",
        "Redis", "Status", "LastChk", "Wght", "Act", "Bck",   "Chk", "Dwn",  "Dwntme", "Thrtle"})
    o += std::string("<th>") + h + "</th>";
  o += "</tr></thead>\n";
}

// The status cell: the state and for how long; the check's result after it.
void status_cells(std::string& o, const StatRow& r) {
  std::string st = r.f[kStatus];
  if (r.type != StatType::kFrontend && !r.f[kLastchg].empty())
    st += " " + human_duration(std::stoll(r.f[kLastchg]));
  cell(o, st);
  std::string chk;
  if (!r.f[kCheckStatus].empty()) {
    chk = r.f[kCheckStatus];
    if (!r.f[kCheckCode].empty()) chk += "/" + r.f[kCheckCode];
    if (!r.f[kCheckDuration].empty()) chk += " in " + r.f[kCheckDuration] + "ms";
  }
  cell(o, chk, r.f[kCheckDesc].empty() ? "" : r.f[kCheckDesc] + ": " + r.f[kLastChk]);
}

// The "Last" cell: the time since the last session ("never": none yet;
// blank on rows that do not count it).
std::string last_session(const std::string& secs) {
  if (secs.empty()) return "";
  const long long v = std::stoll(secs);
  return v < 0 ? "never" : human_duration(v);
}

void row(std::string& o, const StatRow& r, const StatsHtmlInput& in) {
  const bool admin_form = in.admin && r.be;
  const char* cls = r.type == StatType::kFrontend   ? "fe"
                    : r.type == StatType::kBackend  ? "be"
                    : r.type == StatType::kListener ? "so"
                                                    : server_class(r);
  o += std::string("<tr class=\"") + cls + "\">";
  if (in.admin) {  // the selection column of the admin form
    o += "<td class=\"n\">";
    if (admin_form && r.type == StatType::kServer)
      o += "<input type=\"checkbox\" name=\"s\" value=\"" + html_escape(r.f[kSvname]) + "\">";
    o += "</td>";
  }
  o += "<td class=\"n\">" + html_escape(r.type == StatType::kFrontend  ? "Frontend"
                                        : r.type == StatType::kBackend ? "Backend"
                                                                       : r.f[kSvname]);
  if (in.cfg->show_legends && (r.type == StatType::kServer || r.type == StatType::kListener))
    o += " <span class=\"small\">" + html_escape(r.f[kAddr]) + " id " + r.f[kSid] + "</span>";
  o += "</td>";
  for (StatField f :
       {kQcur,     kQmax, kQlimit, kRate, kRateMax, kRateLim, kScur, kSmax,  kSlim,  kStot,  kLbtot,
        kLastsess, kBin,  kBout,   kDreq, kDresp,   kEreq,    kEcon, kEresp, kWretr, kWredis})
    cell(o, f == kLastsess ? last_session(r.f[f]) : r.f[f]);
  status_cells(o, r);
  for (StatField f : {kWeight, kAct, kBck, kChkfail, kChkdown}) cell(o, r.f[f]);
  cell(o, r.f[kDowntime].empty() ? "" : human_duration(std::stoll(r.f[kDowntime])));
  cell(o, r.f[kThrottle]);
  if (in.cfg->show_modules) {
    std::string tip;
    for (size_t f = kModSep + 1; f < kStatFieldCount; ++f)
      if (!r.f[f].empty()) tip += std::string(kStatFieldNames[f]) + ": " + r.f[f] + "\n";
    cell(o, tip.empty() ? "" : "ssl, h2, h1", tip);
  }
  o += "</tr>\n";
}

void process_header(std::string& o, const StatsHtmlInput& in) {
  const config::StatsPageConfig& cfg = *in.cfg;
  const std::string node = cfg.node.empty() ? in.info->node : cfg.node;
  o += "<h1>Hearth statistics";
  if (!cfg.hide_version)
    o += " <span class=\"small\">version " + html_escape(std::string(config::hearth_version())) +
         "</span>";
  o += "</h1>\n<table class=\"info\"><tr><td>pid = " + std::to_string(getpid()) +
       " (process #1, nbthread = " + std::to_string(in.nthreads) + ")</td></tr>";
  o += "<tr><td>uptime = " + human_duration(in.uptime_ms / 1000) + "</td></tr>";
  o += "<tr><td>system limits: ulimit-n = " + std::to_string(in.info->ulimit_n) +
       "; maxconn = " + std::to_string(in.info->maxconn) + "</td></tr>";
  o += "<tr><td>current conns = " + std::to_string(stream::Frontend::global_conns()) + "</td></tr>";
  if (cfg.show_node) o += "<tr><td>node = " + html_escape(node) + "</td></tr>";
  const std::string desc = cfg.desc.empty() ? in.info->description : cfg.desc;
  if (cfg.show_desc && !desc.empty()) o += "<tr><td>" + html_escape(desc) + "</td></tr>";
  o += "</table>\n";
}

void legend_and_links(std::string& o, const StatsHtmlInput& in) {
  o += "<p class=\"legend\"><span class=\"up\" style=\"background:#c8f0c8\">active UP</span>"
       "<span style=\"background:#a8d8f0\">backup UP</span>"
       "<span style=\"background:#f0f0a0\">going up or down</span>"
       "<span style=\"background:#f4b8b8\">DOWN</span>"
       "<span style=\"background:#f4e0a8\">draining</span>"
       "<span style=\"background:#c8c8f4\">maintenance</span>"
       "<span style=\"background:#e8e8e8\">not checked</span></p>\n";
  const std::string& uri = html_escape(in.cfg->uri);
  o += "<p>";
  o += in.view->up_only ? "<a href=\"" + uri + "\">Show all servers</a>"
                        : "<a href=\"" + uri + ";up\">Hide servers that are not UP</a>";
  if (in.cfg->refresh_ms > 0 && !in.view->norefresh)
    o += " | <a href=\"" + uri + ";norefresh\">Stop refreshing</a>";
  o += " | <a href=\"" + uri + ";csv\">CSV export</a></p>\n";
  // A plain GET form: the browser sends URI?scope=TEXT, no script needed.
  o += "<form method=\"get\" action=\"" + uri +
       "\">Proxies whose name contains "
       "<input type=\"text\" name=\"scope\" size=\"16\" maxlength=\"31\" value=\"" +
       html_escape(in.view->search) + "\"> <input type=\"submit\" value=\"Show\"></form>\n";
  if (!in.view->status.empty())
    o += "<p class=\"msg\">" + html_escape(status_message(in.view->status)) + "</p>\n";
}

// The admin controls under a backend's table.
void admin_controls(std::string& o, const StatRow& be_row) {
  o += "<p>Apply to the selected servers: <select name=\"action\">"
       "<option value=\"ready\">Set state to READY</option>"
       "<option value=\"drain\">Set state to DRAIN</option>"
       "<option value=\"maint\">Set state to MAINT</option>"
       "<option value=\"dhlth\">Health: disable checks</option>"
       "<option value=\"ehlth\">Health: enable checks</option>"
       "<option value=\"hrunn\">Health: force UP</option>"
       "<option value=\"hnolb\">Health: force NOLB</option>"
       "<option value=\"hdown\">Health: force DOWN</option>"
       "<option value=\"dagent\">Agent: disable checks</option>"
       "<option value=\"eagent\">Agent: enable checks</option>"
       "<option value=\"arunn\">Agent: force UP</option>"
       "<option value=\"adown\">Agent: force DOWN</option></select>"
       "<input type=\"hidden\" name=\"b\" value=\"#" +
       be_row.f[kIid] + "\"><input type=\"submit\" value=\"Apply\"></p>\n";
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string human_duration(int64_t s) {
  if (s < 0) s = 0;
  const int64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, sec = s % 60;
  if (d) return std::to_string(d) + "d" + std::to_string(h) + "h";
  if (h) return std::to_string(h) + "h" + std::to_string(m) + "m";
  if (m) return std::to_string(m) + "m" + std::to_string(sec) + "s";
  return std::to_string(sec) + "s";
}

std::string render_stats_html(const StatsHtmlInput& in) {
  std::string o;
  o.reserve(4096 + in.rows->size() * 1024);
  o += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Hearth statistics</title>"
       "<style>";
  o += kStyle;
  o += "</style></head><body>\n";
  process_header(o, in);
  legend_and_links(o, in);
  const std::vector<StatRow>& rows = *in.rows;
  for (size_t i = 0, end = 0; i < rows.size(); i = end) {
    // One proxy's rows: those of the same name and id that follow.
    const StatRow* be_row = nullptr;
    for (end = i; end < rows.size() && rows[end].f[kPxname] == rows[i].f[kPxname] &&
                  rows[end].f[kIid] == rows[i].f[kIid];
         ++end)
      if (rows[end].type == StatType::kBackend) be_row = &rows[end];
    const std::string& px = rows[i].f[kPxname];
    const bool form = in.admin && be_row;
    o += "<h2 id=\"" + html_escape(px) + "\">" + html_escape(px) + "</h2>\n";
    if (form) o += "<form method=\"post\" action=\"" + html_escape(in.cfg->uri) + "\">";
    o += "<table class=\"px\">";
    head(o, in.admin, in.cfg->show_modules);
    o += "<tbody>\n";
    for (size_t k = i; k < end; ++k) row(o, rows[k], in);
    o += "</tbody></table>\n";
    if (form) {
      admin_controls(o, *be_row);
      o += "</form>\n";
    }
  }
  o += "</body></html>\n";
  return o;
}

}  // namespace hearth::admin
