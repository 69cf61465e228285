#include "expr/uri_normalize.h"

#include <algorithm>
#include <cstring>

namespace hearth::expr {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int hex_value(char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

char upper(char c) { return c >= 'a' && c <= 'z' ? char(c - 32) : c; }

// RFC 3986 2.3: ALPHA DIGIT "-" "." "_" "~".
bool is_unreserved(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Where the path starts in `target`, as HAProxy finds it: at once for the
// origin form; after "scheme://authority" for the absolute form; nowhere for
// "*", the authority form, or an absolute URI without a path.
// Returns: the offset, or npos.
size_t path_start(std::string_view t) {
  if (t.empty() || t[0] == '*') return std::string_view::npos;
  if (t[0] == '/') return 0;
  if (!is_alpha(t[0])) return std::string_view::npos;
  size_t i = 1;
  while (i < t.size() &&
         (is_alpha(t[i]) || is_digit(t[i]) || t[i] == '+' || t[i] == '-' || t[i] == '.'))
    ++i;
  if (t.substr(i, 3) != "://") return std::string_view::npos;
  const size_t slash = t.find('/', i + 3);
  return slash == std::string_view::npos ? std::string_view::npos : slash;
}

// A '%' followed by two hex digits at in[i].
bool valid_escape(std::string_view in, size_t i) {
  return i + 2 < in.size() && is_hex(in[i + 1]) && is_hex(in[i + 2]);
}

}  // namespace

long uri_merge_slashes(std::string_view path, char* out) {
  size_t n = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/' && n > 0 && out[n - 1] == '/') continue;
    out[n++] = path[i];
  }
  return long(n);
}

// Segments split on '/': a "." segment goes with the '/' that ends it. A
// trailing '/' yields no last empty segment, so "/a/" stays "/a/".
long uri_strip_dot(std::string_view path, char* out) {
  size_t n = 0;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t end = path.find('/', pos);
    const bool last = end == std::string_view::npos;
    if (last) end = path.size();
    const std::string_view seg = path.substr(pos, end - pos);
    if (seg != ".") {
      memcpy(out + n, seg.data(), seg.size());
      n += seg.size();
      if (!last) out[n++] = '/';
    }
    pos = end + 1;
  }
  return long(n);
}

// Walks the path backwards, counting "/.." segments still to apply and
// dropping one preceding segment for each, so the output is built from its
// end (at the end of `out`, then moved to the front). A last "/.." without
// its slash gains one: "/.." gives "/../".
long uri_strip_dotdot(std::string_view path, bool full, char* out) {
  char* const tail = out + path.size() + 1;
  char* head = tail;
  long off = long(path.size()) - 1;
  int up = 0;
  const auto at = [&path](long from, std::string_view s) {
    return from >= 0 && path.substr(size_t(from), s.size()) == s;
  };
  if (off >= 2 && at(off - 2, "/..")) {  // a last "/.." without its slash
    ++up;
    off -= 2;
  }
  while (off >= 0) {
    if (off >= 3 && at(off - 3, "/../")) {
      ++up;
      off -= 3;
      continue;
    }
    if (up > 0) {
      --off;  // the slash ending the segment to drop
      if (off >= 0) {
        --up;
        while (off >= 0 && path[size_t(off)] != '/') --off;
      }
    } else {
      *--head = path[size_t(off--)];
      while (off >= 0 && path[size_t(off)] != '/') *--head = path[size_t(off--)];
    }
  }
  if (up > 0) {
    *--head = '/';
    if (!full) {
      for (; up > 0; --up) {
        *--head = '.';
        *--head = '.';
        *--head = '/';
      }
    }
  }
  const size_t n = size_t(tail - head);
  memmove(out, head, n);
  return long(n);
}

long uri_percent_upper(std::string_view in, bool strict, char* out) {
  size_t n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (valid_escape(in, i)) {
        out[n++] = '%';
        out[n++] = upper(in[i + 1]);
        out[n++] = upper(in[i + 2]);
        i += 2;
        continue;
      }
      if (strict) return -1;
    }
    out[n++] = in[i];
  }
  return long(n);
}

// An escape of a reserved character keeps its '%'; the two digits that
// follow are then copied as they are, on the next turns.
long uri_percent_decode_unreserved(std::string_view in, bool strict, char* out) {
  size_t n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (!valid_escape(in, i)) {
        if (strict) return -1;
      } else {
        const char c = char(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
        if (is_unreserved(c)) {
          out[n++] = c;
          i += 2;
          continue;
        }
      }
    }
    out[n++] = in[i];
  }
  return long(n);
}

long uri_fragment_strip(std::string_view in, char* out) {
  const size_t n = std::min(in.find('#'), in.size());
  memcpy(out, in.data(), n);
  return long(n);
}

long uri_fragment_encode(std::string_view in, char* out) {
  size_t n = 0;
  for (char c : in) {
    if (c == '#') {
      memcpy(out + n, "%23", 3);
      n += 3;
    } else {
      out[n++] = c;
    }
  }
  return long(n);
}

