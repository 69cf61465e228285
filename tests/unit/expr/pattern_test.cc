// expr::PatternSet: the matching methods of HAProxy manual 7.1. Cases marked
// "HAProxy 2.6" were checked against haproxy 2.6.12 with str()/int()
// samples in anonymous ACLs ({ str(...) -m METHOD PATTERN }).
#include "expr/pattern.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

using testing::bin;
using testing::boolean;
using testing::sint;
using testing::str;

Sample addr(const char* text) {
  unsigned char a[16];
  Sample x;
  if (inet_pton(AF_INET, text, a) == 1) {
    x.set_ipv4(a);
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, text, a), 1) << text;
    x.set_ipv6(a);
  }
  return x;
}

// A set of `m` with `patterns` (all valid), -i if `icase`, operator `op`.
PatternSet set(MatchMethod m, std::initializer_list<const char*> patterns, bool icase = false,
               IntOp op = IntOp::kEq) {
  PatternSet p(m);
  for (const char* t : patterns) {
    std::string err;
    EXPECT_TRUE(p.add(t, icase, op, &err)) << t << ": " << err;
  }
  return p;
}

// The error adding `text` gives ("" if it is valid).
std::string add_error(MatchMethod m, const char* text, IntOp op = IntOp::kEq) {
  PatternSet p(m);
  std::string err;
  if (p.add(text, false, op, &err)) return "";
  EXPECT_FALSE(err.empty()) << text;
  return err;
}

TEST(MatchMethods, Names) {
  const char* names[] = {"found", "bool", "int", "ip",  "bin", "len", "str",
                         "sub",   "reg",  "beg", "end", "dir", "dom"};
  for (const char* n : names) {
    auto m = match_method_of(n);
    ASSERT_TRUE(m.has_value()) << n;
    EXPECT_STREQ(match_method_name(*m), n);
  }
  EXPECT_FALSE(match_method_of("regm").has_value());
  EXPECT_FALSE(match_method_of("STR").has_value());
  EXPECT_FALSE(match_method_of("").has_value());
}

// Manual 7.1's table of default methods: binary needs -m.
TEST(MatchMethods, DefaultsByType) {
  EXPECT_EQ(default_match(SmpType::kBool), MatchMethod::kBool);
  EXPECT_EQ(default_match(SmpType::kSint), MatchMethod::kInt);
  EXPECT_EQ(default_match(SmpType::kAddr), MatchMethod::kIp);
  EXPECT_EQ(default_match(SmpType::kIpv4), MatchMethod::kIp);
  EXPECT_EQ(default_match(SmpType::kIpv6), MatchMethod::kIp);
  EXPECT_EQ(default_match(SmpType::kStr), MatchMethod::kStr);
  EXPECT_EQ(default_match(SmpType::kMeth), MatchMethod::kStr);
  EXPECT_FALSE(default_match(SmpType::kBin).has_value());
}

TEST(PatternFound, AnySampleThatExists) {
  const PatternSet p = set(MatchMethod::kFound, {});
  EXPECT_TRUE(p.match(str("")));
  EXPECT_TRUE(p.match(sint(0)));
  EXPECT_TRUE(p.match(boolean(false)));
}

// Value zero or false does not match, all others do (manual 7.1.1); patterns
// are accepted and ignored (HAProxy 2.6: "-m found foo", "-m bool foo").
TEST(PatternBool, NonZeroMatches) {
  const PatternSet p = set(MatchMethod::kBool, {"ignored"});
  EXPECT_TRUE(p.match(boolean(true)));
  EXPECT_FALSE(p.match(boolean(false)));
  EXPECT_TRUE(p.match(sint(2)));
  EXPECT_TRUE(p.match(sint(-1)));
  EXPECT_FALSE(p.match(sint(0)));
  EXPECT_TRUE(p.match(str("5")));     // HAProxy 2.6: str(5) -m bool
  EXPECT_FALSE(p.match(str("abc")));  // HAProxy 2.6: no match
  EXPECT_TRUE(p.match(addr("1.2.3.4")));
  EXPECT_TRUE(set(MatchMethod::kFound, {"ignored"}).match(str("x")));
}

