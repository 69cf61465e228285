#pragma once
// What the sample fetches of a transaction share (stream/sample_fetch*.cc):
// walking header values, the parts of a request target, and turning text or
// socket addresses into samples.
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "expr/fetch.h"
#include "expr/sample.h"
#include "http/headers.h"
#include "http/msg.h"
#include "net/address.h"

namespace hearth::stream::fetch_util {

// Walks the values of the fields named `name` (every field when empty):
// whole lines, or (split) each comma-separated element outside quotes,
// without surrounding whitespace.
// Calls f(value) until it returns false.
template <typename F>
void for_each_value(const http::HeaderList& fields, std::string_view name, bool split, F&& f) {
  for (const http::HeaderField& h : fields) {
    if (!name.empty() && !http::iequals(h.name, name)) continue;
    if (!split) {
      // Parsed values carry no surrounding whitespace, but a value written by
      // a rule (`set-header X "a "`) may: like HAProxy, a fetch never sees it.
      if (!f(http::trim_ows(h.value))) return;
      continue;
    }
    const std::string_view v = h.value;
    // Most values hold neither a comma nor a quote: one element.
    if (v.empty() || (!memchr(v.data(), ',', v.size()) && !memchr(v.data(), '"', v.size()))) {
      if (!f(http::trim_ows(v))) return;
      continue;
    }
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i <= v.size(); ++i) {
      if (i < v.size()) {
        if (v[i] == '"') quoted = !quoted;
        if (v[i] == '\\' && quoted) ++i;
        if (i < v.size() && (quoted || v[i] != ',')) continue;
      }
      if (!f(http::trim_ows(v.substr(start, std::min(i, v.size()) - start)))) return;
      start = i + 1;
    }
  }
}

// Returns: how many values (split: comma-separated elements) the fields
// named `name` hold.
size_t count_values(const http::HeaderList& fields, std::string_view name, bool split);
// The value a header fetch gives: occurrence `occ` (1 = first, -1 = last),
// or with occ 0 the last one, or every one in turn when the caller iterates.
// Returns: false if there is no such value.
bool header_value(const http::HeaderList& fields, std::string_view name, bool split, int64_t occ,
                  expr::FetchIter& it, std::string_view* out);
// Returns: the path of a request target (absolute form included), or "".
std::string_view path_of(std::string_view target);
// Returns: false if the target has no query; else *out is what follows '?'.
bool query_of(std::string_view target, std::string_view* out);
// url_param: the parameters after '?' (or the delimiter), ended by '&', ';'
// or the delimiter. Returns: false if `name` is not among them.
bool url_param(std::string_view target, std::string_view name, std::string_view delim,
               expr::FetchIter& it, std::string_view* out);
// Returns: the first Host field's value, or "".
std::string_view host_of(const http::HeaderList& fields);
// Returns: the target from its path on (the query included; an absolute URI
// loses its scheme and authority), or "" without a path.
std::string_view path_and_query(std::string_view target);
// Sets `out` to the first Host value followed by `part` (base, baseq), in a
// scratch chunk. Returns: false if it does not fit.
bool host_then(const http::HeaderList& fields, std::string_view part, expr::Sample& out);
// Sets `out` to the message's version ("1.1", ...). Returns: true.
bool version(const http::MsgHead& h, expr::Sample& out);
// Returns: false if `v` does not read as an integer (else out is one).
bool int_value(std::string_view v, expr::Sample& out);
// Returns: false if `v` (an address, IPv4 with an optional :port) is none.
bool ip_value(std::string_view v, expr::Sample& out);
// Returns: false if `sa` is neither IPv4 nor IPv6.
bool addr_sample(const sockaddr* sa, expr::Sample& out);
// Returns: the socket's own address (`peer` false) or its peer's, as the
// kernel has it now; nullopt if it has none.
std::optional<net::Address> socket_address(int fd, bool peer);

}  // namespace hearth::stream::fetch_util
