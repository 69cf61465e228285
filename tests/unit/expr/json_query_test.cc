// json_query on HAProxy's corner cases. Every expectation below is what
// HAProxy 2.6 answered to the same document and path (compared on real
// sockets with `http-request return ... "%[req.body,json_query(...)]"`).
#include "expr/json_query.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/sample_expr.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

using testing::FakeContext;

// The converter's answer on `doc` as text ("<none>" without a sample; a
// boolean as 1/0, as HAProxy prints it).
std::string q(const std::string& doc, const std::string& path, bool as_int = false) {
  FakeContext ctx;
  std::string err, hex;
  for (unsigned char c : doc) {
    static const char* d = "0123456789abcdef";
    hex += d[c >> 4];
    hex += d[c & 15];
  }
  auto e = parse_sample_expr(
      "bin(" + hex + "),json_query(\"" + path + "\"" + (as_int ? ",int)" : ")"), kUseAny, &err);
  EXPECT_NE(e, nullptr) << path << ": " << err;
  if (!e) return "<error>";
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return "<none>";
  if (s.type == SmpType::kBool || s.type == SmpType::kSint) return std::to_string(s.sint);
  return std::string(s.str);
}

TEST(JsonQuery, Strings) {
  EXPECT_EQ(q(R"({"a":"x\"y"})", "$.a"), "x\"y");
  EXPECT_EQ(q(R"({"a":"x\\y"})", "$.a"), "x\\y");
  EXPECT_EQ(q(R"({"a":"\n\t\b\f\r"})", "$.a"), "\n\t\b\f\r");
  EXPECT_EQ(q(R"({"a":"\u0041"})", "$.a"), "A");
  EXPECT_EQ(q(R"({"a":"\u00e9"})", "$.a"), "\xe9");  // one byte, not UTF-8
  EXPECT_EQ(q(R"({"a":"\ud83d\ude00"})", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"a":"\/"})", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"a":"\x"})", "$.a"), "<none>");
  EXPECT_EQ(q("{\"a\":\"tab\there\"}", "$.a"), "tab\there");  // a raw control byte passes
  EXPECT_EQ(q("{\"a\":\"\xc3\xa9\"}", "$.a"), "\xc3\xa9");
  EXPECT_EQ(q(R"("str")", "$"), "str");
}

TEST(JsonQuery, Numbers) {
  EXPECT_EQ(q(R"({"a":1.50})", "$.a"), "1.5");
  EXPECT_EQ(q(R"({"a":1e3})", "$.a"), "1000");
  EXPECT_EQ(q(R"({"a":1234567})", "$.a"), "1.23457e+06");
  EXPECT_EQ(q(R"({"a":12345678901234567890})", "$.a"), "1.23457e+19");
  EXPECT_EQ(q(R"({"a":-0})", "$.a"), "-0");
  EXPECT_EQ(q(R"({"a":1.5e400})", "$.a"), "inf");
  EXPECT_EQ(q(R"({"a":-1.5E-3})", "$.a"), "-0.0015");
  // With "int": C's strtoll from the number's start, and no more than 2^53 - 1.
  EXPECT_EQ(q(R"({"a": 3.9})", "$.a", true), "3");
  EXPECT_EQ(q(R"({"a":1e3})", "$.a", true), "1");
  EXPECT_EQ(q(R"({"a":-4})", "$.a", true), "-4");
  EXPECT_EQ(q(R"({"a":010})", "$.a", true), "8");
  EXPECT_EQ(q(R"({"a":9007199254740991})", "$.a", true), "9007199254740991");
  EXPECT_EQ(q(R"({"a":9007199254740992})", "$.a", true), "<none>");
  EXPECT_EQ(q(R"({"a":-9007199254740992})", "$.a", true), "<none>");
  EXPECT_EQ(q(R"({"a":"12"})", "$.a", true), "12");  // a string stays a string
}

TEST(JsonQuery, BooleansAndUnsupportedValues) {
  EXPECT_EQ(q(R"({"a":true})", "$.a"), "1");
  EXPECT_EQ(q(R"({"a":false})", "$.a"), "0");
  EXPECT_EQ(q(R"({"a":null})", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"a":{"b":"c"}})", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"a":[1]})", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"a":1})", "$"), "<none>");
}

TEST(JsonQuery, NestedObjectsAndArrays) {
  EXPECT_EQ(q(R"({"a":{"b":"c"}})", "$.a.b"), "c");
  EXPECT_EQ(q(R"({"a":[1,[2,3]]})", "$.a[1][0]"), "2");
  EXPECT_EQ(q(R"({"a":[1,"two",{"b":3}]})", "$.a[1]"), "two");
  EXPECT_EQ(q(R"({"a":[0,1,2,3,4,5,6,7,8,9,"ten"]})", "$.a[10]"), "ten");
  EXPECT_EQ(q(R"({"a":[{"b":1},{"b":"two"}]})", "$.a[1].b"), "two");
  EXPECT_EQ(q(R"({"a" : [ 0 , { "b" : true } ]})", "$.a[1].b"), "1");
  EXPECT_EQ(q(R"({"b":{"a":1},"a":2})", "$.a"), "2");  // not a deeper "a"
  EXPECT_EQ(q(R"({"a":1,"a":2})", "$.a"), "1");        // the first one
  EXPECT_EQ(q(R"({"a":[1,2],"a":"second"})", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"my.key":"v"})", "$.my\\.key"), "v");
  EXPECT_EQ(q(R"({"my":{"key":"w"}})", "$.my\\.key"), "<none>");
  EXPECT_EQ(q(R"({"\u0061":"x"})", "$.a"), "<none>");  // keys are compared as written
}

TEST(JsonQuery, LenientAndInvalidDocuments) {
  EXPECT_EQ(q(R"({"a":1}trailing)", "$.a"), "1");  // the rest is not read
  EXPECT_EQ(q(R"({"a":"x","b":})", "$.a"), "x");   // ... even when invalid
  EXPECT_EQ(q(R"({"a":)", "$.a"), "<none>");
  EXPECT_EQ(q(R"([1,2])", "$.a"), "<none>");
  EXPECT_EQ(q(R"({"a":01})", "$.a"), "1");
  // At most 20 nested containers before the value is reached.
  const std::string ok = "{\"x\":" + std::string(19, '[') + std::string(19, ']') + ",\"a\":1}";
  const std::string deep = "{\"x\":" + std::string(20, '[') + std::string(20, ']') + ",\"a\":1}";
  EXPECT_EQ(q(ok, "$.a"), "1");
  EXPECT_EQ(q(deep, "$.a"), "<none>");
}

TEST(JsonQuery, PathsOutsideTheSubsetNeverMatch) {
  for (const char* p : {"a", "$.a.*", "$['a']", "$.a[-1]", "$.a[x]"})
    EXPECT_EQ(q(R"({"a":[1],"":{"a":2}})", p), "<none>") << p;
  // ".." is an empty key followed by another, as in HAProxy.
  EXPECT_EQ(q(R"({"a":[1],"":{"a":2}})", "$..a"), "2");
  EXPECT_FALSE(JsonPath("$['a']").usable());
  EXPECT_TRUE(JsonPath("$.a[2].b").usable());
  ASSERT_EQ(JsonPath("$.a[2].b\\.c").steps().size(), 3u);
  EXPECT_EQ(JsonPath("$.a[2].b\\.c").steps()[2].key, "b.c");
}

}  // namespace
}  // namespace hearth::expr