TEST(PatternInt, ValuesAndRanges) {
  const PatternSet p = set(MatchMethod::kInt, {"80", "1024:65535", ":10", "100000:"});
  EXPECT_TRUE(p.match(sint(80)));
  EXPECT_FALSE(p.match(sint(81)));
  EXPECT_TRUE(p.match(sint(1024)));
  EXPECT_TRUE(p.match(sint(65535)));
  EXPECT_FALSE(p.match(sint(65536)));
  EXPECT_TRUE(p.match(sint(-5)));  // HAProxy 2.6: int(-5) :10
  EXPECT_TRUE(p.match(sint(10)));
  EXPECT_FALSE(p.match(sint(11)));
  EXPECT_TRUE(p.match(sint(1000000)));
  // Booleans are 0 and 1, strings their leading digits (HAProxy 2.6).
  EXPECT_TRUE(set(MatchMethod::kInt, {"1"}).match(boolean(true)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"0"}).match(boolean(false)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"12"}).match(str("12abc")));
  EXPECT_TRUE(set(MatchMethod::kInt, {"16909060"}).match(addr("1.2.3.4")));
  EXPECT_FALSE(set(MatchMethod::kInt, {"0"}).match(str("")));  // no integer at all
}

// HAProxy's pat_parse_int(): '-' separates bounds as ':' does, so a leading
// '-' means "up to" (HAProxy 2.6: int(0), int(1) and int(-1) match "-1",
// int(2) does not; int(15) matches 10-20).
TEST(PatternInt, DashIsARangeSeparator) {
  const PatternSet p = set(MatchMethod::kInt, {"-1"});
  EXPECT_TRUE(p.match(sint(0)));
  EXPECT_TRUE(p.match(sint(1)));
  EXPECT_TRUE(p.match(sint(-1)));
  EXPECT_FALSE(p.match(sint(2)));
  const PatternSet r = set(MatchMethod::kInt, {"10-20"});
  EXPECT_TRUE(r.match(sint(15)));
  EXPECT_FALSE(r.match(sint(25)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"1-"}).match(sint(7)));
  // A negative bound after the separator (HAProxy 2.6).
  const PatternSet n = set(MatchMethod::kInt, {":-5"});
  EXPECT_TRUE(n.match(sint(-10)));
  EXPECT_FALSE(n.match(sint(-3)));
  const PatternSet d = set(MatchMethod::kInt, {"--5"});
  EXPECT_TRUE(d.match(sint(-7)));
  EXPECT_FALSE(d.match(sint(-3)));
}

TEST(PatternInt, Operators) {
  EXPECT_TRUE(set(MatchMethod::kInt, {"3"}, false, IntOp::kGt).match(sint(5)));
  EXPECT_FALSE(set(MatchMethod::kInt, {"3"}, false, IntOp::kGt).match(sint(3)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"3"}, false, IntOp::kGe).match(sint(3)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"3"}, false, IntOp::kLe).match(sint(3)));
  EXPECT_FALSE(set(MatchMethod::kInt, {"3"}, false, IntOp::kLt).match(sint(3)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"0"}, false, IntOp::kLt).match(sint(-5)));
  EXPECT_FALSE(set(MatchMethod::kInt, {"0"}, false, IntOp::kLt).match(sint(5)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"3"}, false, IntOp::kEq).match(sint(3)));
  // At least one value: "eq 4 5" misses 3.
  EXPECT_FALSE(set(MatchMethod::kInt, {"4", "5"}, false, IntOp::kEq).match(sint(3)));
  // An operator does not apply to a range (HAProxy 2.6: int(3) ge 1:2 misses).
  EXPECT_FALSE(set(MatchMethod::kInt, {"1:2"}, false, IntOp::kGe).match(sint(3)));
  // ... nor to a value with a '-' (HAProxy 2.6: "lt -2" is "lt" of ":2").
  EXPECT_FALSE(set(MatchMethod::kInt, {"-2"}, false, IntOp::kLt).match(sint(3)));
  EXPECT_TRUE(set(MatchMethod::kInt, {"-2"}, false, IntOp::kLt).match(sint(-5)));
  // The extremes do not wrap.
  EXPECT_FALSE(
      set(MatchMethod::kInt, {"9223372036854775807"}, false, IntOp::kGt).match(sint(INT64_MIN)));
}

