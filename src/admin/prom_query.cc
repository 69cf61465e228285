#include "admin/prom_query.h"

#include <string>

namespace hearth::admin {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns: `s` with %XX escapes and '+' decoded (a bad escape stays as it is).
std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(char(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

// Returns: the bits of scope `v`, 0 for "" (nothing), or -1 if unknown.
int scope_bits(std::string_view v) {
  struct Name {
    std::string_view name;
    int bits;
  };
  static constexpr Name kNames[] = {{"", 0},
                                    {"*", kScopeAll},
                                    {"global", kScopeGlobal},
                                    {"frontend", kScopeFrontend},
                                    {"listener", kScopeListener},
                                    {"backend", kScopeBackend},
                                    {"server", kScopeServer},
                                    {"sticktable", kScopeStickTable}};
  for (const Name& n : kNames)
    if (n.name == v) return n.bits;
  return -1;
}

}  // namespace

bool parse_prom_query(std::string_view target, PromQuery* out) {
  *out = PromQuery{};
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return true;
  std::string_view rest = target.substr(q + 1);
  rest = rest.substr(0, rest.find('#'));
  bool scoped = false;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view param = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const size_t eq = param.find('=');
    const std::string key = url_decode(param.substr(0, eq));
    if (key == "scope") {
      if (eq == std::string_view::npos) return false;
      const std::string value = url_decode(param.substr(eq + 1));
      const int bits = scope_bits(value);
      if (bits < 0) return false;
      if (!scoped) out->scopes = 0;  // the first scope replaces "all"
      scoped = true;
      // An empty scope selects nothing, whatever came before (as HAProxy).
      out->scopes = bits == 0 ? 0 : uint8_t(out->scopes | bits);
    } else if (key == "no-maint") {
      out->no_maint = true;
    }
  }
  return true;
}

}  // namespace hearth::admin
