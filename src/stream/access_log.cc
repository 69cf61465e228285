#include "stream/access_log.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "net/connection.h"

namespace hearth::stream {

const char* const kHttpLogFormat =
    "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc "
    "%sq/%bq %hr %hs %{+Q}r";
const char* const kHttpClfLogFormat =
    "%{+Q}o %{-Q}ci - - [%trg] %r %ST %B \"\" \"\" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc "
    "%ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl";
const char* const kHttpsLogFormat =
    "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc "
    "%sq/%bq %hr %hs %{+Q}r %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/"
    "%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc";
const char* const kTcpLogFormat =
    "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";

bool configure_frontend_log(const config::ProxyConfig& p, bool http, FrontendLog* log,
                            std::string* err) {
  const char* predefined = nullptr;
  switch (p.log_format) {
    case config::LogFormat::kDefault:
      log->connect_line = true;
      break;
    case config::LogFormat::kTcp:
      predefined = kTcpLogFormat;
      break;
    case config::LogFormat::kHttp:
      predefined = http ? kHttpLogFormat : kTcpLogFormat;
      break;
    case config::LogFormat::kHttpClf:
      predefined = http ? kHttpClfLogFormat : kTcpLogFormat;
      break;
    case config::LogFormat::kHttps:
      predefined = http ? kHttpsLogFormat : kTcpLogFormat;
      break;
    case config::LogFormat::kCustom:
      log->fmt = p.logcfg.custom;
      break;
  }
  if (predefined) {
    auto f = expr::LogFormat::parse_log(predefined, expr::kUseLog, err);
    if (!f) return false;
    log->fmt = std::move(f);
  }
  if (log->fmt && log->fmt->empty()) log->fmt.reset();  // log-format "" : HAProxy logs nothing
  log->unique_id = p.logcfg.unique_id;
  log->unique_id_header = p.logcfg.unique_id_header;
  // tcp mode has the slots too (tcp-request content capture fills them).
  log->req_caps = p.logcfg.req_caps;
  log->res_caps = p.logcfg.res_caps;
  log->cookie_cap = p.logcfg.cookie_cap;
  if (log->fmt) {
    log->request_line = log->fmt->uses_request_line();
    log->backend_src =
        log->fmt->uses(expr::LogVar::kBackendIp) || log->fmt->uses(expr::LogVar::kBackendPort);
    using V = expr::LogVar;
    for (V v : {V::kBytesOut, V::kBytesIn, V::kTermState, V::kActConn,  V::kFeConn,  V::kBeConn,
                V::kSrvConn,  V::kRetries, V::kReuse,     V::kSrvQueue, V::kBeQueue, V::kTh,
                V::kTi,       V::kTR,      V::kTq,        V::kTw,       V::kTc,      V::kTr,
                V::kTa,       V::kTt,      V::kTd,        V::kTu,       V::kUniqueId})
      log->waits_for_end = log->waits_for_end || log->fmt->uses(v);
  }
  log->logasap = p.logasap;
  if (p.logasap) log->waits_for_end = false;
  return true;
}

void debug_log_format(FrontendLog* log) {
  if (!log->connect_line) return;
  std::string err;
  log->fmt = expr::LogFormat::parse_log(kTcpLogFormat, expr::kUseAny, &err);
  log->connect_line = false;
}

uint64_t next_request_id() {
  static std::atomic<uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

void to_log_addr(const sockaddr* sa, expr::LogAddr* out, int unix_port) {
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    out->family = AF_INET;
    memcpy(out->bytes, &in->sin_addr, 4);
    out->port = ntohs(in->sin_port);
  } else if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    out->family = AF_INET6;
    memcpy(out->bytes, &in6->sin6_addr, 16);
    out->port = ntohs(in6->sin6_port);
  } else if (sa->sa_family == AF_UNIX) {
    out->family = AF_UNIX;
    out->port = uint16_t(unix_port);
  } else {
    out->family = 0;
  }
}

