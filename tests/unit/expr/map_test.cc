// Map files and the map converters: key matching by method (the finest
// network wins, exact strings are hashed, lists keep their order), typed
// values, defaults, map_regm back-references, load errors.
#include "expr/map.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/sample_expr.h"
#include "support/temp_dir.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

class MapConverter : public ::testing::Test {
 protected:
  std::string map(const std::string& name, const std::string& content) {
    const std::string path = dir_.file(name);
    EXPECT_TRUE(test::write_file(path, content));
    return path;
  }
  // The string form of `text`'s result, or nullopt without a sample.
  std::optional<std::string> eval(const std::string& text) {
    std::string err;
    auto e = parse_sample_expr(text, kUseAny, &err);
    EXPECT_NE(e, nullptr) << text << ": " << err;
    if (!e) return std::nullopt;
    Sample s;
    if (!eval_sample_expr(*e, ctx_, s)) return std::nullopt;
    EXPECT_TRUE(cast(s, SmpType::kStr));
    return std::string(s.str);
  }
  std::string error(const std::string& text) {
    std::string err;
    EXPECT_EQ(parse_sample_expr(text, kUseAny, &err), nullptr) << text;
    return err;
  }

  test::TempDir dir_;
  testing::FakeContext ctx_;
};

TEST_F(MapConverter, ExactStringsWithDefaultAndSpacing) {
  const std::string m = map("hosts.map",
                            "# comment\n\n  a.example.com   be_a  \n"
                            "b.example.com\tbe b with spaces\n"
                            "a.example.com be_dup\n");
  EXPECT_EQ(eval("str(a.example.com),map(" + m + ")"), "be_a");  // the first of duplicates
  EXPECT_EQ(eval("str(b.example.com),map_str(" + m + ")"), "be b with spaces");
  EXPECT_EQ(eval("str(c.example.com),map(" + m + ",fallback)"), "fallback");
  EXPECT_EQ(eval("str(c.example.com),map(" + m + ")"), std::nullopt);
  EXPECT_EQ(eval("str(A.example.com),map(" + m + ",x)"), "x");  // case matters
}

TEST_F(MapConverter, ListMethodsKeepFileOrder) {
  const std::string m = map("paths.map", "/api/v1 first\n/api second\n/static st\n");
  EXPECT_EQ(eval("str(/api/v1/x),map_beg(" + m + ")"), "first");
  EXPECT_EQ(eval("str(/api/v2),map_beg(" + m + ")"), "second");
  EXPECT_EQ(eval("str(/x/static),map_sub(" + m + ")"), "st");
  const std::string d = map("doms.map", "example.com ex\n");
  EXPECT_EQ(eval("str(www.example.com),map_dom(" + d + ")"), "ex");
  EXPECT_EQ(eval("str(www.example.com),map_end(" + d + ")"), "ex");
  EXPECT_EQ(eval("str(www.example.org),map_end(" + d + ",no)"), "no");
}

TEST_F(MapConverter, NetworksTakeTheLongestPrefix) {
  const std::string m = map("nets.map", "10.0.0.0/8 wide\n10.1.0.0/16 narrow\n::1 v6\n");
  EXPECT_EQ(eval("str(10.1.2.3),map_ip(" + m + ")"), "narrow");
  EXPECT_EQ(eval("str(10.2.2.3),map_ip(" + m + ")"), "wide");
  EXPECT_EQ(eval("str(::1),map_ip(" + m + ")"), "v6");
  EXPECT_EQ(eval("str(11.0.0.1),map_ip(" + m + ",none)"), "none");
}

// The same overlapping files run through haproxy 2.6 gave beg=ABC, end=E1,
// dom=D1, ip=Y, str=X: prefixes and networks take the longest, str the first
// duplicate, end and dom the first in file order.
TEST_F(MapConverter, OverlapsResolveAsHAProxy) {
  const std::string beg = map("o-beg.map", "/a A\n/abc ABC\n/ab AB\n");
  const std::string end = map("o-end.map", "c E1\nabc E2\n");
  const std::string dom = map("o-dom.map", "example.com D1\nwww.example.com D2\n");
  const std::string str = map("o-str.map", "a X\na Y\n");
  EXPECT_EQ(eval("str(/abcd),map_beg(" + beg + ")"), "ABC");
  EXPECT_EQ(eval("str(/abx),map_beg(" + beg + ")"), "AB");
  EXPECT_EQ(eval("str(xabc),map_end(" + end + ")"), "E1");
  EXPECT_EQ(eval("str(www.example.com),map_dom(" + dom + ")"), "D1");
  EXPECT_EQ(eval("str(a),map_str(" + str + ")"), "X");
}

