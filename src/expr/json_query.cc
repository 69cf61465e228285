#include "expr/json_query.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hearth::expr {

JsonPath::JsonPath(std::string_view t) {
  if (t.empty() || t[0] != '$') {
    usable_ = false;
    return;
  }
  size_t i = 1;
  while (i < t.size() && usable_) {
    Step s;
    if (t[i] == '.') {
      // A key runs to the next '.' or '[' that no backslash escapes.
      for (++i; i < t.size() && t[i] != '.' && t[i] != '['; ++i) {
        if (t[i] == '\\' && i + 1 < t.size()) ++i;
        s.key.push_back(t[i]);
      }
    } else if (t[i] == '[') {
      size_t j = i + 1;
      int64_t n = 0;
      while (j < t.size() && t[j] >= '0' && t[j] <= '9' && n < (int64_t(1) << 40))
        n = n * 10 + (t[j++] - '0');
      usable_ = j > i + 1 && j < t.size() && t[j] == ']';
      s.index = n;
      i = j + 1;
    } else {
      usable_ = false;
    }
    steps_.push_back(std::move(s));
  }
}

namespace {

// HAProxy's reader refuses documents nested deeper than this.
constexpr int kMaxDepth = 20;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The escapes the tokenizer steps over inside a string (others are plain
// bytes to it, and fail only when the string is decoded).
bool is_escape(char c) {
  return c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't' || c == '\\' || c == '"';
}

// Returns: the index of the closing quote of the string whose text starts
// at `i`, or npos if it has none or holds a NUL.
size_t pass_string(std::string_view s, size_t i) {
  for (; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && is_escape(s[i + 1]))
      ++i;
    else if (s[i] == '\0')
      return std::string_view::npos;
    else if (s[i] == '"')
      return i;
  }
  return std::string_view::npos;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The end of the number starting at `i` (a sign, digits, a fraction, an
// exponent); a number with no digit at all ends where it starts.
size_t pass_number(std::string_view s, size_t i) {
  const size_t start = i;
  if (i < s.size() && s[i] == '-') ++i;
  const size_t digits = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && is_digit(s[i]);) ++i;
  if (i == digits) return start;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

// The walk toward the path's value: which open containers lie on the path,
// whether the next value is the one the path names so far, and the element
// count of each array on the path.
class Walker {
 public:
  enum Verdict : uint8_t { kGo, kFound, kFail };
  explicit Walker(const JsonPath& p) : steps_(p.steps()) {}

  // A value of kind `c` ('{', '[', '"', 'n', 't', 'f', '0') starts.
  Verdict value(char c) {
    if (depth_ != on_path_) return kGo;
    if (depth_ > 0 && nest_[depth_ - 1] == '[') pending_ = index_[depth_ - 1]++ == want_index();
    if (!pending_) return kGo;
    pending_ = false;
    if (size_t(depth_) == steps_.size())
      return c == '"' || c == 't' || c == 'f' || c == '0' ? kFound : kFail;
    const bool key_next = steps_[depth_].index < 0;
    if ((c == '{' && key_next) || (c == '[' && !key_next)) {
      on_path_ = depth_ + 1;  // entered by open()
      return kGo;
    }
    return kFail;
  }
  void open(char c) {
    nest_[depth_] = c;
    index_[depth_] = 0;
    ++depth_;
  }
  // Returns: false if the container closed was on the path (no match).
  bool close() {
    --depth_;
    return depth_ >= on_path_;
  }
  // A member's key (raw, between its quotes) inside the current object.
  void key(std::string_view raw) {
    if (depth_ == on_path_ && depth_ > 0)
      pending_ = want_index() < 0 && raw == steps_[depth_ - 1].key;
  }
  int depth() const { return depth_; }
  char nest() const { return nest_[depth_ - 1]; }

 private:
  int64_t want_index() const { return steps_[depth_ - 1].index; }

  const std::vector<JsonPath::Step>& steps_;
  int depth_ = 0;
  int on_path_ = 0;
  bool pending_ = true;  // the top-level value is the path's start
  char nest_[kMaxDepth];
  int64_t index_[kMaxDepth];
};

}  // namespace

bool json_find(std::string_view s, const JsonPath& path, JsonValue* out) {
  if (!path.usable()) return false;
  enum { kValue, kKey, kColon, kCommaOrEnd } expect = kValue;
  Walker w(path);
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_blank(c)) continue;
    switch (expect) {
      case kValue: {
        if (c == '{' || c == '[') {
          if (w.depth() >= kMaxDepth || w.value(c) == Walker::kFail) return false;
          w.open(c);
          expect = c == '{' ? kKey : kValue;
          continue;
        }
        if (c == ']' && w.depth() > 0) {  // an empty array (or a trailing comma)
          if (!w.close()) return false;
          expect = kCommaOrEnd;
          if (w.depth() == 0) return false;
          continue;
        }
        JsonValue v;
        size_t end = i;
        if (s.substr(i, 4) == "true") {
          v.kind = JsonKind::kTrue, end = i + 4;
        } else if (s.substr(i, 5) == "false") {
          v.kind = JsonKind::kFalse, end = i + 5;
        } else if (s.substr(i, 4) == "null") {
          end = i + 4;
        } else if (c == '-' || is_digit(c)) {
          v.kind = JsonKind::kNumber, end = pass_number(s, i);
          if (end == i) return false;
        } else if (c == '"') {
          const size_t q = pass_string(s, i + 1);
          if (q == std::string_view::npos) return false;
          v.kind = JsonKind::kString, end = q + 1;
        } else {
          return false;
        }
        const char kind = c == 'n' ? 'n' : v.kind == JsonKind::kNumber ? '0' : c;
        v.raw = v.kind == JsonKind::kString ? s.substr(i + 1, end - i - 2) : s.substr(i, end - i);
        v.from = s.substr(i);
        const Walker::Verdict r = w.value(kind);
        if (r == Walker::kFound) {
          *out = v;
          return true;
        }
        if (r == Walker::kFail || w.depth() == 0) return false;
        i = end - 1;
        expect = kCommaOrEnd;
        continue;
      }
      case kKey: {
        if (c == '}') {
          if (!w.close() || w.depth() == 0) return false;
          expect = kCommaOrEnd;
          continue;
        }
        if (c != '"') return false;
        const size_t q = pass_string(s, i + 1);
        if (q == std::string_view::npos) return false;
        w.key(s.substr(i + 1, q - i - 1));
        i = q;
        expect = kColon;
        continue;
      }
      case kColon:
        if (c != ':') return false;
        expect = kValue;
        continue;
      case kCommaOrEnd:
        if (c == ',') {
          expect = w.nest() == '{' ? kKey : kValue;
        } else if (c == ']' || c == '}') {
          if (!w.close() || w.depth() == 0) return false;
        } else {
          return false;
        }
        continue;
    }
  }
  return false;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

long json_unescape(std::string_view s, char* out, size_t cap) {
  size_t j = 0;
  for (size_t i = 0; i < s.size(); ++i, ++j) {
    if (j >= cap) return -1;
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out[j] = s[i];
      continue;
    }
    const char e = s[++i];
    if (e == 'u' && i + 4 < s.size()) {
      // Only \u00XX: HAProxy's reader gives up on anything wider.
      const int hi = hex_value(s[i + 3]), lo = hex_value(s[i + 4]);
      if (s[i + 1] != '0' || s[i + 2] != '0' || hi < 0 || lo < 0) return -1;
      out[j] = char(hi << 4 | lo);
      i += 4;
      continue;
    }
    static constexpr char kFrom[] = "bfnrt\\\"";
    static constexpr char kTo[] = "\b\f\n\r\t\\\"";
    const char* p = std::strchr(kFrom, e);
    if (!e || !p) return -1;
    out[j] = kTo[p - kFrom];
  }
  if (j >= cap) return -1;  // HAProxy keeps room for a terminating NUL
  return long(j);
}

