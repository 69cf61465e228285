// The fetches that read the stream's own state (queue priority, task profile,
// server connection error), the capture slots capture-req / capture-res
// write, and whether the stream's proxy is in mode http.
#include <openssl/err.h>

#include "core/task_profile.h"
#include "net/connection.h"
#include "net/tls_transport.h"
#include "stream/frontend.h"
#include "stream/http_captures.h"
#include "stream/priority.h"
#include "stream/sample_fetch.h"
#include "stream/server_side.h"
#include "stream/ssl_fetch.h"

namespace hearth::stream {

using expr::FetchId;

bool TxnFetch::http_mode() const {
  if (http_override_ >= 0) return http_override_ == 1;
  return fe_ && fe_->mode == config::Mode::kHttp;
}

bool TxnFetch::capture(bool response, size_t id, std::string_view v) {
  return caps_ && caps_->set_declared(response, id, v);
}

bool TxnFetch::fetch_stream(const expr::FetchDef& def, expr::Sample& out) {
  switch (def.id) {
    case FetchId::kPrioClass:
    case FetchId::kPrioOffset:
      // A transaction without a priority set is at 0 (HAProxy's default).
      if (!prio_) return false;
      out.set_sint(def.id == FetchId::kPrioClass ? prio_->cls : prio_->offset);
      return true;
    case FetchId::kCpuCalls:
    case FetchId::kCpuNsAvg:
    case FetchId::kCpuNsTot:
    case FetchId::kLatNsAvg:
    case FetchId::kLatNsTot: {
      if (!prof_) return false;
      const TaskProfile& p = *prof_;
      const uint64_t calls = p.calls ? p.calls : 1;
      const uint64_t v = def.id == FetchId::kCpuCalls   ? p.calls
                         : def.id == FetchId::kCpuNsTot ? p.cpu_ns
                         : def.id == FetchId::kCpuNsAvg ? p.cpu_ns / calls
                         : def.id == FetchId::kLatNsTot ? p.lat_ns
                                                        : p.lat_ns / calls;
      out.set_sint(int64_t(v));
      return true;
    }
    case FetchId::kBcErr:
    case FetchId::kBcErrStr:
    case FetchId::kSslBcErr:
    case FetchId::kSslBcErrStr:
      return server_error(def.id, out);
    default:
      return false;
  }
}

// HAProxy's numbers: 0 "Success" on a connection without error (plain TCP
// included); ssl_bc_err only on a TLS one, its reason only when there is
// an error.
bool TxnFetch::server_error(FetchId id, expr::Sample& out) const {
  const ServerConnError e = server_conn_ ? conn_error_of(server_conn_)
                            : srv_err_   ? *srv_err_
                                         : ServerConnError{};
  if (!e.seen) return false;
  switch (id) {
    case FetchId::kBcErr:
      out.set_sint(net::tls_failure_code(e.failure));
      return true;
    case FetchId::kBcErrStr:
      out.set_str(e.failure == net::TlsFailure::kNone ? "Success"
                                                      : net::tls_failure_message(e.failure));
      return true;
    case FetchId::kSslBcErr:
      if (!e.tls) return false;
      out.set_sint(int64_t(e.ssl_error));
      return true;
    default:
      return e.tls && openssl_error_sample(e.ssl_error, out);
  }
}

}  // namespace hearth::stream
