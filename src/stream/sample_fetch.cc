#include "stream/sample_fetch.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "backend/backend.h"
#include "backend/server.h"
#include "expr/sample_expr.h"
#include "http/headers.h"
#include "net/connection.h"
#include "net/listener.h"
#include "stream/fetch_util.h"
#include "stream/frontend.h"
#include "stream/http_auth.h"
#include "stream/http_captures.h"
#include "stream/session.h"
#include "stream/ssl_fetch.h"
#include "stream/txn_vars.h"

namespace hearth::stream {

using namespace fetch_util;

namespace {

using expr::FetchId;

std::map<std::string, backend::Backend*, std::less<>>& registry() {
  static std::map<std::string, backend::Backend*, std::less<>> m;
  return m;
}

}  // namespace

bool find_param(std::string_view rest, std::string_view name, char delim, expr::FetchIter& it,
                std::string_view* out) {
  int index = 0;
  while (!rest.empty()) {
    size_t end = 0;
    while (end < rest.size() && rest[end] != '&' && rest[end] != ';' && rest[end] != delim) ++end;
    const std::string_view param = rest.substr(0, end);
    rest = end < rest.size() ? rest.substr(end + 1) : std::string_view();
    const size_t eq = param.find('=');
    const std::string_view pname = param.substr(0, eq);
    if (!name.empty() && pname != name) continue;
    if (name.empty() && it.all && index++ < it.next) continue;
    *out = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
    if (name.empty() && it.all) {
      ++it.next;
      it.more = !rest.empty();
    }
    return true;
  }
  return false;
}

namespace {

// Cookies: the request's Cookie fields ("a=1; b=2"), or (set) the
// response's Set-Cookie fields, one cookie each, before its attributes. The
// value of `name` (its last occurrence, or each in turn when iterating), or
// with no name the first cookie's; with `count`, how many there are.
bool cookie(const http::HeaderList& fields, bool set, std::string_view name, expr::FetchIter& it,
            std::string_view* out, size_t* count) {
  size_t seen = 0;
  bool found = false;
  for (const http::HeaderField& h : fields) {
    if (!http::iequals(h.name, set ? "set-cookie" : "cookie")) continue;
    std::string_view v = h.value;
    while (!v.empty()) {
      const size_t semi = v.find(';');
      const std::string_view c = http::trim_ows(v.substr(0, semi));
      v = set || semi == std::string_view::npos ? std::string_view() : v.substr(semi + 1);
      const size_t eq = c.find('=');
      if (eq == std::string_view::npos) continue;
      if (!name.empty() && http::trim_ows(c.substr(0, eq)) != name) continue;
      const std::string_view value = http::trim_ows(c.substr(eq + 1));
      if (count) {
        ++seen;
        continue;
      }
      if (name.empty()) {
        *out = value;
        return true;
      }
      if (it.all) {
        if (int(seen++) < it.next) continue;
        ++it.next;
        it.more = true;  // the next call says whether one more exists
        *out = value;
        return true;
      }
      *out = value;
      found = true;
    }
  }
  if (count) *count = seen;
  if (it.all) it.more = false;
  return found;
}

}  // namespace

void register_backend(backend::Backend* be) { registry()[be->name()] = be; }

void clear_backend_registry() { registry().clear(); }

backend::Backend* find_registered_backend(std::string_view name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second;
}

namespace {

// connslots, be_conn, queue and avg_queue of `be` (HAProxy manual 7.3.2).
int64_t backend_load(FetchId id, backend::Backend& be) {
  const int64_t queued = int64_t(be.queue_length());
  switch (id) {
    case FetchId::kBeConn:
      return be.counters.cur_conns.load(std::memory_order_relaxed);
    case FetchId::kQueue:
      return queued;
    case FetchId::kAvgQueue: {
      // Without an active server the first backup takes the traffic (Hearth
      // has no "option allbackups"); with no server at all, twice the queue.
      const auto n = be.usable_servers();
      const int64_t nbsrv = n.active > 0 ? n.active : n.backup > 0 ? 1 : 0;
      return nbsrv > 0 ? (queued + nbsrv - 1) / nbsrv : queued * 2;
    }
    case FetchId::kBeConnFree: {
      // Free connection slots of the usable servers, the backups only when
      // no active one is; a server without maxconn makes it -1.
      const bool backups = be.usable_servers().active == 0;
      int64_t free = 0;
      for (const auto& s : be.servers()) {
        if (!s->usable() || s->backup != backups) continue;
        if (!s->maxconn) return -1;
        free += std::max<int64_t>(0, s->maxconn - s->cur_sess.load());
      }
      return free;
    }
    default: {
      // connslots: free connection and queue slots of the servers not
      // stopped; one without maxconn or maxqueue makes the sum meaningless,
      // and HAProxy answers -1.
      int64_t slots = 0;
      for (const auto& s : be.servers()) {
        if (!s->serving()) continue;
        if (!s->maxconn || !s->maxqueue) return -1;
        slots += std::max<int64_t>(0, s->maxconn - s->cur_sess.load());
        slots += std::max<int64_t>(0, s->maxqueue - int64_t(be.server_queue_length(s.get())));
      }
      return slots;
    }
  }
}

}  // namespace

void TxnFetch::count_failed_rewrite() const {
  // The counters are the frontend's own atomics; the fetch sees it as const
  // only because fetches do not change it.
  if (fe_)
    const_cast<Frontend*>(fe_)->count(&FrontendTallies::failed_rewrites,
                                      session_ ? session_->bind_counters : nullptr);
}

const backend::Server* TxnFetch::server_arg(const expr::Arg& a, backend::Backend** be_out) const {
  // a.sint: where the '/' is in "backend/server", -1 without a backend.
  const std::string_view ref = a.str;
  backend::Backend* be = a.sint < 0 ? const_cast<backend::Backend*>(be_)
                                    : find_registered_backend(ref.substr(0, size_t(a.sint)));
  if (!be) return nullptr;
  if (be_out) *be_out = be;
  return be->server_named(a.sint < 0 ? ref : ref.substr(size_t(a.sint) + 1));
}

backend::Backend* TxnFetch::backend_arg(const expr::Arg* args, size_t nargs) const {
  if (nargs > 0 && !args[0].str.empty()) return find_registered_backend(args[0].str);
  return const_cast<backend::Backend*>(be_);
}

bool TxnFetch::fetch(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                     expr::FetchIter& it, expr::Sample& out) {
  if (!(def.use & where_)) return false;  // never matches here, as HAProxy warned
  if (def.id == FetchId::kStick) return stick(expr::stick_fetch_query(def, args, nargs), out);
  if (def.id == FetchId::kHdrDir || def.id == FetchId::kCookieDir) {
    // The rule's direction picks the message (log lines read the request).
    static const expr::FetchDef* const kDir[2][2] = {
        {expr::find_fetch("req.hdr"), expr::find_fetch("res.hdr")},
        {expr::find_fetch("req.cook"), expr::find_fetch("res.cook")}};
    const bool response = on_response() && res_;
    return fetch(*kDir[def.id == FetchId::kCookieDir][response], args, nargs, it, out);
  }
  if (def.id >= FetchId::kReqLen) return false;  // buffered bytes: TcpFetch only
  if (def.id >= FetchId::kFcSrc) return fetch_more(def, args, nargs, it, out);
  if (def.id < FetchId::kCaptureReqMethod) return fetch_l4(def, args, nargs, out);
  if (def.id == FetchId::kCaptureReqHdr || def.id == FetchId::kCaptureResHdr) {
    std::string_view v;
    if (!caps_ || nargs < 1 || args[0].sint < 0 ||
        !caps_->get(def.id == FetchId::kCaptureResHdr, size_t(args[0].sint), &v))
      return false;
    out.set_str(v);
    return true;
  }
  if (def.id == FetchId::kHttpFirstReq) {
    if (!session_) return false;
    out.set_bool(session_->transactions == 0);  // finished keep-alive transactions
    return true;
  }
  if (def.id == FetchId::kUniqueId) {
    if (!unique_id_) return false;
    if (id_read_) *id_read_ = true;
    out.set_str(*unique_id_);
    return true;
  }
  if (def.id < FetchId::kMethod) return fetch_captured(def, out);
  if (def.id >= FetchId::kReqBody && def.id <= FetchId::kReqBodyParam)
    return req_ && fetch_body(def, args, nargs, it, out);
  if (def.id < FetchId::kStatus) return req_ && fetch_request(def, args, nargs, it, out);
  if (def.id >= FetchId::kResBody && def.id <= FetchId::kResBodySize)
    return res_ && fetch_body(def, args, nargs, it, out);
  return res_ && fetch_response(def, args, nargs, it, out);
}

expr::VarStore* TxnFetch::vars(expr::VarScope scope) {
  if (!vars_) return nullptr;
  if (scope == expr::VarScope::kReq && !(where_ & (expr::kUseReq | expr::kUseL6Req)))
    return nullptr;
  if (scope == expr::VarScope::kRes && !(where_ & (expr::kUseRes | expr::kUseL6Res)))
    return nullptr;
  return vars_->get(scope, session_);
}

bool TxnFetch::fetch_l4(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                        expr::Sample& out) {
  if (def.id >= FetchId::kSslFc && def.id <= FetchId::kSslFcProtocolHelloId)
    return fetch_ssl(def, args, nargs, client_, out);
  if (def.id >= FetchId::kSslBc && def.id <= FetchId::kSslSVersion)
    return fetch_ssl_bc(def, args, nargs, server_conn_, out);
  switch (def.id) {
    case FetchId::kSrc:
    case FetchId::kSrcPort: {
      if (!client_) return false;
      const net::Address& a = session_ ? session_->client_addr(client_) : client_->peer();
      if (def.id == FetchId::kSrc) return addr_sample(a.sa(), out);
      if (a.is_unix()) return false;  // no port, as HAProxy: no sample
      out.set_sint(a.port());
      return true;
    }
    case FetchId::kDst:
    case FetchId::kDstPort: {
      if (!client_) return false;
      std::optional<net::Address> a;
      if (session_) {
        a = session_->dst_addr(client_);
      } else {
        a = socket_address(client_->fd(), false);
      }
      if (!a) return false;
      if (def.id == FetchId::kDst) return addr_sample(a->sa(), out);
      if (a->is_unix()) return false;
      out.set_sint(a->port());
      return true;
    }
    case FetchId::kSoName:
    case FetchId::kSoId: {
      // The bind line of the client connection ("name", "id").
      const Session* s = session_ ? session_ : client_ ? Session::of(client_) : nullptr;
      if (!s || !s->bind) return false;
      if (def.id == FetchId::kSoId) {
        out.set_sint(s->bind->id);
        return true;
      }
      if (s->bind->name.empty()) return false;
      out.set_str(s->bind->name);
      return true;
    }
    case FetchId::kFeName:
      if (!fe_) return false;
      out.set_str(fe_->name);
      return true;
    case FetchId::kBeName:
      // Before switching, the frontend stands for the backend (HAProxy).
      if (be_)
        out.set_str(be_->name());
      else if (fe_)
        out.set_str(fe_->name);
      else
        return false;
      return true;
    case FetchId::kNbsrv: {
      const backend::Backend* be = backend_arg(args, nargs);
      if (!be) return false;
      const auto n = be->usable_servers();
      out.set_sint(n.active > 0 ? n.active : n.backup);
      return true;
    }
    case FetchId::kBeServerTimeout:
    case FetchId::kBeTunnelTimeout:
    case FetchId::kCurServerTimeout:
    case FetchId::kCurTunnelTimeout:
      out.set_sint(timeout_of(def.id));
      return true;
    case FetchId::kFeClientTimeout:
      if (!fe_) return false;
      out.set_sint(fe_->timeouts.client);
      return true;
    case FetchId::kLastRuleFile:
      if (!last_rule_ || !last_rule_->file) return false;
      out.set_str(*last_rule_->file);
      return true;
    case FetchId::kLastRuleLine:
      if (!last_rule_ || !last_rule_->file) return false;
      out.set_sint(last_rule_->line);
      return true;
    case FetchId::kFeId:
      if (!fe_) return false;
      out.set_sint(fe_->id);
      return true;
    case FetchId::kBeId:
      // Before switching, the frontend stands for the backend, as for be_name.
      if (!be_ && !fe_) return false;
      out.set_sint(be_ ? be_->id : fe_->id);
      return true;
    case FetchId::kSrvIsUp: {
      const backend::Server* s = server_arg(args[0], nullptr);
      if (!s) return false;
      out.set_bool(s->serving());  // UP, not DOWN nor in maintenance
      return true;
    }
    case FetchId::kConnslots:
    case FetchId::kBeConnFree:
    case FetchId::kBeConn:
    case FetchId::kQueue:
    case FetchId::kAvgQueue: {
      backend::Backend* be = backend_arg(args, nargs);
      if (!be) return false;
      out.set_sint(backend_load(def.id, *be));
      return true;
    }
    default:
      return false;
  }
}

// be_server_timeout & co: the backend's setting (a listen's own before
// switching; a frontend's is 0, as HAProxy's). cur_*: the stream's override,
// else, as HAProxy's, 0 until the stream has a server (the request rules)
// and the backend's from then on (response rules, the log).
int64_t TxnFetch::timeout_of(FetchId id) const {
  const bool tunnel = id == FetchId::kBeTunnelTimeout || id == FetchId::kCurTunnelTimeout;
  if (id == FetchId::kCurServerTimeout || id == FetchId::kCurTunnelTimeout) {
    const int64_t v = !tmo_ ? -1 : tunnel ? tmo_->tunnel : tmo_->server;
    if (v >= 0) return v;
    if (!srv_) return 0;
  }
  const backend::Backend* be = be_ ? be_ : fe_ ? fe_->own_backend : nullptr;
  if (!be) return 0;
  return tunnel ? be->settings.timeouts.tunnel : be->settings.timeouts.server;
}

bool TxnFetch::fetch_request(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                             expr::FetchIter& it, expr::Sample& out) {
  const http::MsgHead& r = *req_;
  const http::HeaderList& f = r.fields();
  const std::string_view name = nargs > 0 ? std::string_view(args[0].str) : std::string_view();
  const int64_t occ = nargs > 1 ? args[1].sint : 0;
  std::string_view v;
  switch (def.id) {
    case FetchId::kMethod: {
      const std::string_view m = r.method_str.empty() ? http::method_name(r.method) : r.method_str;
      out.set_meth(expr::meth_of(m), m);
      return true;
    }
    case FetchId::kPath:
      v = path_of(r.target);
      if (v.empty()) return false;
      out.set_str(v);
      return true;
    case FetchId::kPathq: {
      v = path_of(r.target);
      if (v.empty()) return false;
      const size_t at = size_t(v.data() - r.target.data());
      out.set_str(r.target.substr(at));
      return true;
    }
    case FetchId::kUrl:
      out.set_str(r.target);
      return true;
    case FetchId::kQuery:
      if (!query_of(r.target, &v)) return false;
      out.set_str(v);
      return true;
    case FetchId::kBase:
      return host_then(f, path_of(r.target), out);
    case FetchId::kUrlParam:
      if (!url_param(r.target, name, nargs > 1 ? std::string_view(args[1].str) : "", it, &v))
        return false;
      out.set_str(v);
      return true;
    case FetchId::kReqHdr:
    case FetchId::kReqFhdr:
      if (!header_value(f, name, def.id == FetchId::kReqHdr, occ, it, &v)) return false;
      out.set_str(v);
      return true;
    case FetchId::kReqHdrCnt:
    case FetchId::kReqFhdrCnt:
      out.set_sint(int64_t(count_values(f, name, def.id == FetchId::kReqHdrCnt)));
      return true;
    case FetchId::kReqHdrVal:
      return header_value(f, name, true, occ, it, &v) && int_value(v, out);
    case FetchId::kReqHdrIp:
      return header_value(f, name, true, occ, it, &v) && ip_value(v, out);
    case FetchId::kReqVer:
      return version(r, out);
    case FetchId::kReqCook:
      if (!cookie(f, false, name, it, &v, nullptr)) return false;
      out.set_str(v);
      return true;
    case FetchId::kReqCookVal:
      return cookie(f, false, name, it, &v, nullptr) && int_value(v, out);
    case FetchId::kReqCookCnt: {
      size_t n = 0;
      cookie(f, false, name, it, &v, &n);
      out.set_sint(int64_t(n));
      return true;
    }
    case FetchId::kReqProtoHttp:
      out.set_bool(true);  // only valid HTTP heads reach the rules
      return true;
    case FetchId::kHttpAuth:
    case FetchId::kHttpAuthGroup:
    case FetchId::kHttpAuthType:
    case FetchId::kHttpAuthUser:
    case FetchId::kHttpAuthPass:
      return fetch_auth(def, args, out);
    default:
      return false;
  }
}

// capture.req.* from the request line as received, capture.res.ver.
bool TxnFetch::fetch_captured(const expr::FetchDef& def, expr::Sample& out) {
  const http::MsgHead* h = def.id == FetchId::kCaptureResVer ? res_ : req_;
  if (!h) return false;
  if (def.id == FetchId::kCaptureReqVer || def.id == FetchId::kCaptureResVer) {
    out.set_str(h->version_major == 1 && h->version_minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
    return true;
  }
  const std::string_view line = h->received;
  const size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return false;
  if (def.id == FetchId::kCaptureReqMethod) {
    out.set_str(line.substr(0, sp));
    return true;
  }
  // The path onwards: an absolute URI loses its scheme and authority; a
  // target without a path (authority form, "*") has none.
  std::string_view uri = line.substr(sp + 1);
  if (uri.empty() || uri[0] != '/') {
    const size_t scheme = uri.find("://");
    if (scheme == std::string_view::npos) return false;
    const size_t slash = uri.find('/', scheme + 3);
    if (slash == std::string_view::npos) return false;
    uri.remove_prefix(slash);
  }
  out.set_str(uri);
  return true;
}

// http_auth_type gives the scheme; the others need Basic credentials.
// http_auth: whether they are valid in the userlist; http_auth_group: the
// user when they are (its ACL then matches the user's groups).
bool TxnFetch::fetch_auth(const expr::FetchDef& def, const expr::Arg* args, expr::Sample& out) {
  HttpCredentials c;
  if (!read_credentials(req_->fields(), proxy_auth_, &c)) return false;
  const bool basic = c.scheme == HttpCredentials::Scheme::kBasic;
  switch (def.id) {
    case FetchId::kHttpAuthType:
      out.set_str(basic ? "Basic" : "Bearer");
      return true;
    case FetchId::kHttpAuthUser:
    case FetchId::kHttpAuthPass:
      if (!basic) return false;
      out.set_str(def.id == FetchId::kHttpAuthUser ? c.user : c.pass);
      return true;
    default:
      break;
  }
  const expr::Userlist* list = args[0].userlist ? args[0].userlist->list.get() : nullptr;
  if (!basic || !list) return false;
  const bool valid = list->check(c.user, c.pass);
  if (def.id == FetchId::kHttpAuth) {
    out.set_bool(valid);
    return true;
  }
  if (!valid) return false;
  out.set_str(c.user);
  return true;
}

bool TxnFetch::fetch_response(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                              expr::FetchIter& it, expr::Sample& out) {
  const http::MsgHead& r = *res_;
  const std::string_view name = nargs > 0 ? std::string_view(args[0].str) : std::string_view();
  const int64_t occ = nargs > 1 ? args[1].sint : 0;
  std::string_view v;
  switch (def.id) {
    case FetchId::kStatus:
      if (r.status == 0) return false;  // the response is being replaced by a local one
      out.set_sint(r.status);
      return true;
    case FetchId::kResHdr:
    case FetchId::kResFhdr:
      if (!header_value(r.fields(), name, def.id == FetchId::kResHdr, occ, it, &v)) return false;
      out.set_str(v);
      return true;
    case FetchId::kResHdrCnt:
      out.set_sint(int64_t(count_values(r.fields(), name, true)));
      return true;
    case FetchId::kResVer:
      return version(r, out);
    case FetchId::kSrvId:
      if (!srv_) return false;
      out.set_sint(srv_->puid);
      return true;
    case FetchId::kSrvName:
      if (!srv_) return false;
      out.set_str(srv_->name);
      return true;
    case FetchId::kResCook:
      if (!cookie(r.fields(), true, name, it, &v, nullptr)) return false;
      out.set_str(v);
      return true;
    case FetchId::kResCookVal:
      return cookie(r.fields(), true, name, it, &v, nullptr) && int_value(v, out);
    case FetchId::kResCookCnt: {
      size_t n = 0;
      cookie(r.fields(), true, name, it, &v, &n);
      out.set_sint(int64_t(n));
      return true;
    }
    default:
      return false;
  }
}

size_t eval_to_buffer(const expr::SampleExpr& e, expr::FetchContext& ctx, char* buf, size_t cap) {
  expr::Sample smp;
  if (!expr::eval_sample_expr(e, ctx, smp) || !expr::cast(smp, expr::SmpType::kStr)) return 0;
  if (smp.str.size() > cap) return 0;
  std::memcpy(buf, smp.str.data(), smp.str.size());
  return smp.str.size();
}

}  // namespace hearth::stream