namespace {
// `raw` copied with a NUL, for the C conversions. Returns: false if too long.
bool terminated(std::string_view raw, char (&buf)[64]) {
  if (raw.size() >= sizeof buf) return false;
  std::memcpy(buf, raw.data(), raw.size());
  buf[raw.size()] = '\0';
  return true;
}
}  // namespace

bool json_number_text(std::string_view raw, char* out, size_t cap, size_t* len) {
  char buf[64];
  if (!terminated(raw, buf)) return false;
  const int n = std::snprintf(out, cap, "%g", std::strtod(buf, nullptr));
  if (n < 0 || size_t(n) >= cap) return false;
  *len = size_t(n);
  return true;
}

bool json_number_int(std::string_view from, int64_t* out) {
  // HAProxy reads the text with strtoll(..., 0) (so "010" is 8 and "0x10"
  // 16) and keeps only what a double holds exactly: |n| < 2^53.
  constexpr long long kMax = (1LL << 53) - 1;
  char buf[64];
  if (!terminated(from.substr(0, sizeof buf - 1), buf)) return false;
  errno = 0;
  const long long v = std::strtoll(buf, nullptr, 0);
  if (errno == ERANGE || v > kMax || v < -kMax) return false;
  *out = v;
  return true;
}

}  // namespace hearth::expr
