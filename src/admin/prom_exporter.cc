#include "admin/prom_exporter.h"

#include <cstdio>
#include <ctime>

#include "admin/prom_metrics.h"
#include "core/clock.h"
#include "stick/registry.h"

namespace hearth::admin {
namespace {

const char* const kServerStates[] = {"DOWN", "UP", "MAINT", "DRAIN", "NOLB"};
const char* const kCheckStates[] = {"HANA",   "SOCKERR", "L4OK",     "L4TOUT", "L4CON", "L6OK",
                                    "L6TOUT", "L6RSP",   "L7TOUT",   "L7RSP",  "L7OK",  "L7OKC",
                                    "L7STS",  "PROCERR", "PROCTOUT", "PROCOK"};
const char* const kCodes[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
constexpr int kServerStateCount = 5, kCheckStateCount = 16;

const char* scope_prefix(PromScope s) {
  switch (s) {
    case PromScope::kFrontend:
      return "haproxy_frontend_";
    case PromScope::kListener:
      return "haproxy_listener_";
    case PromScope::kBackend:
      return "haproxy_backend_";
    case PromScope::kServer:
      return "haproxy_server_";
    default:
      return "haproxy_process_";
  }
}

// The index in kServerStates of a server row's status text.
int server_state(const std::string& status) {
  if (status.rfind("MAINT", 0) == 0) return 2;
  if (status.rfind("DRAIN", 0) == 0) return 3;
  if (status.rfind("NOLB", 0) == 0) return 4;
  if (status.rfind("DOWN", 0) == 0) return 0;
  return 1;  // UP, UP n/m (going down), no check
}

// The index in kCheckStates of a row's check_status ("* " while running), or -1.
int check_state(std::string_view status) {
  if (status.rfind("* ", 0) == 0) status.remove_prefix(2);
  for (int i = 0; i < kCheckStateCount; ++i)
    if (status == kCheckStates[i]) return i;
  return -1;
}

void head(std::string& out, const std::string& name, PromType type, const char* help) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name +
         (type == PromType::kCounter ? " counter\n" : " gauge\n");
}

// `v` in milliseconds as seconds, as HAProxy prints it ("0.013000"): the
// digits moved by three places, no floating point.
std::string seconds(const std::string& v) {
  if (v.empty()) return "NaN";
  const bool neg = v[0] == '-';
  std::string digits = v.substr(neg ? 1 : 0);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return (neg ? "-" : "") + digits.substr(0, digits.size() - 3) + "." +
         digits.substr(digits.size() - 3) + "000";
}

// Returns: the labels of row `r`, without the closing brace:
// {proxy="NAME"[,server="NAME"] (made once per row, used by every metric).
std::string row_labels(const StatRow& r) {
  std::string l = "{proxy=\"";
  prom_label(l, r.f[kPxname]);
  l += '"';
  if (r.type == StatType::kServer || r.type == StatType::kListener) {
    l += r.type == StatType::kServer ? ",server=\"" : ",listener=\"";
    prom_label(l, r.f[kSvname]);
    l += '"';
  }
  return l;
}

// One metric's lines for one row (a frontend, a backend or a server).
class RowPrinter {
 public:
  RowPrinter(std::string& out, const std::string& name, const std::string& labels)
      : out_(out), name_(name), labels_(labels) {}

  void line(const char* extra_label, const char* extra_value, std::string_view v) {
    out_ += name_;
    out_ += labels_;
    if (extra_label) {
      out_ += ',';
      out_ += extra_label;
      out_ += "=\"";
      out_ += extra_value;
      out_ += '"';
    }
    out_ += "} ";
    out_ += v.empty() ? std::string_view("NaN") : v;
    out_ += '\n';
  }