TEST(PatternInt, InvalidPatterns) {
  EXPECT_NE(add_error(MatchMethod::kInt, "x"), "");
  EXPECT_NE(add_error(MatchMethod::kInt, ""), "");
  EXPECT_NE(add_error(MatchMethod::kInt, ":"), "");
  EXPECT_NE(add_error(MatchMethod::kInt, "-"), "");
  EXPECT_NE(add_error(MatchMethod::kInt, "5:3"), "");   // HAProxy 2.6: not a valid range
  EXPECT_NE(add_error(MatchMethod::kInt, "3:-5"), "");  // idem
  EXPECT_NE(add_error(MatchMethod::kInt, "1:2:3"), "");
  EXPECT_NE(add_error(MatchMethod::kInt, "-5:"), "");
  EXPECT_NE(add_error(MatchMethod::kInt, "+5"), "");  // HAProxy 2.6: not a number
  EXPECT_NE(add_error(MatchMethod::kInt, "1.5"), "");
  EXPECT_NE(add_error(MatchMethod::kLen, "x", IntOp::kGt), "");
  EXPECT_EQ(add_error(MatchMethod::kInt, "1:1"), "");
}

TEST(PatternLen, LengthOfTheString) {
  const PatternSet p = set(MatchMethod::kLen, {"5"});
  EXPECT_TRUE(p.match(str("hello")));
  EXPECT_FALSE(p.match(str("hell")));
  EXPECT_TRUE(set(MatchMethod::kLen, {"4"}, false, IntOp::kGt).match(str("hello")));
  EXPECT_FALSE(set(MatchMethod::kLen, {"6:"}).match(str("hello")));
  EXPECT_TRUE(set(MatchMethod::kLen, {"0"}).match(str("")));
  EXPECT_TRUE(set(MatchMethod::kLen, {"2"}).match(sint(12)));         // HAProxy 2.6
  EXPECT_TRUE(set(MatchMethod::kLen, {"1"}).match(boolean(true)));    // HAProxy 2.6
  EXPECT_TRUE(set(MatchMethod::kLen, {"7"}).match(addr("1.2.3.4")));  // HAProxy 2.6
}

TEST(PatternStr, ExactMatch) {
  const PatternSet p = set(MatchMethod::kStr, {"hello", "world"});
  EXPECT_TRUE(p.match(str("hello")));
  EXPECT_TRUE(p.match(str("world")));
  EXPECT_FALSE(p.match(str("Hello")));
  EXPECT_FALSE(p.match(str("hello!")));
  EXPECT_FALSE(p.match(str("")));
  EXPECT_EQ(p.size(), 2u);
  EXPECT_TRUE(set(MatchMethod::kStr, {"12"}).match(sint(12)));      // HAProxy 2.6
  EXPECT_TRUE(set(MatchMethod::kStr, {"1"}).match(boolean(true)));  // HAProxy 2.6
  EXPECT_TRUE(set(MatchMethod::kStr, {"1.2.3.4"}).match(addr("1.2.3.4")));
  EXPECT_TRUE(set(MatchMethod::kStr, {"a b"}).match(str("a b")));
}

TEST(PatternStr, IgnoreCase) {
  const PatternSet p = set(MatchMethod::kStr, {"HELLO"}, true);
  EXPECT_TRUE(p.match(str("hello")));
  EXPECT_TRUE(p.match(str("HeLLo")));
  EXPECT_FALSE(p.match(str("hello!")));
  // -i holds for the patterns added with it only.
  PatternSet mixed(MatchMethod::kStr);
  std::string err;
  ASSERT_TRUE(mixed.add("Exact", false, IntOp::kEq, &err));
  ASSERT_TRUE(mixed.add("Any", true, IntOp::kEq, &err));
  EXPECT_TRUE(mixed.match(str("Exact")));
  EXPECT_FALSE(mixed.match(str("exact")));
  EXPECT_TRUE(mixed.match(str("aNY")));
}

TEST(PatternBeg, Prefix) {
  const PatternSet p = set(MatchMethod::kBeg, {"/static", "/img"});
  EXPECT_TRUE(p.match(str("/static/a.css")));
  EXPECT_TRUE(p.match(str("/img")));
  EXPECT_FALSE(p.match(str("/im")));
  EXPECT_FALSE(p.match(str("/Static")));
  EXPECT_TRUE(set(MatchMethod::kBeg, {"HE"}, true).match(str("hello")));  // HAProxy 2.6
  EXPECT_FALSE(set(MatchMethod::kBeg, {"HE"}).match(str("hello")));
  EXPECT_TRUE(set(MatchMethod::kBeg, {"1"}).match(sint(12)));  // HAProxy 2.6
}

