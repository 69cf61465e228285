#pragma once
// A FetchContext for expr tests: the connection and HTTP messages are plain
// fields the test sets. Header fetches follow the stream layer's contract:
// hdr() splits values at commas, fhdr() does not; an occurrence argument picks
// one value (1 = first, -1 = last); without it, FetchIter::all asks for every
// value in turn (one per call, `more` set while another follows) and a plain
// evaluation gives the last value.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/fetch.h"
#include "expr/sample.h"
#include "expr/vars.h"

namespace hearth::expr::testing {

class FakeContext : public FetchContext {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  std::string src = "192.0.2.1";  // an IPv4 or IPv6 address
  int64_t src_port = 40000;
  std::string dst = "198.51.100.2";
  int64_t dst_port = 80;
  std::string fe_name = "fe";
  std::string method = "GET";
  std::string path = "/";
  std::string query;  // without '?'
  std::string version = "1.1";
  bool http = true;
  Headers req_headers;
  int64_t status = 0;  // 0: no response yet
  Headers res_headers;

  int calls = 0;  // fetches asked of the context

  VarStore var_stores[kVarScopes];
  bool no_vars = false;

  VarStore* vars(VarScope scope) override { return no_vars ? nullptr : &var_stores[int(scope)]; }

  bool fetch(const FetchDef& def, const Arg* args, size_t nargs, FetchIter& it,
             Sample& out) override {
    ++calls;
    const std::string_view name = nargs > 0 ? std::string_view(args[0].str) : std::string_view();
    const int64_t occ = nargs > 1 ? args[1].sint : 0;
    switch (def.id) {
      case FetchId::kSrc:
        return set_addr(src, out);
      case FetchId::kDst:
        return set_addr(dst, out);
      case FetchId::kSrcPort:
        out.set_sint(src_port);
        return true;
      case FetchId::kDstPort:
        out.set_sint(dst_port);
        return true;
      case FetchId::kFeName:
        out.set_str(fe_name);
        return true;
      case FetchId::kMethod:
        out.set_meth(meth_of(method), method);
        return true;
      case FetchId::kPath:
        out.set_str(path);
        return true;
      case FetchId::kUrl:
        url_ = query.empty() ? path : path + "?" + query;
        out.set_str(url_);
        return true;
      case FetchId::kQuery:
        if (query.empty()) return false;
        out.set_str(query);
        return true;
      case FetchId::kReqVer:
        out.set_str(version);
        return true;
      case FetchId::kReqProtoHttp:
        out.set_bool(http);
        return true;
      case FetchId::kStatus:
        if (status == 0) return false;
        out.set_sint(status);
        return true;
      case FetchId::kReqHdr:
      case FetchId::kHdrDir:  // a request context: hdr() is req.hdr() here
      case FetchId::kResHdr:
      case FetchId::kReqFhdr:
      case FetchId::kResFhdr: {
        const bool res = def.id == FetchId::kResHdr || def.id == FetchId::kResFhdr;
        const bool split = def.id != FetchId::kReqFhdr && def.id != FetchId::kResFhdr;
        std::string_view v;
        if (!header_value(res ? res_headers : req_headers, name, split, occ, it, &v)) return false;
        out.set_str(v);
        return true;
      }
      case FetchId::kReqHdrCnt:
      case FetchId::kResHdrCnt:
        out.set_sint(int64_t(
            values(def.id == FetchId::kResHdrCnt ? res_headers : req_headers, name, true).size()));
        return true;
      case FetchId::kReqHdrVal: {
        std::string_view v;
        if (!header_value(req_headers, name, true, occ, it, &v)) return false;
        int64_t n = 0;
        std::from_chars(v.data(), v.data() + v.size(), n);
        out.set_sint(n);
        return true;
      }
      case FetchId::kReqHdrIp: {
        std::string_view v;
        if (!header_value(req_headers, name, true, occ, it, &v)) return false;
        return set_addr(std::string(v), out);
      }
      default:
        return false;
    }
  }

 private:
  static bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      const auto l = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
      if (l(a[i]) != l(b[i])) return false;
    }
    return true;
  }

  static std::vector<std::string_view> values(const Headers& h, std::string_view name, bool split) {
    std::vector<std::string_view> out;
    for (const auto& [n, v] : h) {
      if (!iequal(n, name)) continue;
      std::string_view rest = v;
      while (true) {
        const size_t comma = split ? rest.find(',') : std::string_view::npos;
        std::string_view one = rest.substr(0, comma);
        while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
        while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
        out.push_back(one);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    return out;
  }

  static bool header_value(const Headers& h, std::string_view name, bool split, int64_t occ,
                           FetchIter& it, std::string_view* out) {
    const std::vector<std::string_view> all = values(h, name, split);
    size_t want;
    if (occ > 0) {
      want = size_t(occ - 1);
    } else if (occ < 0) {
      if (uint64_t(-occ) > all.size()) return false;
      want = all.size() - size_t(-occ);
    } else if (it.all) {
      want = size_t(it.next++);
      it.more = want + 1 < all.size();
    } else {
      if (all.empty()) return false;
      want = all.size() - 1;
    }
    if (want >= all.size()) return false;
    *out = all[want];
    return true;
  }

  bool set_addr(const std::string& text, Sample& out) {
    unsigned char a[16];
    if (parse_ipv4(text, a)) {
      out.set_ipv4(a);
      return true;
    }
    if (parse_ipv6(text, a)) {
      out.set_ipv6(a);
      return true;
    }
    return false;
  }

  std::string url_;
};

// Samples of each type, for tests.
inline Sample str(std::string_view s) {
  Sample x;
  x.set_str(s);
  return x;
}
inline Sample bin(std::string_view s) {
  Sample x;
  x.set_bin(s);
  return x;
}
inline Sample sint(int64_t v) {
  Sample x;
  x.set_sint(v);
  return x;
}
inline Sample boolean(bool v) {
  Sample x;
  x.set_bool(v);
  return x;
}

// The words of a configuration line, split on spaces.
inline std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> w;
  size_t p = 0;
  while (p < line.size()) {
    while (p < line.size() && line[p] == ' ') ++p;
    size_t e = p;
    while (e < line.size() && line[e] != ' ') ++e;
    if (e > p) w.push_back(line.substr(p, e - p));
    p = e;
  }
  return w;
}

}  // namespace hearth::expr::testing