 private:
  std::string& out_;
  const std::string& name_;
  const std::string& labels_;
};

// Per state, the servers of `rows` (a backend's) in it: by status or by check result.
void backend_states(RowPrinter& p, const std::vector<const StatRow*>& servers, bool checks) {
  const int n = checks ? kCheckStateCount : kServerStateCount;
  std::vector<int> count(size_t(n), 0);
  for (const StatRow* s : servers) {
    const int i = checks ? check_state(s->f[kCheckStatus]) : server_state(s->f[kStatus]);
    if (i >= 0) ++count[size_t(i)];
  }
  for (int i = 0; i < n; ++i)
    p.line("state", checks ? kCheckStates[i] : kServerStates[i], std::to_string(count[size_t(i)]));
}

bool http_row(const StatRow& r) { return r.f[kMode] == "http"; }
// A server whose checks run: checked and not in maintenance (which pauses them).
bool checked_row(const StatRow& r) {
  return r.srv && r.srv->health.checked && server_state(r.f[kStatus]) != 2;
}

// The lines of metric `m` for row `r` (servers: the backend's server rows;
// code: the response class of a kHttpCodes metric, which HAProxy prints class
// after class, each over every row).
void print_metric(RowPrinter& p, const PromMetric& m, const StatRow& r,
                  const std::vector<const StatRow*>& servers, int code) {
  switch (m.kind) {
    case PromKind::kValue:
      if (m.field == kCheckCode && r.f[kCheckCode].empty()) return p.line(nullptr, nullptr, "0");
      return p.line(nullptr, nullptr, r.f[m.field]);
    case PromKind::kMillis:
      return p.line(nullptr, nullptr, seconds(r.f[m.field]));
    case PromKind::kHttpCodes:
      return p.line("code", kCodes[code], r.f[kHrsp1xx + size_t(code)]);
    case PromKind::kStatus:
      if (r.type == StatType::kServer) {
        const int st = server_state(r.f[kStatus]);
        for (int i = 0; i < kServerStateCount; ++i)
          p.line("state", kServerStates[i], st == i ? "1" : "0");
      } else if (r.type == StatType::kListener) {
        for (const char* st : {"WAITING", "OPEN", "FULL"})
          p.line("state", st, r.f[kStatus] == st ? "1" : "0");
      } else {  // a frontend is UP while it accepts (OPEN); a backend as its row says
        const bool up = r.f[kStatus] == "OPEN" || r.f[kStatus] == "UP";
        p.line("state", "DOWN", up ? "0" : "1");
        p.line("state", "UP", up ? "1" : "0");
      }
      return;
    case PromKind::kServerStates:
      return backend_states(p, servers, false);
    case PromKind::kCheckStates:
      if (r.type == StatType::kBackend) return backend_states(p, servers, true);
      for (int i = 0, st = check_state(r.f[kCheckStatus]); i < kCheckStateCount; ++i)
        p.line("state", kCheckStates[i], st == i ? "1" : "0");
      return;
  }
}

}  // namespace

void prom_label(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

PromExporter::PromExporter(StatSources src, RuntimeApi::ProcessInfo info, int nthreads,
                           int64_t start_ms)
    : src_(std::move(src)),
      info_(std::move(info)),
      nthreads_(nthreads),
      start_ms_(start_ms),
      start_wall_s_(int64_t(time(nullptr)) -
                    (MonotonicClock::instance()->now_ms() - start_ms) / 1000) {}

void PromExporter::serve_cb(const stream::ServiceRequest& req, stream::ServiceAnswer* out,
                            void* ctx) {
  PromQuery q;
  if (!parse_prom_query(req.target, &q)) {
    out->status = 400;
    return;
  }
  out->status = 200;
  out->fields = {{"cache-control", "no-cache"}, {"content-type", "text/plain; version=0.0.4"}};
  out->body = static_cast<const PromExporter*>(ctx)->render(q);
}

std::string PromExporter::render(const PromQuery& q) const {
  std::string out;
  if (q.scopes & kScopeGlobal) render_process(out);
  render_proxies(out, q);
  if (q.scopes & kScopeStickTable) render_sticktables(out);
  render_hearth(out, q);
  return out;
}

void PromExporter::render_sticktables(std::string& out) const {
  const auto& tables = stick::all_tables();
  if (tables.empty()) return;
  for (const bool used : {false, true}) {
    const std::string name = used ? "haproxy_sticktable_used" : "haproxy_sticktable_size";
    head(out, name, PromType::kGauge,
         used ? "Number of entries used in this stick table." : "Stick table size.");
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
      const stick::Table& t = **it;
      out += name + "{name=\"" + t.config().name + "\",type=\"" +
             stick::key_type_name(t.config().type) + "\"} " +
             std::to_string(used ? t.count() : t.config().size) + "\n";
    }
  }
}

void PromExporter::render_proxies(std::string& out, const PromQuery& q) const {
  if (!(q.scopes & (kScopeFrontend | kScopeListener | kScopeBackend | kScopeServer))) return;
  // Every row once, then metric after metric over the rows of its scope.
  std::vector<backend::Server*> servers;
  const std::vector<StatProxy> proxies = stat_proxies(src_);
  for (const StatProxy& px : proxies)
    if (px.be)
      for (auto& s : px.be->servers()) servers.push_back(s.get());
  const std::vector<PoolThreadStats> pools = read_pool_stats(servers);
  StatOptions opt;
  opt.pools = &pools;
  size_t pool_index = 0;
  std::vector<StatRow> rows;
  rows.reserve(servers.size() + 2 * proxies.size());
  for (const StatProxy& px : proxies)
    for (StatRow& r : stat_rows(px, src_, opt, &pool_index)) rows.push_back(std::move(r));
  std::vector<std::string> labels;
  labels.reserve(rows.size());
  for (const StatRow& r : rows) labels.push_back(row_labels(r));
  // About 60 lines of some 70 bytes per row: one allocation instead of many.
  out.reserve(out.size() + rows.size() * 60 * 70);
  // The server rows of each backend row, for the aggregated states.
  std::vector<std::vector<const StatRow*>> backend_servers(rows.size());
  for (size_t i = 0, first = 0; i < rows.size(); ++i) {
    if (rows[i].type != StatType::kServer && rows[i].type != StatType::kBackend) first = i + 1;
    if (rows[i].type != StatType::kBackend) continue;
    for (size_t k = first; k < i; ++k) backend_servers[i].push_back(&rows[k]);
    first = i + 1;
  }
  auto wanted = [&](const PromMetric& m) {
    switch (m.scope) {
      case PromScope::kFrontend:
        return (q.scopes & kScopeFrontend) != 0;
      case PromScope::kListener:
        return (q.scopes & kScopeListener) != 0;
      case PromScope::kBackend:
        return (q.scopes & kScopeBackend) != 0;
      case PromScope::kServer:
        return (q.scopes & kScopeServer) != 0;
      default:
        return false;
    }
  };
  auto type_of = [](PromScope s) {
    return s == PromScope::kFrontend   ? StatType::kFrontend
           : s == PromScope::kListener ? StatType::kListener
           : s == PromScope::kBackend  ? StatType::kBackend
                                       : StatType::kServer;
  };
  for (size_t mi = 0; mi < kPromMetricCount; ++mi) {
    const PromMetric& m = kPromMetrics[mi];
    if (!wanted(m)) continue;
    const StatType type = type_of(m.scope);
    const std::string name = std::string(scope_prefix(m.scope)) + m.name;
    // A backend's aggregated states need servers to aggregate.
    const bool aggregate = m.kind == PromKind::kServerStates ||
                           (m.kind == PromKind::kCheckStates && type == StatType::kBackend);
    bool headed = false;
    for (int code = 0; code < (m.kind == PromKind::kHttpCodes ? 6 : 1); ++code) {
      for (size_t i = 0; i < rows.size(); ++i) {
        const StatRow& r = rows[i];
        if (r.type != type) continue;
        if ((m.flags & kHttpOnly) && !http_row(r)) continue;
        if ((m.flags & kCheckedOnly) && !checked_row(r)) continue;
        if (q.no_maint && type == StatType::kServer && server_state(r.f[kStatus]) == 2) continue;
        if (aggregate && backend_servers[i].empty()) continue;
        if (!headed) head(out, name, m.type, m.help), headed = true;
        RowPrinter p(out, name, labels[i]);
        print_metric(p, m, r, backend_servers[i], code);
      }
    }
  }
}

}  // namespace hearth::admin