TEST(PatternEnd, Suffix) {
  const PatternSet p = set(MatchMethod::kEnd, {".png", ".jpg"});
  EXPECT_TRUE(p.match(str("/a/logo.png")));
  EXPECT_FALSE(p.match(str("/a/logo.PNG")));
  EXPECT_FALSE(p.match(str("png")));
  EXPECT_TRUE(set(MatchMethod::kEnd, {"LLO"}, true).match(str("hello")));  // HAProxy 2.6
  EXPECT_FALSE(set(MatchMethod::kEnd, {"LLO"}).match(str("hello")));
}

TEST(PatternSub, Substring) {
  const PatternSet p = set(MatchMethod::kSub, {"ell"});
  EXPECT_TRUE(p.match(str("hello")));
  EXPECT_FALSE(p.match(str("HELLO")));
  EXPECT_FALSE(p.match(str("el")));
  EXPECT_TRUE(set(MatchMethod::kSub, {"ELL"}, true).match(str("hello")));  // HAProxy 2.6
  EXPECT_FALSE(set(MatchMethod::kSub, {"hello!"}).match(str("hello")));
  EXPECT_TRUE(set(MatchMethod::kSub, {"abab"}).match(str("aababab")));
}

TEST(PatternReg, Regex) {
  const PatternSet p = set(MatchMethod::kReg, {"^h.*o$"});
  EXPECT_TRUE(p.match(str("hello")));
  EXPECT_FALSE(p.match(str("hellO!")));
  EXPECT_TRUE(set(MatchMethod::kReg, {"^H"}, true).match(str("hello")));  // HAProxy 2.6
  EXPECT_FALSE(set(MatchMethod::kReg, {"^H"}).match(str("hello")));
  EXPECT_TRUE(set(MatchMethod::kReg, {"ell"}).match(str("hello")));  // not anchored
  EXPECT_TRUE(set(MatchMethod::kReg, {"x", "l+"}).match(str("hello")));
  const std::string e = add_error(MatchMethod::kReg, "(x");
  EXPECT_NE(e.find("(x"), std::string::npos) << e;
}

TEST(PatternBin, HexBlocks) {
  const PatternSet p = set(MatchMethod::kBin, {"68656C6C6F"});
  EXPECT_TRUE(p.match(str("hello")));  // HAProxy 2.6
  EXPECT_TRUE(p.match(bin("hello")));
  EXPECT_FALSE(p.match(str("hell")));
  EXPECT_TRUE(set(MatchMethod::kBin, {"68656c6c6f"}).match(str("hello")));  // either case
  EXPECT_FALSE(set(MatchMethod::kBin, {"6865"}).match(str("hello")));       // whole sample
  EXPECT_TRUE(set(MatchMethod::kBin, {"610062"}).match(bin(std::string_view("a\0b", 3))));
  // An integer matches as its 8 bytes (HAProxy 2.6: int(3) -m bin 0000000000000003).
  EXPECT_TRUE(set(MatchMethod::kBin, {"0000000000000003"}).match(sint(3)));
  EXPECT_TRUE(set(MatchMethod::kBin, {"01020304"}).match(addr("1.2.3.4")));
  // HAProxy 2.6: "an even number of hex digit is expected", "an hex digit is expected".
  EXPECT_NE(add_error(MatchMethod::kBin, "123"), "");
  EXPECT_NE(add_error(MatchMethod::kBin, "12zz"), "");
}

