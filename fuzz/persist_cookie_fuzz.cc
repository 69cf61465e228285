// Drives the persistence cookie's text code (http/persist_cookie.h) with any
// bytes as a Cookie field and as a Set-Cookie field: every edit kind, the
// date stamps. An edited Cookie field is never longer than the field, views
// stay inside the input, and the date stamps round-trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/persist_cookie.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Ctx {
  std::string_view in;
  hearth::http::CookieEdit::Kind kind;
};

hearth::http::CookieEdit visit(void* p, std::string_view name, std::string_view value) {
  auto* c = static_cast<Ctx*>(p);
  check(name.find('=') == std::string_view::npos);
  if (name.size() != 3 || name[0] != 'S') return {};
  return {c->kind, value.size() / 2};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::http;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string out;
  for (auto kind :
       {CookieEdit::kOther, CookieEdit::kKeep, CookieEdit::kDelete, CookieEdit::kDropPrefix}) {
    Ctx c{in, kind};
    const FieldEdit r = edit_cookie_field(in, &visit, &c, &out);
    if (r == FieldEdit::kChanged) check(out.size() <= in.size() && !out.empty());
  }
  const SetCookieParts p = parse_set_cookie(in);
  if (p.has_eq) {
    check(p.val_beg <= p.val_end && p.val_end <= in.size() && p.name_end <= p.val_beg);
    check(p.value.data() >= in.data() && p.value.data() + p.value.size() <= in.data() + size);
    rewrite_set_cookie(in, p, SetCookieRewrite::kPrefix, "x~", &out);
    check(out.size() >= p.value.size());
  }
  const int64_t v = b64_to_s30(in);
  if (v >= 0) {
    char b[5];
    s30_to_b64(uint32_t(v), b);
    check(b64_to_s30(std::string_view(b, 5)) == v);
  }
  return 0;
}