// Parameters split on '&' (a trailing '&' yields no last empty one, as in
// HAProxy), sorted by their name (up to '='), stable for equal names.
long uri_query_sort(std::string_view query, char* out, std::string_view* params,
                    size_t max_params) {
  size_t count = 0;
  size_t pos = 1;
  while (pos < query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    if (count == max_params) return -1;
    params[count++] = query.substr(pos, end - pos);
    pos = end + 1;
  }
  const auto name = [](std::string_view p) { return p.substr(0, p.find('=')); };
  std::stable_sort(params, params + count,
                   [&name](std::string_view a, std::string_view b) { return name(a) < name(b); });
  size_t n = 0;
  if (!query.empty()) out[n++] = query[0];
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out[n++] = '&';
    memcpy(out + n, params[i].data(), params[i].size());
    n += params[i].size();
  }
  return long(n);
}

namespace {

struct NormalizerName {
  const char* name;
  const char* option;  // the optional word, or ""
  UriNormalizer plain, with_option;
};

constexpr NormalizerName kNames[] = {
    {"fragment-encode", "", UriNormalizer::kFragmentEncode, UriNormalizer::kFragmentEncode},
    {"fragment-strip", "", UriNormalizer::kFragmentStrip, UriNormalizer::kFragmentStrip},
    {"path-merge-slashes", "", UriNormalizer::kPathMergeSlashes, UriNormalizer::kPathMergeSlashes},
    {"path-strip-dot", "", UriNormalizer::kPathStripDot, UriNormalizer::kPathStripDot},
    {"path-strip-dotdot", "full", UriNormalizer::kPathStripDotdot,
     UriNormalizer::kPathStripDotdotFull},
    {"percent-decode-unreserved", "strict", UriNormalizer::kPercentDecodeUnreserved,
     UriNormalizer::kPercentDecodeUnreservedStrict},
    {"percent-to-uppercase", "strict", UriNormalizer::kPercentToUppercase,
     UriNormalizer::kPercentToUppercaseStrict},
    {"query-sort-by-name", "", UriNormalizer::kQuerySortByName, UriNormalizer::kQuerySortByName},
};

const NormalizerName* find_name(std::string_view name) {
  for (const NormalizerName& n : kNames)
    if (name == n.name) return &n;
  return nullptr;
}

}  // namespace

bool find_uri_normalizer(std::string_view name, std::string_view option, UriNormalizer* out) {
  const NormalizerName* n = find_name(name);
  if (!n || (!option.empty() && option != n->option)) return false;
  *out = option.empty() ? n->plain : n->with_option;
  return true;
}

std::string_view uri_normalizer_option(std::string_view name) {
  const NormalizerName* n = find_name(name);
  return n ? n->option : "";
}

size_t uri_max_len(UriNormalizer n, size_t in) {
  if (n == UriNormalizer::kFragmentEncode) return 3 * in;
  if (n == UriNormalizer::kPathStripDotdot || n == UriNormalizer::kPathStripDotdotFull)
    return in + 1;
  return in;
}

NormalizeResult normalize_uri(UriNormalizer n, std::string_view target, char* out, size_t cap,
                              size_t* len, std::string_view* params, size_t max_params) {
  const size_t ps = path_start(target);
  if (ps == std::string_view::npos) return NormalizeResult::kNoPath;
  const std::string_view pathq = target.substr(ps);
  const size_t q = pathq.find('?');
  const std::string_view path = pathq.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : pathq.substr(q);
  using N = UriNormalizer;
  // The target is prefix + part + rest; only the part is rewritten.
  size_t prefix = ps;
  std::string_view part = pathq, rest;
  if (n == N::kPathMergeSlashes || n == N::kPathStripDot || n == N::kPathStripDotdot ||
      n == N::kPathStripDotdotFull) {
    part = path;
    rest = query;
  } else if (n == N::kQuerySortByName) {
    prefix += path.size();
    part = query;  // empty without a '?': nothing to sort, HAProxy changes nothing
  }
  if (prefix + uri_max_len(n, part.size()) + rest.size() > cap) return NormalizeResult::kTooLong;
  memcpy(out, target.data(), prefix);
  char* w = out + prefix;
  long got = 0;
  switch (n) {
    case N::kFragmentEncode:
      got = uri_fragment_encode(part, w);
      break;
    case N::kFragmentStrip:
      got = uri_fragment_strip(part, w);
      break;
    case N::kPathMergeSlashes:
      got = uri_merge_slashes(part, w);
      break;
    case N::kPathStripDot:
      got = uri_strip_dot(part, w);
      break;
    case N::kPathStripDotdot:
    case N::kPathStripDotdotFull:
      got = uri_strip_dotdot(part, n == N::kPathStripDotdotFull, w);
      break;
    case N::kPercentDecodeUnreserved:
    case N::kPercentDecodeUnreservedStrict:
      got = uri_percent_decode_unreserved(part, n == N::kPercentDecodeUnreservedStrict, w);
      break;
    case N::kPercentToUppercase:
    case N::kPercentToUppercaseStrict:
      got = uri_percent_upper(part, n == N::kPercentToUppercaseStrict, w);
      break;
    case N::kQuerySortByName:
      got = uri_query_sort(part, w, params, max_params);
      if (got < 0) return NormalizeResult::kTooLong;
      break;
  }
  if (got < 0) return NormalizeResult::kInvalid;
  if (!rest.empty()) memcpy(w + got, rest.data(), rest.size());
  *len = prefix + size_t(got) + rest.size();
  return NormalizeResult::kDone;
}

}  // namespace hearth::expr
