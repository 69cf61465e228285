#include "stream/conn_error_log.h"

#include <string>

#include "expr/log_vars.h"
#include "net/listener.h"
#include "stream/access_log.h"
#include "stream/frontend.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"

namespace hearth::stream {

void log_conn_error(const Frontend& fe, const net::Connection& c, int64_t accept_wall_ms,
                    std::string_view message) {
  const FrontendLog& log = fe.logs;
  if (!fe.log || log.max_level < config::kLogInfo) return;
  expr::LogRecord r;
  const Session* sess = Session::of(&c);
  to_log_addr(c.peer().sa(), &r.client, sess && sess->bind ? sess->bind->id : 0);
  r.accept_ms = accept_wall_ms;
  static thread_local std::string line;
  line.clear();
  const int8_t level = log.separate_errors ? config::kLogErr : config::kLogInfo;
  if (log.error) {  // error-log-format: the connection's fetches (fc_err, ssl_fc_*...)
    local_log_addr(c.fd(), &r.frontend);
    r.fe_name = fe.name;
    r.fe_ssl = c.xprt && c.xprt->ssl(&c);
    r.term = "--";
    TxnFetch fetch(expr::kUseConn, &c, &fe, nullptr, nullptr, nullptr);
    log.error->render(&fetch, r, &line);
    send_log_line(log, level, {}, line);
    return;
  }
  expr::render_log_var(expr::LogVar::kClientIp, 0, r, &line);
  line.push_back(':');
  expr::render_log_var(expr::LogVar::kClientPort, 0, r, &line);
  line.append(" [");
  expr::render_log_var(expr::LogVar::kDate, 0, r, &line);
  line.append("] ").append(fe.name).push_back('/');
  const Session* s = sess;
  // An unnamed bind line is shown by its number, as HAProxy does.
  if (s && s->bind && !s->bind->name.empty())
    line.append(s->bind->name);
  else
    line.append(std::to_string(s && s->bind ? s->bind->id : 0));
  line.append(": ").append(message);
  send_log_line(log, level, {}, line);
}

}  // namespace hearth::stream
