// TxnFetch: the fetches of 7.3.2 to 7.3.6 added after the first catalog
// (kFcSrc to kResHdrVal): the client connection's own addresses and TCP_INFO,
// server and frontend state, and more of the HTTP message (the header block,
// hashes of base and url, url_ip/url_port, Bearer tokens).
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <cctype>
#include <cstring>

#include "backend/backend.h"
#include "backend/server.h"
#include "core/pool.h"
#include "expr/hash.h"
#include "net/connection.h"
#include "stream/fetch_util.h"
#include "stream/frontend.h"
#include "stream/http_auth.h"
#include "stream/proxy_info.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"

namespace hearth::stream {
namespace {

using expr::FetchId;
using namespace fetch_util;

// HAProxy's variable-length integer (header blocks in binary): below 240 one
// byte; else the low 4 bits with the top bits set, then 7 bits a byte.
// Returns: false if it does not fit.
bool put_varint(uint64_t v, std::string_view* room, char** p) {
  auto put = [&](unsigned char b) {
    if (room->empty()) return false;
    *(*p)++ = char(b);
    room->remove_prefix(1);
    return true;
  };
  if (v < 240) return put(uint8_t(v));
  if (!put(uint8_t(v) | 240)) return false;
  v = (v - 240) >> 4;
  while (v >= 128) {
    if (!put(uint8_t(v) | 128)) return false;
    v = (v - 128) >> 7;
  }
  return put(uint8_t(v));
}

// req.hdrs / res.hdrs: "name: value\r\n" each, then "\r\n"; *_bin: each
// name and value as a varint length and its bytes, then two empty ones.
bool header_block(const http::HeaderList& fields, bool binary, expr::Sample& out) {
  expr::Chunk c = expr::next_chunk();
  char* p = c.data;
  std::string_view room(c.data, c.size);
  auto append = [&](std::string_view s) {
    if (s.size() > room.size()) return false;
    if (s.empty()) return true;
    std::memcpy(p, s.data(), s.size());
    p += s.size();
    room.remove_prefix(s.size());
    return true;
  };
  // Names in lower case, as HAProxy has them.
  auto append_name = [&](std::string_view s) {
    char* at = p;
    if (!append(s)) return false;
    for (; at < p; ++at) *at = char(std::tolower(uint8_t(*at)));
    return true;
  };
  for (const http::HeaderField& h : fields) {
    const bool ok = binary
                        ? put_varint(h.name.size(), &room, &p) && append_name(h.name) &&
                              put_varint(h.value.size(), &room, &p) && append(h.value)
                        : append_name(h.name) && append(": ") && append(h.value) && append("\r\n");
    if (!ok) return false;
  }
  if (!(binary ? put_varint(0, &room, &p) && put_varint(0, &room, &p) : append("\r\n")))
    return false;
  const std::string_view v(c.data, size_t(p - c.data));
  if (binary)
    out.set_bin(v);
  else
    out.set_str(v);
  return true;
}

// req.hdr_names / res.hdr_names: the names in order, joined by the first
// character of the argument (a comma by default).
bool header_names(const http::HeaderList& fields, const expr::Arg* args, size_t nargs,
                  expr::Sample& out) {
  const char sep = nargs > 0 && !args[0].str.empty() ? args[0].str[0] : ',';
  expr::Chunk c = expr::next_chunk();
  size_t n = 0;
  for (const http::HeaderField& h : fields) {
    if (n + h.name.size() + 1 > c.size) return false;
    if (n) c.data[n++] = sep;
    for (char ch : h.name) c.data[n++] = char(std::tolower(uint8_t(ch)));
  }
  out.set_str(std::string_view(c.data, n));
  return true;
}

// The authority of an absolute-form target ("http://host:port/..."), or "".
std::string_view url_authority(std::string_view target) {
  const size_t scheme = target.find("://");
  if (target.empty() || target[0] == '/' || scheme == std::string_view::npos) return {};
  std::string_view rest = target.substr(scheme + 3);
  return rest.substr(0, rest.find_first_of("/?"));
}

// base32 and url32: the avalanche of SDBM over Host then the path (with the
// query for url32).
uint32_t host_hash(const http::MsgHead& r, bool with_query) {
  const std::string_view part = with_query ? path_and_query(r.target) : path_of(r.target);
  return expr::full_hash(expr::hash_sdbm(part, expr::hash_sdbm(host_of(r.fields()))));
}

// base32+src, url32+src: the hash (4 bytes, big-endian) then the address.
bool hash_and_src(uint32_t h, const net::Address& a, expr::Sample& out) {
  expr::Sample src;
  if (!addr_sample(a.sa(), src)) return false;
  expr::Chunk c = expr::next_chunk();
  const size_t alen = src.type == expr::SmpType::kIpv4 ? 4 : 16;
  if (c.size < 4 + alen) return false;
  for (int i = 0; i < 4; ++i) c.data[i] = char(h >> (24 - 8 * i));
  std::memcpy(c.data + 4, src.addr, alen);
  out.set_bin(std::string_view(c.data, 4 + alen));
  return true;
}

// fc_rtt & co from TCP_INFO. Returns: false if the socket gives none.
bool tcp_info_value(const net::Connection* c, FetchId id, const expr::Arg* args, size_t nargs,
                    expr::Sample& out) {
  if (!c) return false;
  tcp_info ti{};
  socklen_t len = sizeof ti;
  if (getsockopt(c->fd(), IPPROTO_TCP, TCP_INFO, &ti, &len) != 0) return false;
  const int64_t per = nargs > 0 && args[0].sint ? args[0].sint : 1000;  // us per unit
  switch (id) {
    case FetchId::kFcRtt:
      out.set_sint(int64_t(ti.tcpi_rtt) / per);
      return true;
    case FetchId::kFcRttvar:
      out.set_sint(int64_t(ti.tcpi_rttvar) / per);
      return true;
    case FetchId::kFcUnacked:
      out.set_sint(ti.tcpi_unacked);
      return true;
    case FetchId::kFcSacked:
      out.set_sint(ti.tcpi_sacked);
      return true;
    case FetchId::kFcRetrans:
      out.set_sint(ti.tcpi_retrans);
      return true;
    case FetchId::kFcFackets:
      out.set_sint(ti.tcpi_fackets);
      return true;
    case FetchId::kFcLost:
      out.set_sint(ti.tcpi_lost);
      return true;
    case FetchId::kFcReordering:
      out.set_sint(ti.tcpi_reordering);
      return true;
    default:
      return false;
  }
}

}  // namespace

bool TxnFetch::fetch_more(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                          expr::FetchIter& it, expr::Sample& out) {
  const FetchId id = def.id;
  if (id >= FetchId::kReqHdrs && id <= FetchId::kHttpAuthBearer) {
    if (!req_) return false;
    return fetch_request_more(def, args, nargs, it, out);
  }
  if (id >= FetchId::kPrioClass) return fetch_stream(def, out);
  if (id >= FetchId::kFeReqRate) return fetch_rate(def, args, nargs, out);
  if (id >= FetchId::kBcSrc) return fetch_conn_side(def, out);
  if (id >= FetchId::kResHdrs) {
    if (!res_) return false;
    const http::HeaderList& f = res_->fields();
    const std::string_view name = nargs > 0 ? std::string_view(args[0].str) : std::string_view();
    std::string_view v;
    switch (id) {
      case FetchId::kResHdrs:
        return header_block(f, false, out);
      case FetchId::kResHdrsBin:
        return header_block(f, true, out);
      case FetchId::kResHdrNames:
        return header_names(f, args, nargs, out);
      case FetchId::kResFhdrCnt:
        out.set_sint(int64_t(count_values(f, name, false)));
        return true;
      case FetchId::kResHdrVal:
        return header_value(f, name, true, nargs > 1 ? args[1].sint : 0, it, &v) &&
               int_value(v, out);
      case FetchId::kResHdrIp:
        return header_value(f, name, true, nargs > 1 ? args[1].sint : 0, it, &v) &&
               ip_value(v, out);
      default:
        return false;
    }
  }
  if (id >= FetchId::kFcRtt && id <= FetchId::kFcReordering)
    return tcp_info_value(client_, id, args, nargs, out);
  switch (id) {
    case FetchId::kFcSrc:
    case FetchId::kFcSrcPort:
    case FetchId::kFcDst:
    case FetchId::kFcDstPort: {
      // The connection's own addresses: the socket's, or what tcp-request
      // connection rules set; never a PROXY header's nor later rules'.
      if (!client_) return false;
      const bool src = id == FetchId::kFcSrc || id == FetchId::kFcSrcPort;
      const Session* s = session_ ? session_ : Session::of(client_);
      std::optional<net::Address> a;
      if (s) {
        a = src ? std::optional<net::Address>(s->conn_src_addr(client_))
                : s->conn_dst_addr(client_);
      } else {
        a = socket_address(client_->fd(), src);
      }
      if (!a) return false;
      if (id == FetchId::kFcSrc || id == FetchId::kFcDst) return addr_sample(a->sa(), out);
      if (a->is_unix()) return false;  // no port on a UNIX socket
      out.set_sint(a->port());
      return true;
    }
    case FetchId::kFcRcvdProxy:
    case FetchId::kFcPpAuthority:
    case FetchId::kFcPpUniqueId: {
      const Session* s = session_ ? session_ : client_ ? Session::of(client_) : nullptr;
      if (!s) return false;
      if (id == FetchId::kFcRcvdProxy) {
        out.set_bool(s->pp != nullptr);
        return true;
      }
      if (!s->pp) return false;
      const std::string_view v =
          id == FetchId::kFcPpAuthority ? s->pp->authority_view() : s->pp->unique_id_view();
      if (v.empty()) return false;
      out.set_str(v);
      return true;
    }
    case FetchId::kFcHttpMajor:
      if (!client_) return false;
      out.set_sint(1);  // HTTP/1.x on the wire (Hearth speaks no HTTP/2 yet)
      return true;
    case FetchId::kThread:
      out.set_sint(hearth::thread_index());
      return true;
    case FetchId::kFeConn: {
      if (nargs > 0 && !args[0].str.empty() && (!fe_ || fe_->name != args[0].str)) return false;
      if (!fe_) return false;
      out.set_sint(fe_->cur_conns.load(std::memory_order_relaxed));
      return true;
    }
    case FetchId::kFeDefbe:
      if (!fe_ || !fe_->default_backend) return false;
      out.set_str(fe_->default_backend->name());
      return true;
    default:
      return fetch_server_state(def, args, out);
  }
}

// srv_conn, srv_conn_free, srv_*weight, srv_queue of [backend/]server.
bool TxnFetch::fetch_server_state(const expr::FetchDef& def, const expr::Arg* args,
                                  expr::Sample& out) {
  backend::Backend* be = nullptr;
  const backend::Server* s = server_arg(args[0], &be);
  if (!s) return false;
  const int cur = s->cur_sess.load(std::memory_order_relaxed);
  switch (def.id) {
    case FetchId::kSrvConn:
      out.set_sint(cur);
      return true;
    case FetchId::kSrvConnFree:
      out.set_sint(s->maxconn ? std::max(0, s->maxconn - cur) : -1);
      return true;
    case FetchId::kSrvIweight:
      out.set_sint(s->iweight);
      return true;
    case FetchId::kSrvUweight:
    case FetchId::kSrvWeight:
      out.set_sint(s->weight);
      return true;
    case FetchId::kSrvQueue:
      out.set_sint(int64_t(be->server_queue_length(s)));
      return true;
    default:
      return false;
  }
}

bool TxnFetch::fetch_request_more(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                                  expr::FetchIter& it, expr::Sample& out) {
  const http::MsgHead& r = *req_;
  const http::HeaderList& f = r.fields();
  std::string_view v;
  switch (def.id) {
    case FetchId::kReqHdrs:
      return header_block(f, false, out);
    case FetchId::kReqHdrsBin:
      return header_block(f, true, out);
    case FetchId::kReqHdrNames:
      return header_names(f, args, nargs, out);
    case FetchId::kBaseq:
      return host_then(f, path_and_query(r.target), out);
    case FetchId::kBase32:
    case FetchId::kUrl32:
      out.set_sint(host_hash(r, def.id == FetchId::kUrl32));
      return true;
    case FetchId::kBase32Src:
    case FetchId::kUrl32Src:
      if (!client_) return false;
      return hash_and_src(host_hash(r, def.id == FetchId::kUrl32Src),
                          session_ ? session_->client_addr(client_) : client_->peer(), out);
    case FetchId::kUrlIp:
    case FetchId::kUrlPort: {
      const std::string_view auth = url_authority(r.target);
      if (auth.empty()) return false;
      const size_t colon = auth.rfind(':');
      const std::string_view host = colon == std::string_view::npos ? auth : auth.substr(0, colon);
      if (def.id == FetchId::kUrlIp) {
        unsigned char a[4];
        if (!expr::parse_ipv4(host, a)) return false;
        out.set_ipv4(a);
        return true;
      }
      if (colon == std::string_view::npos) {
        out.set_sint(80);
        return true;
      }
      return int_value(auth.substr(colon + 1), out);
    }
    case FetchId::kUrlpVal:
      return url_param(r.target, nargs > 0 ? std::string_view(args[0].str) : std::string_view(),
                       nargs > 1 ? std::string_view(args[1].str) : "", it, &v) &&
             int_value(v, out);
    case FetchId::kHttpAuthBearer: {
      const std::string_view hdr = nargs > 0 && !args[0].str.empty()
                                       ? std::string_view(args[0].str)
                                       : std::string_view("authorization");
      const http::HeaderField* h = f.find(hdr);
      if (!h) return false;
      const std::string_view val = http::trim_ows(h->value);
      const size_t sp = val.find(' ');
      if (sp == std::string_view::npos || !http::iequals(val.substr(0, sp), "bearer")) return false;
      out.set_str(http::trim_ows(val.substr(sp + 1)));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace hearth::stream
