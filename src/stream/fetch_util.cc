#include "stream/fetch_util.h"

#include <netinet/in.h>

#include "stream/sample_fetch.h"

namespace hearth::stream::fetch_util {

size_t count_values(const http::HeaderList& fields, std::string_view name, bool split) {
  size_t n = 0;
  for_each_value(fields, name, split, [&n](std::string_view) { return ++n, true; });
  return n;
}

// The value a header fetch gives: occurrence `occ` (1 = first, -1 = last),
// or with occ 0 the last one, or every one in turn when the caller iterates.
// One walk over the fields, except for a negative occ (which needs the count).
bool header_value(const http::HeaderList& fields, std::string_view name, bool split, int64_t occ,
                  expr::FetchIter& it, std::string_view* out) {
  if (occ < 0) {
    const size_t count = count_values(fields, name, split);
    if (uint64_t(-occ) > count) return false;
    occ = int64_t(count) + occ + 1;
  }
  if (occ == 0 && !it.all) {  // the last one
    bool found = false;
    for_each_value(fields, name, split, [&](std::string_view v) {
      *out = v;
      found = true;
      return true;
    });
    return found;
  }
  // The want-th value; when iterating, also whether another one follows.
  const size_t want = occ > 0 ? size_t(occ - 1) : size_t(it.next++);
  if (occ == 0) it.more = false;
  size_t i = 0;
  bool found = false;
  for_each_value(fields, name, split, [&](std::string_view v) {
    if (i++ < want) return true;
    if (found) {  // one more after the wanted value
      it.more = true;
      return false;
    }
    *out = v;
    found = true;
    return occ == 0;  // iterating: look for one more
  });
  return found;
}

// The request target's parts.
std::string_view path_of(std::string_view target) {
  if (target.empty()) return {};
  size_t start = 0;
  if (target[0] != '/') {
    const size_t scheme = target.find("://");
    if (scheme == std::string_view::npos) return {};
    start = target.find('/', scheme + 3);
    if (start == std::string_view::npos) return {};
  }
  const size_t q = target.find('?', start);
  return target.substr(start, q == std::string_view::npos ? std::string_view::npos : q - start);
}

bool query_of(std::string_view target, std::string_view* out) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return false;
  *out = target.substr(q + 1);
  return true;
}

// url_param: the parameters after '?' (or the delimiter), ended by '&', ';'
// or the delimiter.
bool url_param(std::string_view target, std::string_view name, std::string_view delim,
               expr::FetchIter& it, std::string_view* out) {
  const char d = delim.empty() ? '?' : delim[0];
  size_t start = target.find(d);
  if (start == std::string_view::npos && d != '?') start = target.find('?');
  if (start == std::string_view::npos) return false;
  return find_param(target.substr(start + 1), name, delim.empty() ? '&' : d, it, out);
}

std::string_view host_of(const http::HeaderList& fields) {
  const http::HeaderField* h = fields.find("host");
  return h ? h->value : std::string_view();
}

std::string_view path_and_query(std::string_view target) {
  const std::string_view path = path_of(target);
  return path.empty() ? std::string_view() : target.substr(size_t(path.data() - target.data()));
}

bool host_then(const http::HeaderList& fields, std::string_view part, expr::Sample& out) {
  const std::string_view host = host_of(fields);
  expr::Chunk c = expr::next_chunk();
  if (host.size() + part.size() > c.size) return false;
  if (!host.empty()) std::memcpy(c.data, host.data(), host.size());
  if (!part.empty()) std::memcpy(c.data + host.size(), part.data(), part.size());
  out.set_str(std::string_view(c.data, host.size() + part.size()));
  return true;
}

bool version(const http::MsgHead& h, expr::Sample& out) {
  static const char* const kVers[] = {"0.9", "1.0", "1.1", "2.0", "3.0"};
  const int idx = h.version_major == 0   ? 0
                  : h.version_major == 1 ? 1 + (h.version_minor > 0)
                  : h.version_major == 2 ? 3
                                         : 4;
  out.set_str(kVers[idx]);
  return true;
}

bool int_value(std::string_view v, expr::Sample& out) {
  out.set_str(v);
  return expr::cast(out, expr::SmpType::kSint);
}

bool ip_value(std::string_view v, expr::Sample& out) {
  unsigned char a[16];
  const size_t colon = v.find(':');
  if (colon != std::string_view::npos && v.find(':', colon + 1) == std::string_view::npos)
    v = v.substr(0, colon);  // a.b.c.d:port
  if (expr::parse_ipv4(v, a)) {
    out.set_ipv4(a);
    return true;
  }
  if (expr::parse_ipv6(v, a)) {
    out.set_ipv6(a);
    return true;
  }
  return false;
}

bool addr_sample(const sockaddr* sa, expr::Sample& out) {
  if (sa->sa_family == AF_INET) {
    out.set_ipv4(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr);
    return true;
  }
  if (sa->sa_family == AF_INET6) {
    out.set_ipv6(&reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr);
    return true;
  }
  return false;
}

std::optional<net::Address> socket_address(int fd, bool peer) {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  if ((peer ? getpeername(fd, sa, &len) : getsockname(fd, sa, &len)) != 0) return std::nullopt;
  return net::Address::from(sa, len);
}

}  // namespace hearth::stream::fetch_util