// A binary sample matched as a string ends at its first NUL byte (manual
// 7.1.3; HAProxy 2.6 with str(YQBi),b64dec, that is "a\0b").
TEST(PatternStr, BinarySampleStopsAtNul) {
  const Sample s = bin(std::string_view("a\0b", 3));
  EXPECT_TRUE(set(MatchMethod::kStr, {"a"}).match(s));
  EXPECT_FALSE(set(MatchMethod::kSub, {"b"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kLen, {"1"}).match(s));
  EXPECT_FALSE(set(MatchMethod::kLen, {"3"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kBeg, {"a"}).match(s));
  EXPECT_FALSE(set(MatchMethod::kEnd, {"b"}).match(s));
  EXPECT_FALSE(set(MatchMethod::kReg, {"b"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kDom, {"a"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kLen, {"0"}).match(bin(std::string_view("\0\0\0\1", 4))));
}

// Manual 7.1.3's example for dom, with HAProxy 2.6's verdicts. The manual
// lists "dc-eu.example:80" among the matches, but ".com" stands between them
// and HAProxy 2.6 does not match it.
TEST(PatternDom, ManualExample) {
  const Sample s = str("http://www1.dc-eu.example.com:80/blah");
  for (const char* yes : {"http", "www1", ".www1", "dc-eu", "example", "com", "80", "dc-eu.example",
                          "blah", ":www1:", "/blah/", "example.com:80/blah"}) {
    EXPECT_TRUE(set(MatchMethod::kDom, {yes}).match(s)) << yes;
  }
  for (const char* no : {"eu", "dc", "ww", "www1.dc", "dc-eu.example:80", ""}) {
    EXPECT_FALSE(set(MatchMethod::kDom, {no}).match(s)) << no;
  }
  EXPECT_TRUE(set(MatchMethod::kDom, {"WWW1"}, true).match(s));
  EXPECT_FALSE(set(MatchMethod::kDom, {"WWW1"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kDom, {"c"}).match(str("/a/b?c/d")));  // '?' delimits
}

// Manual 7.1.3's example for dir, with HAProxy 2.6's verdicts. The manual
// says "png" does not match, but it is a whole path segment and HAProxy
// 2.6 matches it; "32x32" does not.
TEST(PatternDir, ManualExample) {
  const Sample s = str("/images/png/logo/32x32.png");
  for (const char* yes : {"/images", "/images/png", "images/png", "/png/logo", "logo/32x32.png",
                          "32x32.png", "png", "//png//", "images/png/"}) {
    EXPECT_TRUE(set(MatchMethod::kDir, {yes}).match(s)) << yes;
  }
  for (const char* no : {"32x32", "/", "image", "png/log", "32x32.pn"}) {
    EXPECT_FALSE(set(MatchMethod::kDir, {no}).match(s)) << no;
  }
  EXPECT_TRUE(set(MatchMethod::kDir, {"/IMAGES"}, true).match(s));
}

// HAProxy's pat_match_dir() delimits with '?' too (HAProxy 2.6 with
// str(/a/b?c/d)).
TEST(PatternDir, QuestionMarkDelimits) {
  const Sample s = str("/a/b?c/d");
  EXPECT_TRUE(set(MatchMethod::kDir, {"b"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kDir, {"a/b"}).match(s));
  EXPECT_TRUE(set(MatchMethod::kDir, {"c"}).match(s));
  EXPECT_FALSE(set(MatchMethod::kDir, {"b/c"}).match(s));
  EXPECT_FALSE(set(MatchMethod::kDir, {"a.b"}).match(str("/a.b.c")));  // '.' does not
}

// Manual 7.1.6's short forms, and its examples table (HAProxy 2.6).
TEST(PatternIp, Ipv4AndShortForms) {
  EXPECT_TRUE(set(MatchMethod::kIp, {"10.12"}).match(addr("10.0.0.12")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"10.0.0.12"}).match(addr("10.0.0.12")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"10.12/8"}).match(addr("10.1.2.3")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"192.168.1"}).match(addr("192.168.0.1")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"192.168.1/22"}).match(addr("192.168.1.5")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"192.168.1/22"}).match(addr("192.168.0.1")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"192.168.1/22"}).match(addr("192.168.4.1")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"127.1"}).match(addr("127.0.0.1")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"127.1/8"}).match(addr("127.5.5.5")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"10"}).match(addr("0.0.0.10")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"10/8"}).match(addr("10.0.0.0")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"1.2.3"}).match(addr("1.2.0.3")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"1.2.3"}).match(addr("1.0.2.3")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"0.0.0.0/0"}).match(addr("1.2.3.4")));
}

TEST(PatternIp, DottedMasks) {
  EXPECT_TRUE(set(MatchMethod::kIp, {"10.0.0.0/255.0.0.0"}).match(addr("10.1.2.3")));
  // Masks need not be contiguous (HAProxy 2.6).
  EXPECT_FALSE(set(MatchMethod::kIp, {"10.0.0.0/255.0.255.0"}).match(addr("10.1.2.3")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"10.0.2.0/255.0.255.0"}).match(addr("10.1.2.3")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"10.9.9.9/8"}).match(addr("10.1.2.3")));  // host bits
}