void local_log_addr(int fd, expr::LogAddr* out) {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    out->family = 0;
    return;
  }
  to_log_addr(reinterpret_cast<const sockaddr*>(&ss), out);
}

namespace {

std::string& log_hostname() {
  static std::string name;
  return name;
}

// The process id as text, kept per thread and redone after a fork.
std::string_view pid_text() {
  static thread_local pid_t pid = -1;
  static thread_local char text[16];
  static thread_local size_t len = 0;
  if (const pid_t now = getpid(); now != pid) {
    pid = now;
    len = size_t(snprintf(text, sizeof text, "%d", int(now)));
  }
  return std::string_view(text, len);
}

}  // namespace

void set_log_hostname(std::string name) { log_hostname() = std::move(name); }

namespace {
size_t g_max_text = 1023;
}

void set_max_log_len(int len) { g_max_text = size_t(std::max(len, 1024)) - 1; }

void set_log_sinks(FrontendLog* log, std::vector<std::shared_ptr<LogSink>> sinks) {
  log->sinks = std::move(sinks);
  log->max_level = -1;
  for (const auto& s : log->sinks) log->max_level = std::max(log->max_level, s->level());
}

int8_t traffic_log_level(const FrontendLog& log, const expr::LogRecord& r, int8_t set_level) {
  const char t = r.term ? r.term[0] : '-';
  const bool err =
      r.redispatched || (t != '-' && t != 'L') || (t == '-' && r.retries > 0) || r.status >= 500;
  if (!err && log.dontlog_normal) return config::kLogSilent;
  if (set_level != config::kLogNotSet) return set_level;
  return err && log.separate_errors ? config::kLogErr : config::kLogInfo;
}

void send_log_line(const FrontendLog& log, int8_t level, std::string_view sd,
                   std::string_view line) {
  const SyslogMeta meta{log_hostname(), log.tag, pid_text()};
  line = line.substr(0, g_max_text);
  sd = sd.substr(0, g_max_text);
  for (const auto& s : log.sinks) s->send(level, meta, sd, line);
}

void emit_connect_line(const FrontendLog& log, const net::Connection& client,
                       const std::string& fe_name, bool http, const net::Address* from_addr,
                       const net::Address* to_addr) {
  expr::LogAddr from, to;
  to_log_addr(from_addr ? from_addr->sa() : client.peer().sa(), &from);
  if (to_addr)
    to_log_addr(to_addr->sa(), &to);
  else
    local_log_addr(client.fd(), &to);
  static thread_local std::string line;
  line.assign("Connect from ");
  expr::LogRecord r;
  r.client = from;
  r.frontend = to;
  expr::render_log_var(expr::LogVar::kClientIp, 0, r, &line);
  line.push_back(':');
  expr::render_log_var(expr::LogVar::kClientPort, 0, r, &line);
  line.append(" to ");
  expr::render_log_var(expr::LogVar::kFrontendIp, 0, r, &line);
  line.push_back(':');
  expr::render_log_var(expr::LogVar::kFrontendPort, 0, r, &line);
  line.append(" (").append(fe_name).append(http ? "/HTTP)" : "/TCP)");
  send_log_line(log, config::kLogInfo, {}, line);
}

void emit_access_log(FrontendLog& log, expr::FetchContext* ctx, expr::LogRecord& r, int8_t level) {
  if (!log.fmt || level == config::kLogSilent || level > log.max_level) return;
  r.log_counter = log.count.fetch_add(1, std::memory_order_relaxed);
  r.partial = log.logasap;
  static thread_local std::string line;
  line.clear();
  log.fmt->render(ctx, r, &line);
  std::string_view sd;
  if (log.sd) {  // rendered after the line: both stay valid until they are sent
    static thread_local std::string sd_text;
    sd_text.clear();
    log.sd->render(ctx, r, &sd_text);
    sd = sd_text;
  }
  send_log_line(log, level, sd, line);
}

}  // namespace hearth::stream
