#include "admin/stat_rows.h"

#include <map>

#include "backend/health_check.h"
#include "backend/lb.h"
#include "backend/server_track.h"
#include "core/clock.h"

namespace hearth::admin {
namespace {

std::string num(int64_t v) { return std::to_string(v); }

// Sets every field in `fields` to "0": counters of features Hearth does not
// have (compression, cache, HTTP/2, rate limits) that HAProxy shows as 0.
void zero(StatRow& r, std::initializer_list<StatField> fields) {
  for (StatField f : fields) r.f[f] = "0";
}

const char* mode_name(config::Mode m) { return m == config::Mode::kHttp ? "http" : "tcp"; }

// The status column of a server: MAINT, DRAIN, NOLB, "no check", or the
// checks' state.
std::string server_status(const backend::Server& s) {
  if (s.imaint.load())  // as HAProxy, forced or not: the server it tracks directly
    return "MAINT (via " + s.track.be->name() + "/" + s.track.srv->name + ")";
  if (s.disabled.load()) return "MAINT";
  if (!s.has_addr.load()) return "MAINT (resolution)";
  // As HAProxy: " (agent)" when an agent-check is configured and has not
  // said the server is up (its health is 0).
  const bool agent_on = s.agent_health.checked && s.agent_health.enabled.load();
  const std::string by_agent = agent_on && s.agent_health.health.load() == 0 ? " (agent)" : "";
  if (s.draining() && s.up.load()) return "DRAIN" + by_agent;
  if (s.stopping.load() && s.up.load()) return "NOLB" + by_agent;
  if (s.track.srv) {  // as HAProxy: the checks at the end of its chain, its own state
    const backend::ServerHealth& h = backend::track_root(s).health;
    if (h.checked && h.enabled.load())
      return backend::health_status_text(h.health.load(), h.rise, h.fall, s.up.load()) + by_agent;
  }
  // Unchecked, or its checks disabled from the runtime API.
  if (!s.health.checked || !s.health.enabled.load()) {
    if (!s.up.load()) return "DOWN" + by_agent;  // an agent or an operator took it down
    return agent_on ? "UP" + by_agent : "no check";
  }
  const bool up = s.up.load();
  if (!up && !by_agent.empty()) return "DOWN (agent)";  // the agent's word, whatever the counter
  return backend::health_status_text(s.health.health.load(), s.health.rise, s.health.fall, up) +
         by_agent;
}

// The hrsp_* columns: the per-thread blocks `t`'s status classes summed.
// Returns: their total.
template <typename T>
uint64_t fill_http_statuses(StatRow& r, const PerThread<T>& t) {
  uint64_t cls[6] = {}, total = 0;
  t.each([&](const T& b) {
    for (int i = 0; i < 6; ++i) cls[i] += b.hrsp.cls[i].get();
  });
  for (int i = 0; i < 6; ++i) {
    r.f[kHrsp1xx + i] = num(int64_t(cls[i]));
    total += cls[i];
  }
  return total;
}

// The error columns a backend and its servers both keep: dresp, eresp,
// cli_abrt, srv_abrt (stream/abort_counts.h says what counts where).
template <typename T, typename C>
void fill_errors(StatRow& r, const C& c) {
  r.f[kDresp] = num(int64_t(c.sum(&T::denied_resp)));
  r.f[kEresp] = num(int64_t(c.sum(&T::failed_resp)));
  r.f[kCliAbrt] = num(int64_t(c.sum(&T::cli_aborts)));
  r.f[kSrvAbrt] = num(int64_t(c.sum(&T::srv_aborts)));
}

// A gauge kept as two counts: how many are open of those `made` and `ended`
// (read `ended` first: each one counted ended was counted made by then).
std::string still_open(uint64_t made, uint64_t ended) {
  return num(made > ended ? int64_t(made - ended) : 0);
}

// The ssl_* columns of a server, or of a backend (its servers' summed).
void fill_server_tls(StatRow& r, uint64_t full, uint64_t resumed, uint64_t failed) {
  r.f[kSslSess] = num(int64_t(full));
  r.f[kSslReusedSess] = num(int64_t(resumed));
  r.f[kSslFailedHandshake] = num(int64_t(failed));
}

// The counts a frontend and its listeners both keep.
void fill_frontend_counts(StatRow& r, const stream::FrontendCounters& c) {
  using T = stream::FrontendTallies;
  r.f[kSmax] = num(c.max_conns.load());
  r.f[kStot] = num(int64_t(c.sum(&T::sessions)));
  r.f[kBin] = num(int64_t(c.sum(&T::bytes_in)));
  r.f[kBout] = num(int64_t(c.sum(&T::bytes_out)));
  r.f[kDreq] = num(int64_t(c.sum(&T::denied_req)));
  r.f[kDresp] = num(int64_t(c.sum(&T::denied_resp)));
  r.f[kEreq] = num(int64_t(c.sum(&T::req_errors)));
  r.f[kDcon] = num(int64_t(c.sum(&T::denied_conn)));
  r.f[kDses] = num(int64_t(c.sum(&T::denied_sess)));
  r.f[kWrew] = num(int64_t(c.sum(&T::failed_rewrites)));
  r.f[kSslSess] = num(int64_t(c.sum(&T::ssl_sessions)));
  r.f[kSslReusedSess] = num(int64_t(c.sum(&T::ssl_reused)));
  r.f[kSslFailedHandshake] = num(int64_t(c.sum(&T::failed_handshakes)));
}

// Returns: the status of a frontend, or of a listener of it that accepts
// (`open`), from the frontend's admin state.
const char* admin_status(const stream::Frontend& fe, const char* open) {
  switch (fe.admin_state.load()) {
    case stream::Frontend::AdminState::kPaused:
      return "PAUSED";
    case stream::Frontend::AdminState::kStopped:
      return "STOP";
    default:
      return open;
  }
}

StatRow frontend_row(const StatProxy& px, const StatSources& src, int64_t now) {
  const stream::Frontend& fe = *px.fe;
  const stream::FrontendCounters& c = fe.counters;
  using T = stream::FrontendTallies;
  const bool http = fe.mode == config::Mode::kHttp;
  StatRow r;
  r.type = StatType::kFrontend;
  r.f[kSvname] = "FRONTEND";
  r.f[kScur] = num(fe.cur_conns.load());
  const int fe_maxconn = fe.maxconn.load();
  r.f[kSlim] = num(fe_maxconn > 0 ? fe_maxconn : src.global_maxconn);
  fill_frontend_counts(r, c);
  r.f[kStatus] = admin_status(fe, "OPEN");
  r.f[kSid] = "0";
  r.f[kRate] = num(backend::rate_sum(c.t, &T::sess_rate, c.sess_rate_max, now));
  r.f[kRateMax] = num(c.sess_rate_max.max());
  r.f[kReqRate] = num(backend::rate_sum(c.t, &T::req_rate, c.req_rate_max, now));
  r.f[kReqRateMax] = num(c.req_rate_max.max());
  r.f[kReqTot] = num(int64_t(c.sum(&T::http_requests)));
  // Every accepted connection is a session in Hearth: conn_* are the sessions'.
  r.f[kConnRate] = r.f[kRate];
  r.f[kConnRateMax] = r.f[kRateMax];
  r.f[kConnTot] = r.f[kStot];
  r.f[kRateLim] = num(int64_t(fe.sess_rate_limit));  // rate-limit sessions (0: none)
  zero(r, {kCompIn, kCompOut, kCompByp, kCompRsp, kEint, kH2HeadersRcvd, kH2DataRcvd,
           kH2SettingsRcvd, kH2RstStreamRcvd, kH2GoawayRcvd, kH2DetectedConnProtocolErrors,
           kH2DetectedStrmProtocolErrors, kH2RstStreamResp, kH2GoawayResp, kH2OpenConnections,
           kH2BackendOpenStreams, kH2TotalConnections, kH2BackendTotalStreams});
  if (http) {
    fill_http_statuses(r, c.t);
    r.f[kIntercepted] = num(int64_t(c.sum(&T::intercepted)));
    zero(r, {kCacheLookups, kCacheHits});
    // HTTP/1 is the only HTTP Hearth speaks: its connections are the frontend's.
    r.f[kH1OpenConnections] = r.f[kScur];
    const uint64_t ended = c.sum(&T::h1_streams_closed);
    r.f[kH1OpenStreams] = still_open(c.sum(&T::h1_streams_opened), ended);
    r.f[kH1TotalConnections] = r.f[kStot];
    r.f[kH1TotalStreams] = r.f[kReqTot];
    r.f[kH1BytesIn] = r.f[kBin];
    r.f[kH1BytesOut] = r.f[kBout];
    r.f[kH1SplicedBytesIn] = num(int64_t(c.sum(&T::spliced_in)));
    r.f[kH1SplicedBytesOut] = num(int64_t(c.sum(&T::spliced_out)));
  } else {
    zero(r, {kH1OpenConnections, kH1OpenStreams, kH1TotalConnections, kH1TotalStreams, kH1BytesIn,
             kH1BytesOut, kH1SplicedBytesIn, kH1SplicedBytesOut});
  }
  r.f[kMode] = mode_name(fe.mode);
  return r;
}

// A bind line's row (HAProxy's listener): its own sessions, bytes, denials
// and errors; its name ("name", else "sock-ID") and address.
StatRow listener_row(const stream::Frontend& fe, const stream::BindStats& bs,
                     const StatOptions& opt) {
  const net::BindInfo& b = *bs.bind;
  StatRow r;
  r.type = StatType::kListener;
  r.f[kSvname] = b.name.empty() ? "sock-" + num(b.id) : b.name;
  r.f[kScur] = num(b.cur.load());
  r.f[kSlim] = num(b.maxconn);
  fill_frontend_counts(r, bs.counters);
  // FULL at its own maxconn; WAITING while its frontend's or the process's
  // maxconn holds it back (HAProxy's limited listener).
  const int fe_max = fe.maxconn.load();
  const bool limited = (fe_max > 0 && fe.cur_conns.load() >= fe_max) ||
                       stream::Frontend::global_conns() >= stream::Frontend::global_maxconn();
  r.f[kStatus] = admin_status(fe, b.full() ? "FULL" : limited ? "WAITING" : "OPEN");
  r.f[kSid] = num(b.id);
  if (opt.show_addr) r.f[kAddr] = bs.addr;
  zero(r, {kEint});
  r.f[kMode] = mode_name(fe.mode);
  return r;
}

bool has_l7_data(backend::CheckStatus s) {
  return s == backend::CheckStatus::kL7Ok || s == backend::CheckStatus::kL7OkCd ||
         s == backend::CheckStatus::kL7Sts || s == backend::CheckStatus::kProcErr ||
         s == backend::CheckStatus::kProcTout || s == backend::CheckStatus::kProcOk;
}

// The agent_* columns and last_agt, from what the agent-check last said.
void fill_agent(StatRow& r, const backend::Server& s) {
  const backend::ServerHealth& h = s.agent_health;
  if (!h.checked || !h.enabled.load()) return;  // as HAProxy: none while disabled
  const backend::ServerHealth::LastCheck last = h.last();
  if (last.status != backend::CheckStatus::kNone) {
    r.f[kAgentStatus] = backend::check_status_code(last.status);
    r.f[kAgentDesc] = backend::check_status_reason(last.status);
  }
  if (last.code || has_l7_data(last.status)) r.f[kAgentCode] = num(last.code);
  if (last.duration_ms >= 0) r.f[kAgentDuration] = num(last.duration_ms);
  r.f[kLastAgt] = last.info;
  r.f[kAgentRise] = num(h.rise);
  r.f[kAgentFall] = num(h.fall);
  r.f[kAgentHealth] = num(h.health.load());
}

void fill_check(StatRow& r, const backend::Server& s) {
  fill_agent(r, s);
  const backend::ServerHealth& h = s.health;
  if (!h.checked || !h.enabled.load()) return;  // as HAProxy: none while disabled
  r.f[kChkfail] = num(int64_t(h.failed_checks.load()));
  r.f[kChkdown] = num(int64_t(h.down_transitions.load()));
  const backend::ServerHealth::LastCheck last = h.last();
  if (last.status != backend::CheckStatus::kNone) {
    r.f[kCheckStatus] = backend::check_status_code(last.status);
    r.f[kCheckDesc] = backend::check_status_reason(last.status);
  }
  // As HAProxy: the statuses that carry layer 5-7 data show their code, 0 included.
  if (last.code || has_l7_data(last.status)) r.f[kCheckCode] = num(last.code);
  if (last.duration_ms >= 0) r.f[kCheckDuration] = num(last.duration_ms);
  // As HAProxy 2.6: an on-error action has no duration, which its CSV shows
  // as -1 read unsigned.
  if (last.status == backend::CheckStatus::kHana) r.f[kCheckDuration] = "18446744073709551615";
  if (s.passive.mode != backend::ObserveMode::kNone)
    r.f[kHanafail] = num(int64_t(s.passive.failed()));
  r.f[kLastChk] = last.info;
  r.f[kCheckRise] = num(h.rise);
  r.f[kCheckFall] = num(h.fall);
  r.f[kCheckHealth] = num(h.health.load());
}

// The timing columns: averages and maxima of queue, connect, response, total.
template <typename T>
void fill_times(StatRow& r, const PerThread<T>& t, const backend::TimeMax& m) {
  using W = backend::TimeTallies::Which;
  const StatField avg[4] = {kQtime, kCtime, kRtime, kTtime};
  const StatField max[4] = {kQtimeMax, kCtimeMax, kRtimeMax, kTtimeMax};
  for (int i = 0; i < 4; ++i) {
    r.f[avg[i]] = num(backend::time_avg(t, W(i)));
    r.f[max[i]] = num(m.max[i].load(std::memory_order_relaxed));
  }
}

// Its weight as HAProxy shows it: with a dynamic algorithm the effective
// one (slowstart lowers it), rounded up from sixteenths.
int shown_weight(const backend::Backend& be, const backend::Server& s) {
  if (!be.dynamic_lb()) return s.weight.load();
  return (s.lb_weight() + backend::kWeightScale - 1) / backend::kWeightScale;
}

StatRow server_row(backend::Backend& be, backend::Server& s, const StatOptions& opt,
                   const PoolThreadStats* pool, int64_t now) {
  const backend::ServerCounters& c = s.counters;
  using T = backend::ServerTallies;
  StatRow r;
  r.type = StatType::kServer;
  r.be = &be;
  r.srv = &s;
  r.f[kSvname] = s.name;
  r.f[kQcur] = num(int64_t(be.server_queue_length(&s)));
  r.f[kQmax] = num(c.max_queue.load());
  r.f[kLastsess] = num(backend::last_age_s(c.t, &T::last_sess, now));
  fill_times(r, c.t, c.times_max);
  r.f[kScur] = num(s.cur_sess.load());
  r.f[kSmax] = num(c.max_sess.load());
  if (const int m = s.maxconn.load(); m > 0) r.f[kSlim] = num(m);
  r.f[kStot] = num(int64_t(c.sum(&T::sessions)));
  r.f[kBin] = num(int64_t(c.sum(&T::bytes_in)));
  r.f[kBout] = num(int64_t(c.sum(&T::bytes_out)));
  r.f[kEcon] = num(int64_t(c.sum(&T::failed_conns)));
  fill_errors<T>(r, c);
  fill_server_tls(r, c.sum(&T::ssl_sessions), c.sum(&T::ssl_reused),
                  c.sum(&T::ssl_failed_handshakes));
  r.f[kWretr] = num(int64_t(c.sum(&T::retries)));
  r.f[kWredis] = num(int64_t(c.sum(&T::redispatches)));
  r.f[kStatus] = server_status(s);
  r.f[kWeight] = num(s.draining() ? 0 : shown_weight(be, s));
  // While slowstart ramps: the effective weight in % of the configured one.
  if (const int step = s.warm_step.load(); step >= 0 && !s.draining())
    r.f[kThrottle] =
        num(be.dynamic_lb()
                ? backend::slowstart_throttle(s.weight.load(),
                                              backend::slowstart_weight_factor(step, s.slowstart_s))
                : 100);
  if (s.track.srv) r.f[kTracked] = s.track.be->name() + "/" + s.track.srv->name;
  r.f[kAct] = s.backup ? "0" : "1";
  r.f[kBck] = s.backup ? "1" : "0";
  fill_check(r, s);
  r.f[kLastchg] = num((now - s.health.last_change_ms()) / 1000);
  if (s.health.checked && s.health.enabled.load())
    r.f[kDowntime] = num(s.health.downtime_ms(now) / 1000);
  if (s.maxqueue > 0) r.f[kQlimit] = num(s.maxqueue);
  r.f[kSid] = num(s.puid);
  r.f[kLbtot] = num(int64_t(c.sum(&T::lb_picks)));
  r.f[kRate] = num(backend::rate_sum(c.t, &T::sess_rate, c.sess_rate_max, now));
  r.f[kRateMax] = num(c.sess_rate_max.max());
  // As HAProxy: a server's req_tot and hrsp_* count the responses it sent
  // (none when it failed to answer), with their own status even when a
  // rule replaced it.
  if (be.settings.mode == config::Mode::kHttp)
    r.f[kReqTot] = num(int64_t(fill_http_statuses(r, c.t)));
  if (opt.show_addr && s.has_addr.load()) r.f[kAddr] = s.address().str();
  if (!s.cookie().empty())
    r.f[kCookie] = std::string(s.cookie());  // its persistence cookie's value
  r.f[kMode] = mode_name(be.settings.mode);
  r.f[kConnect] = num(int64_t(c.sum(&T::conns_opened)));
  r.f[kReuse] = num(int64_t(c.sum(&T::reused)));
  if (pool) {
    r.f[kSrvIcur] = num(int64_t(pool->idle));
    r.f[kIdleConnCur] = num(int64_t(pool->unsafe));
    r.f[kSafeConnCur] = num(int64_t(pool->safe));
  }
  if (s.pool_settings.max_conn >= 0) r.f[kSrcIlim] = num(s.pool_settings.max_conn);
  r.f[kUsedConnCur] = r.f[kScur];
  r.f[kNeedConnEst] = num(s.est_need.load());
  r.f[kUweight] = num(s.weight);
  r.f[kWrew] = "0";  // rewrites are counted per frontend only
  zero(r, {kEint});
  return r;
}

StatRow backend_row(backend::Backend& be, int64_t now) {
  const backend::BackendCounters& c = be.counters;
  using T = backend::BackendTallies;
  StatRow r;
  r.type = StatType::kBackend;
  r.be = &be;
  r.f[kSvname] = "BACKEND";
  r.f[kQcur] = num(int64_t(be.queue_length()));
  r.f[kQmax] = num(c.max_queue.load());
  r.f[kLastsess] = num(backend::last_age_s(c.t, &T::last_sess, now));
  fill_times(r, c.t, c.times_max);
  r.f[kScur] = num(c.cur_conns.load());
  r.f[kSmax] = num(c.max_conns.load());
  r.f[kSlim] = num(be.settings.fullconn);
  r.f[kStot] = num(int64_t(c.sum(&T::sessions)));
  r.f[kBin] = num(int64_t(c.sum(&T::bytes_in)));
  r.f[kBout] = num(int64_t(c.sum(&T::bytes_out)));
  uint64_t econ = c.sum(&T::no_server), retr = 0, redis = 0, lbtot = 0, conns = 0, reuse = 0;
  uint64_t tls_full = 0, tls_resumed = 0, tls_failed = 0, closed = 0;
  int w_act = 0, w_bck = 0, n_act = 0, n_bck = 0, u_act = 0, u_bck = 0;
  for (const auto& s : be.servers()) {
    using S = backend::ServerTallies;
    const backend::ServerCounters& sc = s->counters;
    econ += sc.sum(&S::failed_conns);
    retr += sc.sum(&S::retries);
    redis += sc.sum(&S::redispatches);
    lbtot += sc.sum(&S::lb_picks);
    closed += sc.sum(&S::conns_closed);  // first (still_open)
    conns += sc.sum(&S::conns_opened);
    reuse += sc.sum(&S::reused);
    tls_full += sc.sum(&S::ssl_sessions);
    tls_resumed += sc.sum(&S::ssl_reused);
    tls_failed += sc.sum(&S::ssl_failed_handshakes);
    if (!s->usable()) continue;
    (s->backup ? n_bck : n_act) += 1;
    (s->backup ? w_bck : w_act) += be.dynamic_lb() ? s->lb_weight() : s->weight.load();
    (s->backup ? u_bck : u_act) += s->weight;
  }
  r.f[kEcon] = num(int64_t(econ));
  fill_errors<T>(r, c);
  fill_server_tls(r, tls_full, tls_resumed, tls_failed);
  // HAProxy 2.6 counts no request denial in a backend's dreq in any case we
  // could produce side by side (http-request deny and tarpit in a backend,
  // tcp-request content reject in a backend, a listen's deny): 0, as it shows.
  r.f[kDreq] = "0";
  // Placeholders in HAProxy 2.6's CSV, always 0 (its Prometheus exporter
  // counts servers per state instead, as prom_metrics.cc does).
  zero(r, {kAggServerStatus, kAggServerCheckStatus, kAggCheckStatus});
  r.f[kWretr] = num(int64_t(retr));
  r.f[kWredis] = num(int64_t(redis));
  // As HAProxy: the active servers carry the weight, else the backups; a
  // backend without servers is UP (it may answer by itself).
  int weight = n_act ? w_act : w_bck;
  // The dynamic algorithms count in 1/16 (slowstart): shown rounded up.
  if (be.dynamic_lb()) weight = (weight + backend::kWeightScale - 1) / backend::kWeightScale;
  r.f[kStatus] = weight > 0 || be.servers().empty() ? "UP" : "DOWN";
  r.f[kWeight] = num(weight);
  r.f[kAct] = num(n_act);
  r.f[kBck] = num(n_bck);
  // As HAProxy: its transitions to DOWN and last change always, the time it
  // spent DOWN once it has servers.
  r.f[kChkdown] = num(int64_t(be.history.down_transitions()));
  r.f[kLastchg] = num((now - be.history.last_change_ms()) / 1000);
  if (!be.servers().empty()) r.f[kDowntime] = num(be.history.downtime_ms(now) / 1000);
  r.f[kSid] = "0";
  r.f[kLbtot] = num(int64_t(lbtot));
  r.f[kRate] = num(backend::rate_sum(c.t, &T::sess_rate, c.sess_rate_max, now));
  r.f[kRateMax] = num(c.sess_rate_max.max());
  if (be.settings.mode == config::Mode::kHttp) {
    fill_http_statuses(r, c.t);
    r.f[kReqTot] = num(int64_t(c.sum(&T::http_requests)));
    zero(r, {kCacheLookups, kCacheHits});
    // The h1 module's view from the server side: its connections (idle ones
    // too), the transactions on them, responses in and requests out.
    r.f[kH1OpenConnections] = still_open(conns, closed);
    r.f[kH1OpenStreams] = r.f[kScur];
    r.f[kH1TotalConnections] = num(int64_t(conns));
    r.f[kH1TotalStreams] = r.f[kReqTot];
    r.f[kH1BytesIn] = r.f[kBout];
    r.f[kH1BytesOut] = r.f[kBin];
    r.f[kH1SplicedBytesIn] = num(int64_t(c.sum(&T::spliced_in)));
    r.f[kH1SplicedBytesOut] = num(int64_t(c.sum(&T::spliced_out)));
  } else {
    zero(r, {kH1OpenConnections, kH1OpenStreams, kH1TotalConnections, kH1TotalStreams, kH1BytesIn,
             kH1BytesOut, kH1SplicedBytesIn, kH1SplicedBytesOut});
  }
  r.f[kMode] = mode_name(be.settings.mode);
  r.f[kAlgo] = backend::lb_name(be.lb_kind());
  if (!be.settings.cookie.name.empty()) r.f[kCookie] = be.settings.cookie.name;
  r.f[kConnect] = num(int64_t(conns));
  r.f[kReuse] = num(int64_t(reuse));
  r.f[kUweight] = num(n_act ? u_act : u_bck);
  r.f[kWrew] = "0";
  zero(r, {kCompIn, kCompOut, kCompByp, kCompRsp, kEint, kH2HeadersRcvd, kH2DataRcvd,
           kH2SettingsRcvd, kH2RstStreamRcvd, kH2GoawayRcvd, kH2DetectedConnProtocolErrors,
           kH2DetectedStrmProtocolErrors, kH2RstStreamResp, kH2GoawayResp, kH2OpenConnections,
           kH2BackendOpenStreams, kH2TotalConnections, kH2BackendTotalStreams});
  return r;
}

// The fields every row has: names, pid, ids, type, and the module separator.
void fill_common(StatRow& r, const StatProxy& px) {
  r.f[kPxname] = px.name;
  r.f[kPid] = "1";
  r.f[kIid] = num(px.id);
  r.f[kType] = num(int(r.type));
  r.f[kModSep] = "-";
}

}  // namespace

std::vector<StatProxy> stat_proxies(const StatSources& src) {
  // A listen's halves share their name and id; a frontend and a backend of
  // the same name are two proxies with two ids.
  std::map<std::pair<int, std::string>, StatProxy> by_name;
  for (stream::Frontend* f : src.frontends) {
    StatProxy& p = by_name[{f->id, f->name}];
    p.name = f->name;
    p.id = f->id;
    p.fe = f;
  }
  for (backend::Backend* b : src.backends) {
    StatProxy& p = by_name[{b->id, b->name()}];
    p.name = b->name();
    p.id = b->id;
    p.be = b;
  }
  std::vector<StatProxy> out;
  for (auto& [key, p] : by_name) out.push_back(p);  // ordered by id
  return out;
}

std::vector<StatRow> stat_rows(const StatProxy& px, const StatSources& src, const StatOptions& opt,
                               size_t* pool_index) {
  const int64_t now = MonotonicClock::instance()->now_ms();
  std::vector<StatRow> rows;
  rows.reserve((px.be ? px.be->servers().size() + 1 : 0) + 1);
  if (px.fe) {
    rows.push_back(frontend_row(px, src, now));
    for (const auto& bs : px.fe->bind_stats) rows.push_back(listener_row(*px.fe, *bs, opt));
  }
  if (px.be) {
    for (const auto& s : px.be->servers()) {
      const size_t i = (*pool_index)++;
      const PoolThreadStats* pool = opt.pools && i < opt.pools->size() ? &(*opt.pools)[i] : nullptr;
      rows.push_back(server_row(*px.be, *s, opt, pool, now));
    }
    rows.push_back(backend_row(*px.be, now));
  }
  for (StatRow& r : rows) fill_common(r, px);
  return rows;
}

std::string stat_csv_header() {
  std::string out = "# ";
  for (const char* n : kStatFieldNames) out.append(n).push_back(',');
  out.push_back('\n');
  return out;
}

std::string stat_csv_line(const StatRow& row) {
  std::string out;
  for (const std::string& v : row.f) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
      out.append(v);
    } else {  // quoted, a quote doubled, a line break made a blank (one row per line)
      out.push_back('"');
      for (char c : v) {
        if (c == '"') out.push_back('"');
        out.push_back(c == '\r' || c == '\n' ? ' ' : c);
      }
      out.push_back('"');
    }
    out.push_back(',');
  }
  out.push_back('\n');
  return out;
}

std::vector<PoolThreadStats> read_pool_stats(const std::vector<backend::Server*>& servers) {
  std::vector<PoolThreadStats> out(servers.size());
  for (size_t i = 0; i < servers.size(); ++i) {
    for (const auto& p : servers[i]->pools) {
      if (!p) continue;
      out[i].safe += p->safe_count();
      out[i].unsafe += p->unsafe_count();
      out[i].stale += p->stale_caught();
    }
    out[i].idle = out[i].safe + out[i].unsafe;
    out[i].stale += servers[i]->counters.sum(&backend::ServerTallies::stale_idle);
  }
  return out;
}

}  // namespace hearth::admin