TEST(PatternIp, Ipv6) {
  EXPECT_TRUE(set(MatchMethod::kIp, {"2001:db8::/32"}).match(addr("2001:db8::1")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"2001:db8::/32"}).match(addr("2001:db9::1")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"::1"}).match(addr("::1")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"::1"}).match(addr("::2")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"::/0"}).match(addr("2001:db8::1")));
}

// Manual 7.1.6: an IPv4 sample against an IPv6 pattern is first mapped to
// ::ffff:a.b.c.d (HAProxy 2.6).
TEST(PatternIp, Ipv4SampleIpv6Pattern) {
  EXPECT_TRUE(set(MatchMethod::kIp, {"::ffff:1.2.3.4"}).match(addr("1.2.3.4")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"::ffff:1.2.0.0/112"}).match(addr("1.2.3.4")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"::1.2.3.4"}).match(addr("1.2.3.4")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"::/0"}).match(addr("1.2.3.4")));
  EXPECT_FALSE(set(MatchMethod::kIp, {"2001:db8::/32"}).match(addr("1.2.3.4")));
}

// Manual 7.1.6: an IPv6 sample against an IPv4 pattern matches in IPv4 when
// it is ::ffff:IPV4, ::IPV4 or 2002:IPV4:: (HAProxy 2.6, which takes any
// 2002::/16 address, subnet and host bits included).
TEST(PatternIp, Ipv6SampleIpv4Pattern) {
  const PatternSet p = set(MatchMethod::kIp, {"1.2.3.0/24"});
  EXPECT_TRUE(p.match(addr("::ffff:1.2.3.4")));
  EXPECT_TRUE(p.match(addr("::1.2.3.4")));
  EXPECT_TRUE(p.match(addr("2002:102:304::")));
  EXPECT_TRUE(p.match(addr("2002:102:304:1::5")));
  EXPECT_FALSE(p.match(addr("2001:db8::1")));
  EXPECT_FALSE(p.match(addr("::ffff:1.2.4.4")));
  EXPECT_TRUE(set(MatchMethod::kIp, {"0.0.0.0/0"}).match(addr("::1")));  // ::0.0.0.1
  EXPECT_TRUE(set(MatchMethod::kIp, {"0.0.0.0/0"}).match(addr("::")));
}

TEST(PatternIp, StringAndIntegerSamples) {
  const PatternSet p = set(MatchMethod::kIp, {"1.2.3.4"});
  EXPECT_TRUE(p.match(str("1.2.3.4")));
  EXPECT_TRUE(p.match(str("1.2.3.4x")));    // HAProxy 2.6: leading digits and dots
  EXPECT_TRUE(p.match(str("1.2.3.4:80")));  // HAProxy 2.6
  EXPECT_FALSE(p.match(str("junk")));
  EXPECT_TRUE(p.match(sint(16909060)));  // HAProxy 2.6
  EXPECT_TRUE(set(MatchMethod::kIp, {"1.2.3.0/24"}).match(str("::ffff:1.2.3.9")));
}

TEST(PatternIp, InvalidPatterns) {
  EXPECT_NE(add_error(MatchMethod::kIp, "10.0.0.1/33"), "");  // HAProxy 2.6 refuses it too
  EXPECT_NE(add_error(MatchMethod::kIp, "2001:db8::/129"), "");
  EXPECT_NE(add_error(MatchMethod::kIp, "2001:db8::/ffff::"), "");  // bit counts only
  EXPECT_NE(add_error(MatchMethod::kIp, "1.2.3.4/x"), "");
  EXPECT_NE(add_error(MatchMethod::kIp, "256.1.1.1"), "");
  const std::string e = add_error(MatchMethod::kIp, "localhost");
  EXPECT_NE(e.find("host names"), std::string::npos) << e;
}

TEST(PatternSet, ManyPatterns) {
  PatternSet p(MatchMethod::kStr);
  std::string err;
  for (int i = 0; i < 1000; ++i)
    ASSERT_TRUE(p.add("v" + std::to_string(i), false, IntOp::kEq, &err));
  EXPECT_EQ(p.size(), 1000u);
  EXPECT_TRUE(p.match(str("v999")));
  EXPECT_FALSE(p.match(str("v1000")));
  EXPECT_FALSE(set(MatchMethod::kStr, {}).match(str("")));  // no pattern: no match
}

}  // namespace
}  // namespace hearth::expr
