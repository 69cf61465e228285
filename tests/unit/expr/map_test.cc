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
  EXPECT_EQ(error("str(a),map_regm_int(x)"), "unknown converter 'map_regm_int'");
}

TEST_F(MapConverter, OneLoadIsShared) {
  const std::string m = map("shared.map", "k v\n");
  std::string err;
  auto a = Map::load(m, MatchMethod::kStr, SmpType::kStr, false, file_patterns(), &err);
  auto b = Map::load(m, MatchMethod::kStr, SmpType::kStr, false, file_patterns(), &err);
  ASSERT_NE(a, nullptr) << err;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a->size(), 1u);
}

}  // namespace
}  // namespace hearth::expr