// A 100,000-entry map of each indexed method answers every probe as a scan
// would; the load itself is timed by bench/pattern-load.sh.
TEST_F(MapConverter, LargeMapsAnswerLikeAScan) {
  std::string beg, dom, ip;
  for (int i = 0; i < 100000; ++i) {
    const std::string n = std::to_string(i);
    beg += "/p" + n + "/ b" + n + "\n";
    dom += "s" + n + ".example.org d" + n + "\n";
    ip += "10." + std::to_string(i >> 16) + "." + std::to_string(i >> 8 & 255) + "." +
          std::to_string(i & 255) + "/32 i" + n + "\n";
  }
  const std::string b = map("big-beg.map", beg), d = map("big-dom.map", dom),
                    n = map("big-ip.map", ip);
  EXPECT_EQ(eval("str(/p99999/x),map_beg(" + b + ")"), "b99999");
  EXPECT_EQ(eval("str(/p1/x),map_beg(" + b + ")"), "b1");
  EXPECT_EQ(eval("str(/p100000/x),map_beg(" + b + ",none)"), "none");
  EXPECT_EQ(eval("str(www.s77.example.org),map_dom(" + d + ")"), "d77");
  EXPECT_EQ(eval("str(s77.example.net),map_dom(" + d + ",none)"), "none");
  EXPECT_EQ(eval("str(10.1.134.159),map_ip(" + n + ")"), "i99999");
  EXPECT_EQ(eval("str(10.1.134.160),map_ip(" + n + ",none)"), "none");
}

TEST_F(MapConverter, TypedOutputsAndIntegerKeys) {
  const std::string m = map("w.map", "a 10\nb 20\n");
  EXPECT_EQ(eval("str(b),map_str_int(" + m + "),add(1)"), "21");
  const std::string r = map("ranges.map", "0:99 small\n100: big\n");
  EXPECT_EQ(eval("int(150),map_int(" + r + ")"), "big");
  const std::string ip = map("ip.map", "a 192.0.2.7\n");
  EXPECT_EQ(eval("str(a),map_str_ip(" + ip + "),ipmask(24)"), "192.0.2.0");
  EXPECT_EQ(error("str(a),map_str_int(" + ip + ")"),
            "map file '" + ip + "', entry 1: value '192.0.2.7' is not of type sint");
  EXPECT_EQ(error("str(a),map_str_int(" + m + ",abc)"),
            "map_str_int: default value 'abc' is not of type sint");
}

TEST_F(MapConverter, RegmExpandsBackReferences) {
  const std::string m = map("re.map", "^/user/([0-9]+)/(.*)$ /u?id=\\1&rest=\\2\n");
  EXPECT_EQ(eval("str(/user/42/photos),map_regm(" + m + ")"), "/u?id=42&rest=photos");
  EXPECT_EQ(eval("str(/user/42/photos),map_reg(" + m + ")"), "/u?id=\\1&rest=\\2");
}

TEST_F(MapConverter, LoadErrors) {
  EXPECT_EQ(error("str(a),map(/nonexistent/x.map)"),
            "failed to open pattern file '/nonexistent/x.map'");
  const std::string bad = map("bad.map", "10.0.0.300 x\n");
  EXPECT_EQ(error("src,map_ip(" + bad + ")"),
            "map file '" + bad +
                "', entry 1: '10.0.0.300' is not an IPv4 or IPv6 address or network (Hearth "
                "does not resolve host names in patterns)");
  // Checked as it is compiled: the first invalid line is named.
  const std::string third = map("third.map", "10.0.0.1 a\n10.0.0.0/8 b\n10.0.0.x c\n");
  EXPECT_EQ(error("src,map_ip(" + third + ")"),
            "map file '" + third +
                "', entry 3: '10.0.0.x' is not an IPv4 or IPv6 address or network (Hearth "
                "does not resolve host names in patterns)");
  EXPECT_EQ(error("str(a),map_regm_int(x)"), "unknown converter 'map_regm_int'");
}

TEST_F(MapConverter, OneLoadIsShared) {
  const std::string m = map("shared.map", "k v\n");
  std::string err;
  auto a = Map::load(m, MatchMethod::kStr, SmpType::kStr, false, file_patterns(), &err);
  auto b = Map::load(m, MatchMethod::kStr, SmpType::kStr, false, file_patterns(), &err);
  ASSERT_NE(a, nullptr) << err;
  // One reference and one compiled set for both converters.
  EXPECT_EQ(a->use().ref, b->use().ref);
  EXPECT_EQ(a->use().expr, b->use().expr);
  EXPECT_EQ(a->use().ref->entry_count(), 1u);
}

}  // namespace
}  // namespace hearth::expr
