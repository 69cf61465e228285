// The text work of cookie persistence. Expected field values are what HAProxy
// 2.6 sends to the server for the same Cookie fields (checked side by side;
// tests/integration/cookie_persist_test.cc runs both on the wire).
#include "http/persist_cookie.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth::http {
namespace {

// A visitor that treats "SRV" as the persistence cookie and does `what` to it.
struct Policy {
  CookieEdit::Kind what = CookieEdit::kDelete;
  std::vector<std::string> seen;  // "name=value" of every cookie visited
};

CookieEdit visit(void* ctx, std::string_view name, std::string_view value) {
  auto* p = static_cast<Policy*>(ctx);
  p->seen.push_back(std::string(name) + "=" + std::string(value));
  if (name != "SRV") return {};
  if (p->what == CookieEdit::kDropPrefix) {
    const size_t t = value.find('~');
    if (t == std::string_view::npos) return {CookieEdit::kKeep, 0};
    return {CookieEdit::kDropPrefix, t + 1};
  }
  return {p->what, 0};
}

std::string edit(std::string_view in, CookieEdit::Kind what, FieldEdit* result = nullptr,
                 Policy* seen = nullptr) {
  Policy p{what, {}};
  std::string out;
  const FieldEdit r = edit_cookie_field(in, &visit, &p, &out);
  if (result) *result = r;
  if (seen) *seen = p;
  if (r == FieldEdit::kUnchanged) return std::string(in);
  if (r == FieldEdit::kRemove) return "<removed>";
  return out;
}

TEST(PersistCookieDates, RoundTrip) {
  char b[5];
  s30_to_b64(0, b);
  EXPECT_EQ(std::string(b, 5), "AAAAA");
  s30_to_b64(0x3fffffff, b);
  EXPECT_EQ(std::string(b, 5), "/////");
  // (1796155393 + 3) >> 2, the stamp HAProxy wrote at 2026-12-01 20:03 UTC.
  s30_to_b64(uint32_t((1796155393 + 3) >> 2), b);
  EXPECT_EQ(b64_to_s30(std::string_view(b, 5)), (1796155393 + 3) >> 2);
  for (uint32_t v : {1u, 63u, 64u, 12345678u, 0x2aaaaaaau}) {
    s30_to_b64(v, b);
    EXPECT_EQ(b64_to_s30(std::string_view(b, 5)), int64_t(v));
  }
}

TEST(PersistCookieDates, RejectsShortOrForeign) {
  EXPECT_EQ(b64_to_s30("AAAA"), -1);
  EXPECT_EQ(b64_to_s30("AA$AA"), -1);
  EXPECT_EQ(b64_to_s30("AA AA"), -1);
  EXPECT_EQ(b64_to_s30("AAAAB|x"), 1);  // only the first five count
}

TEST(PersistCookieField, DeletesAlone) {
  EXPECT_EQ(edit("SRV=a1", CookieEdit::kDelete), "<removed>");
  EXPECT_EQ(edit("$Version=1; SRV=a1", CookieEdit::kDelete), "<removed>");
  EXPECT_EQ(edit("SRV=a1; $Path=/", CookieEdit::kDelete), "<removed>");
}

TEST(PersistCookieField, DeletesFirstMiddleLast) {
  EXPECT_EQ(edit("SRV=a1; x=1", CookieEdit::kDelete), "x=1");
  EXPECT_EQ(edit("x=1; SRV=b2; y=2", CookieEdit::kDelete), "x=1; y=2");
  EXPECT_EQ(edit("x=1; SRV=b2", CookieEdit::kDelete), "x=1");
  EXPECT_EQ(edit("x=1;SRV=b2;y=2", CookieEdit::kDelete), "x=1; y=2");
  EXPECT_EQ(edit("SRV=a1; SRV=b2; x=1", CookieEdit::kDelete), "x=1");
  EXPECT_EQ(edit("$Version=1; SRV=a1; $Path=/; x=1", CookieEdit::kDelete), "$Version=1; x=1");
  // ',' separates cookies in a Cookie field; the separator of what stays is kept.
  EXPECT_EQ(edit("a=1;SRV=a1 ;  b = 2, SRV=b2", CookieEdit::kDelete), "a=1; b=2");
  // Words without '=' stay, and stop a removal there.
  EXPECT_EQ(edit("y; SRV=a1; z", CookieEdit::kDelete), "y; z");
  EXPECT_EQ(edit(";SRV=a1", CookieEdit::kDelete), "<removed>");
  EXPECT_EQ(edit("SRV = abc ;", CookieEdit::kDelete), "<removed>");
}

TEST(PersistCookieField, KeepsOthersAndNormalisesBlanks) {
  FieldEdit r;
  EXPECT_EQ(edit("x=1; y=2", CookieEdit::kDelete, &r), "x=1; y=2");
  EXPECT_EQ(r, FieldEdit::kUnchanged);
  EXPECT_EQ(edit("SRV = a1 ; x=1", CookieEdit::kKeep, &r), "SRV=a1 ; x=1");
  EXPECT_EQ(r, FieldEdit::kChanged);
  EXPECT_EQ(edit("x =\t1", CookieEdit::kKeep), "x=1");
}

TEST(PersistCookieField, DropsPrefix) {
  EXPECT_EQ(edit("SRV=a1~xyz; o=1", CookieEdit::kDropPrefix), "SRV=xyz; o=1");
  EXPECT_EQ(edit("o=1; SRV=b2~q", CookieEdit::kDropPrefix), "o=1; SRV=q");
  FieldEdit r;
  EXPECT_EQ(edit("SRV=a1", CookieEdit::kDropPrefix, &r), "SRV=a1");
  EXPECT_EQ(r, FieldEdit::kUnchanged);
}

TEST(PersistCookieField, QuotedValuesHoldSeparators) {
  Policy p;
  EXPECT_EQ(edit("SRV=\"a;b,c\"; x=1", CookieEdit::kDelete, nullptr, &p), "x=1");
  ASSERT_EQ(p.seen.size(), 2u);
  EXPECT_EQ(p.seen[0], "SRV=\"a;b,c\"");
  // An escaped quote inside quotes does not end them.
  edit("SRV=\"a\\\";b\"; x=1", CookieEdit::kKeep, nullptr, &p);
  EXPECT_EQ(p.seen[0], "SRV=\"a\\\";b\"");
}

TEST(PersistCookieField, EmptyAndOddInput) {
  FieldEdit r;
  EXPECT_EQ(edit("", CookieEdit::kDelete, &r), "");
  EXPECT_EQ(r, FieldEdit::kUnchanged);
  EXPECT_EQ(edit(";;;", CookieEdit::kDelete, &r), ";;;");
  EXPECT_EQ(r, FieldEdit::kUnchanged);
  EXPECT_EQ(edit("=", CookieEdit::kDelete), "=");
  EXPECT_EQ(edit("SRV=", CookieEdit::kDelete), "<removed>");
}

TEST(PersistSetCookie, FindsTheFirstCookie) {
  SetCookieParts p = parse_set_cookie("SRV=abc; Path=/x");
  ASSERT_TRUE(p.has_eq);
  EXPECT_EQ(p.name, "SRV");
  EXPECT_EQ(p.value, "abc");
  EXPECT_FALSE(p.normalised);
  p = parse_set_cookie(" SRV = v ; path=/");
  EXPECT_EQ(p.name, "SRV");
  EXPECT_EQ(p.value, "v");
  EXPECT_TRUE(p.normalised);
  EXPECT_FALSE(parse_set_cookie("foo; SRV=1").has_eq);
  EXPECT_FALSE(parse_set_cookie("").has_eq);
  // A comma ends the value, as in HAProxy (the rest is left as it was).
  EXPECT_EQ(parse_set_cookie("SRV=a,b; path=/").value, "a");
}

TEST(PersistSetCookie, Rewrites) {
  std::string out;
  std::string_view in = "SRV=abc; Path=/x";
  SetCookieParts p = parse_set_cookie(in);
  rewrite_set_cookie(in, p, SetCookieRewrite::kReplace, "b2", &out);
  EXPECT_EQ(out, "SRV=b2; Path=/x");
  rewrite_set_cookie(in, p, SetCookieRewrite::kPrefix, "b2~", &out);
  EXPECT_EQ(out, "SRV=b2~abc; Path=/x");
  in = "SRV = abc ; path=/";
  p = parse_set_cookie(in);
  rewrite_set_cookie(in, p, SetCookieRewrite::kNormalise, {}, &out);
  EXPECT_EQ(out, "SRV=abc ; path=/");
}

}  // namespace
}  // namespace hearth::http
