#include "http/persist_cookie.h"

namespace hearth::http {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool blank(char c) { return c == ' ' || c == '\t'; }

int b64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Returns: the end of a cookie value starting at `i`: the first ';' or ','
// outside double quotes (a backslash escapes the next byte inside them).
size_t value_end(std::string_view s, size_t i, bool comma_ends) {
  bool quoted = false, escaped = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (escaped) {
      escaped = false;
    } else if (quoted) {
      if (c == '\\') escaped = true;
      if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';' || (comma_ends && c == ',')) {
      return i;
    }
  }
  return i;
}

// One cookie of a field: [start, next) with start at its leading separator
// (or 0); the name in [att_beg, att_end), '=' at eq (or none), the value in
// [val_beg, val_end).
struct Item {
  size_t start = 0, att_beg = 0, att_end = 0, eq = 0, val_beg = 0, val_end = 0, next = 0;
  bool has_eq = false;
};

Item split_item(std::string_view s, size_t start, bool first, bool cookie_field) {
  Item it;
  it.start = start;
  size_t i = first ? start : start + 1;
  while (i < s.size() && blank(s[i])) ++i;
  it.att_beg = it.att_end = i;
  while (i < s.size() && s[i] != '=' && s[i] != ';' && !(cookie_field && s[i] == ',')) {
    if (!blank(s[i])) it.att_end = i + 1;
    ++i;
  }
  it.eq = i;
  if (i < s.size() && s[i] == '=') {
    it.has_eq = true;
    size_t v = i + 1;
    while (v < s.size() && blank(s[v])) ++v;
    it.val_beg = v;
    it.next = value_end(s, v, true);
    it.val_end = it.next;
    while (it.val_end > it.val_beg && blank(s[it.val_end - 1])) --it.val_end;
  } else {
    it.val_beg = it.val_end = it.next = i;
  }
  return it;
}

}  // namespace

void s30_to_b64(uint32_t v, char out[5]) {
  for (int i = 0; i < 5; ++i) out[i] = kB64[(v >> (24 - 6 * i)) & 0x3f];
}

int64_t b64_to_s30(std::string_view in) {
  if (in.size() < 5) return -1;
  int64_t v = 0;
  for (int i = 0; i < 5; ++i) {
    const int d = b64_digit(in[size_t(i)]);
    if (d < 0) return -1;
    v = (v << 6) | d;
  }
  return v;
}

FieldEdit edit_cookie_field(std::string_view in, CookieVisitor visit, void* ctx, std::string* out) {
  out->clear();
  bool changed = false;
  bool preserve = false;  // a cookie that stays is in the field
  bool deleting = false;  // cookies are being removed, from out->size() == del_at on
  size_t del_at = 0;
  bool first = true;
  for (size_t pos = 0; pos < in.size() || first;) {
    const Item it = split_item(in, pos, first, true);
    first = false;
    pos = it.next;
    const std::string_view whole = in.substr(it.start, it.next - it.start);
    const bool attribute = it.att_beg < in.size() && in[it.att_beg] == '$';
    // The item as written, blanks around '=' removed.
    auto append_item = [&](size_t from, std::string_view value) {
      out->append(in.substr(from, it.att_end - from));
      out->push_back('=');
      out->append(value);
      out->append(in.substr(it.val_end, it.next - it.val_end));
    };
    // A cookie that stays after removed ones: the removed span goes, with
    // its separator, or with the blanks before it when it was not first.
    auto flush = [&]() -> size_t {
      deleting = false;
      changed = true;
      size_t from = it.start;
      if (del_at == 0) {
        if (from < in.size()) ++from;  // the separator
      } else {
        while (!out->empty() && blank(out->back())) out->pop_back();
        out->push_back(in[from++]);
        out->push_back(' ');
      }
      while (from < in.size() && blank(in[from])) ++from;
      return from;
    };
    if (attribute) {
      if (!deleting) out->append(whole);
      continue;
    }
    if (!it.has_eq) {
      preserve = true;
      if (deleting) {
        const size_t from = flush();
        out->append(in.substr(from, it.next - from));
      } else {
        out->append(whole);
      }
      continue;
    }
    const std::string_view name = in.substr(it.att_beg, it.att_end - it.att_beg);
    const std::string_view value = in.substr(it.val_beg, it.val_end - it.val_beg);
    const bool blanks = it.att_end != it.eq || it.val_beg != it.eq + 1;
    changed |= blanks;
    const CookieEdit e = visit(ctx, name, value);
    switch (e.kind) {
      case CookieEdit::kOther: {
        preserve = true;
        const size_t from = deleting ? flush() : it.start;
        append_item(from, value);
        break;
      }
      case CookieEdit::kKeep:
        if (!deleting) append_item(it.start, value);
        break;
      case CookieEdit::kDropPrefix:
        preserve = true;
        changed = true;
        append_item(it.start, value.substr(e.prefix < value.size() ? e.prefix : value.size()));
        break;
      case CookieEdit::kDelete:
        if (!deleting) {
          deleting = true;
          del_at = out->size();
        }
        changed = true;
        break;
    }
  }
  if (deleting) {
    if (!preserve) return FieldEdit::kRemove;
    out->resize(del_at);
  }
  if (!changed) return FieldEdit::kUnchanged;
  return out->empty() ? FieldEdit::kRemove : FieldEdit::kChanged;
}

SetCookieParts parse_set_cookie(std::string_view in) {
  const Item it = split_item(in, 0, true, false);
  SetCookieParts p;
  if (!it.has_eq || it.val_end == it.eq) return p;
  p.has_eq = true;
  p.normalised = it.att_end != it.eq || it.val_beg != it.eq + 1;
  p.name = in.substr(it.att_beg, it.att_end - it.att_beg);
  p.value = in.substr(it.val_beg, it.val_end - it.val_beg);
  p.name_end = it.att_end;
  p.val_beg = it.val_beg;
  p.val_end = it.val_end;
  return p;
}

void rewrite_set_cookie(std::string_view in, const SetCookieParts& p, SetCookieRewrite how,
                        std::string_view text, std::string* out) {
  out->clear();
  out->append(in.substr(0, p.name_end));
  out->push_back('=');
  if (how != SetCookieRewrite::kNormalise) out->append(text);
  if (how != SetCookieRewrite::kReplace) out->append(p.value);
  out->append(in.substr(p.val_end));
}

}  // namespace hearth::http
