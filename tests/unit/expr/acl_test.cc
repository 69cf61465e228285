// expr ACL tests: "acl NAME CRITERION [FLAGS] [OPERATOR] [VALUE]..." parsed by
// parse_acl_test and evaluated on a fake stream. Cases marked "HAProxy 2.6"
// were checked against haproxy 2.6.12 (haproxy -c for load-time verdicts,
// anonymous ACLs on str()/int() samples for matches).
#include "expr/acl.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "unit/expr/fake_context.h"
#include "unit/expr/mem_files.h"

namespace hearth::expr {
namespace {

using testing::words_of;

using testing::FakeContext;

using testing::MemFiles;

struct Parsed {
  bool ok = false;
  std::string err, warning;
  std::shared_ptr<Acl> acl;
};

Parsed parse_words(const std::vector<std::string>& words, PatternSource& files) {
  Parsed p;
  AclTest t;
  p.ok = parse_acl_test(words, files, &t, &p.err, &p.warning);
  if (p.ok) {
    p.acl = std::make_shared<Acl>("a");
    p.acl->add(std::move(t));
  }
  return p;
}

Parsed parse(const std::string& line) {
  MemFiles none;
  return parse_words(words_of(line), none);
}

// Whether the ACL `line` (which must parse) matches on `ctx`.
bool matches(const std::string& line, FakeContext& ctx) {
  const Parsed p = parse(line);
  EXPECT_TRUE(p.ok) << line << ": " << p.err;
  return p.ok && p.acl->eval(ctx);
}

bool matches(const std::string& line) {
  FakeContext ctx;
  return matches(line, ctx);
}

TEST(AclName, Characters) {
  EXPECT_TRUE(valid_acl_name("my_acl-1.x:y"));
  EXPECT_TRUE(valid_acl_name("HTTP_1.1"));
  EXPECT_FALSE(valid_acl_name(""));
  EXPECT_FALSE(valid_acl_name("a b"));
  EXPECT_FALSE(valid_acl_name("a/b"));
  EXPECT_FALSE(valid_acl_name("!a"));
}

TEST(AclParse, CriterionIsRequired) {
  const Parsed p = parse("");
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.err.find("missing criterion"), std::string::npos);
  EXPECT_FALSE(parse("nosuch x").ok);
  EXPECT_NE(parse("nosuch x").err.find("unknown fetch method"), std::string::npos);
}

TEST(AclParse, DefaultMethodFollowsTheType) {
  FakeContext ctx;
  ctx.path = "/api";
  EXPECT_TRUE(matches("path /api", ctx));
  EXPECT_FALSE(matches("path /ap", ctx));         // str: exact
  EXPECT_TRUE(matches("path,length 4", ctx));     // int
  EXPECT_TRUE(matches("src 192.0.2.0/24", ctx));  // ip
  EXPECT_TRUE(matches("req.proto_http", ctx));    // bool, no pattern
  EXPECT_FALSE(matches("always_false", ctx));
  EXPECT_TRUE(matches("method GET", ctx));  // meth: as a string
  EXPECT_TRUE(matches("int(1),bool", ctx));
}

// Manual 7.1: binary samples have no default method (HAProxy 2.6: "matching
// method must be specified first (using '-m')").
TEST(AclParse, BinarySampleNeedsAMethod) {
  Parsed p = parse("str(x),bytes(0) foo");
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.err.find("-m"), std::string::npos) << p.err;
  EXPECT_FALSE(parse("str(x),b64dec").ok);
  EXPECT_TRUE(parse("str(x),bytes(0) -m str x").ok);
  EXPECT_TRUE(matches("str(aGk=),b64dec -m str hi"));
  EXPECT_TRUE(matches("str(aGk=),b64dec -m bin 6869"));
  EXPECT_TRUE(matches("str(aGk=),b64dec -m found"));
  EXPECT_TRUE(matches("str(hello),hex -m sub 6C6C"));  // the manual's advice
}

// HAProxy warns only when nothing follows the criterion and its result is no
// boolean: "--" silences it, as the warning itself says (HAProxy 2.6).
TEST(AclParse, NoPatternWarning) {
  Parsed p = parse("path_beg");
  ASSERT_TRUE(p.ok) << p.err;
  EXPECT_NE(p.warning.find("no pattern"), std::string::npos);
  FakeContext ctx;
  EXPECT_FALSE(p.acl->eval(ctx));
  EXPECT_NE(parse("int(1)").warning, "");
  EXPECT_NE(parse("always_true,add(1)").warning, "");
  EXPECT_EQ(parse("path_beg --").warning, "");
  EXPECT_EQ(parse("path -m beg").warning, "");
  EXPECT_EQ(parse("path -m found").warning, "");
  EXPECT_EQ(parse("always_true").warning, "");
  EXPECT_EQ(parse("int(1),bool").warning, "");
  EXPECT_EQ(parse("req.proto_http").warning, "");
  EXPECT_EQ(parse("path /x").warning, "");
}

TEST(AclParse, Derivatives) {
  FakeContext ctx;
  ctx.path = "/static/img/logo.png";
  ctx.req_headers = {{"Host", "www.example.com:8080"}};
  EXPECT_TRUE(matches("path_beg /static", ctx));
  EXPECT_TRUE(matches("path_end .png", ctx));
  EXPECT_TRUE(matches("path_sub img", ctx));
  EXPECT_TRUE(matches("path_dir img", ctx));
  EXPECT_TRUE(matches("path_reg ^/static/.*\\.png$", ctx));
  EXPECT_TRUE(matches("path_len 20", ctx));
  EXPECT_TRUE(matches("path_len gt 10", ctx));
  EXPECT_FALSE(matches("path_beg /img", ctx));
  EXPECT_TRUE(matches("hdr_dom(host) example", ctx));
  EXPECT_FALSE(matches("hdr_dom(host) exam", ctx));
  EXPECT_TRUE(matches("hdr_beg(host) www.", ctx));
  EXPECT_TRUE(matches("hdr_end(host) :8080", ctx));
  EXPECT_TRUE(matches("hdr(host) www.example.com:8080", ctx));
  EXPECT_TRUE(matches("url_beg /static", ctx));
  // "-m" replaces the derivative's method (manual 7.1: all equivalent).
  EXPECT_TRUE(matches("hdr_beg(host) -m beg www.", ctx));
  EXPECT_TRUE(matches("hdr_dom(host) -m beg www.", ctx));
  EXPECT_TRUE(matches("hdr(host) -m beg www.", ctx));
  EXPECT_FALSE(matches("path_beg -m str /static", ctx));
  // A converter after a derivative: the output type's default method rules.
  EXPECT_FALSE(matches("hdr_beg(host),lower www.", ctx));
  EXPECT_TRUE(matches("hdr_beg(host),lower www.example.com:8080", ctx));
}

// HAProxy declares derivatives for its ACL keywords only (HAProxy 2.6:
// "unknown fetch method" for each of these).
TEST(AclParse, NoSuchDerivative) {
  for (const char* c :
       {"req.hdr_beg(host) x", "res.hdr_beg(a) x", "req.cook_beg(a) x", "url_param_beg(a) x",
        "src_beg 1", "method_beg G", "path_foo x", "path_found x", "path_str x", "hdr_cnt_beg(x) x",
        "query_beg x", "status_beg x"}) {
    const Parsed p = parse(c);
    EXPECT_FALSE(p.ok) << c;
    EXPECT_NE(p.err.find("unknown fetch method"), std::string::npos) << c << ": " << p.err;
  }
  for (const char* c : {"cook_beg(a) x", "shdr_beg(a) x", "urlp_beg(a) x", "hdr_reg(a) x",
                        "base_dom x", "url_dir x"}) {
    EXPECT_TRUE(parse(c).ok) << c << ": " << parse(c).err;
  }
  EXPECT_FALSE(parse("path_beg(x) /a").ok);  // path takes no argument
  EXPECT_FALSE(parse("path_len x").ok);      // HAProxy 2.6: 'x' is not a number
}

TEST(AclParse, Flags) {
  EXPECT_TRUE(matches("str(HELLO) -i hello"));
  EXPECT_FALSE(matches("str(HELLO) hello"));
  EXPECT_TRUE(matches("str(hello) -n hello"));
  EXPECT_TRUE(matches("str(hello) -u 7 hello"));
  EXPECT_TRUE(matches("str(-i) -- -i"));              // HAProxy 2.6
  EXPECT_TRUE(matches("str(hello) HELLO -i hello"));  // flags end at the first value
  EXPECT_FALSE(matches("str(-i) -i"));                // -i is the flag here, no value
  EXPECT_TRUE(matches("int(0) -- -1"));               // "-1" after "--" is a value
}

TEST(AclParse, FlagErrors) {
  Parsed p = parse("path -x x");
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.err.find("'-x'"), std::string::npos) << p.err;
  EXPECT_FALSE(parse("int(1) -1").ok);  // HAProxy 2.6: use '--' before it
  p = parse("path -m foo x");
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.err.find("unknown matching method 'foo'"), std::string::npos) << p.err;
  EXPECT_FALSE(parse("path -m").ok);
  EXPECT_FALSE(parse("path -f").ok);
  EXPECT_FALSE(parse("path -M -f /nonexistent/x").ok);  // a map file that cannot be read
}

TEST(AclParse, PatternErrors) {
  EXPECT_FALSE(parse("int(1) x").ok);
  EXPECT_FALSE(parse("int(1) 5:3").ok);
  EXPECT_FALSE(parse("str(x) -m bin 123").ok);
  EXPECT_FALSE(parse("str(x) -m bin 12zz").ok);
  EXPECT_FALSE(parse("str(x) -m reg (x").ok);
  EXPECT_FALSE(parse("src 1.2.3.4/33").ok);
  // HAProxy 2.6 accepts and ignores patterns with found and bool.
  EXPECT_TRUE(parse("str(x) -m found foo").ok);
  EXPECT_TRUE(parse("str(x) -m bool foo").ok);
}

// Manual 7.1.2's operators, which HAProxy also accepts between values: each
// holds for the values after it (HAProxy 2.6).
TEST(AclInt, Operators) {
  EXPECT_TRUE(matches("int(5) gt 3"));
  EXPECT_FALSE(matches("int(3) gt 3"));
  EXPECT_TRUE(matches("int(3) ge 3"));
  EXPECT_TRUE(matches("int(3) le 3"));
  EXPECT_FALSE(matches("int(3) lt 3"));
  EXPECT_TRUE(matches("int(3) eq 3"));
  EXPECT_FALSE(matches("int(3) eq 4 5"));
  EXPECT_TRUE(matches("int(-5) lt 0"));  // the manual's negative-length example
  EXPECT_FALSE(matches("int(5) lt 0"));
  EXPECT_TRUE(matches("int(3) 1 gt 2"));
  EXPECT_TRUE(matches("int(3) gt 5 lt 4"));
  EXPECT_TRUE(matches("int(3) gt 5 eq 3"));
  EXPECT_TRUE(matches("int(3) 1:2 4 3"));
  EXPECT_FALSE(matches("int(3) ge 1:2"));
  EXPECT_FALSE(matches("int(3) lt -2"));
  EXPECT_TRUE(matches("int(-5) lt -2"));
  EXPECT_TRUE(matches("str(hello) -m len gt 4"));
  const Parsed p = parse("int(1) gt abc");
  EXPECT_FALSE(p.ok);
  // An operator word is a value for the string methods.
  EXPECT_TRUE(matches("str(gt) gt"));
  EXPECT_TRUE(matches("int(1) -m str 1"));
}

TEST(AclInt, Ranges) {
  EXPECT_TRUE(matches("int(15) 10:20"));
  EXPECT_TRUE(matches("int(15) 10-20"));
  EXPECT_FALSE(matches("int(25) 10-20"));
  EXPECT_TRUE(matches("int(5) :10"));
  EXPECT_TRUE(matches("int(15) 10:"));
  EXPECT_TRUE(matches("int(-5) :10"));
  EXPECT_TRUE(matches("int(1) -- -1"));  // "-1" is "up to 1"
  EXPECT_FALSE(matches("int(2) -- -1"));
  // The manual's port ranges.
  FakeContext ctx;
  ctx.src_port = 1023;
  EXPECT_TRUE(matches("src_port 0:1023", ctx));
  EXPECT_FALSE(matches("src_port 1024:", ctx));
  ctx.src_port = 40000;
  EXPECT_TRUE(matches("src_port 1024:65535", ctx));
}

TEST(AclIp, Networks) {
  FakeContext ctx;
  ctx.src = "10.0.0.12";
  EXPECT_TRUE(matches("src 10.12", ctx));
  EXPECT_TRUE(matches("src 10.12/8", ctx));
  EXPECT_TRUE(matches("src 192.168.0.0/16 10.0.0.0/8", ctx));
  EXPECT_FALSE(matches("src 192.168.0.0/16", ctx));
  EXPECT_TRUE(matches("src ::ffff:10.0.0.12", ctx));  // v4 sample, v6 pattern
  EXPECT_FALSE(matches("src ::10.0.0.12", ctx));
  ctx.src = "::ffff:10.0.0.12";
  EXPECT_TRUE(matches("src 10.0.0.0/8", ctx));  // v6 sample, v4 pattern
  ctx.src = "2002:a00:c:1::1";
  EXPECT_TRUE(matches("src 10.0.0.12", ctx));  // 6to4
  ctx.src = "2001:db8::1";
  EXPECT_FALSE(matches("src 10.0.0.0/8", ctx));
  EXPECT_TRUE(matches("src 2001:db8::/32", ctx));
  EXPECT_FALSE(matches("src -n 10.0.0.0/8", ctx));
  EXPECT_FALSE(parse("src example.com").ok);  // no name resolution
}

TEST(AclIp, HeaderAddresses) {
  FakeContext ctx;
  ctx.req_headers = {{"X-Forwarded-For", "203.0.113.9, 10.1.1.1"}};
  EXPECT_TRUE(matches("req.hdr_ip(x-forwarded-for,1) 203.0.113.0/24", ctx));
  EXPECT_TRUE(matches("req.hdr_ip(x-forwarded-for) 10.0.0.0/8", ctx));  // any value
  EXPECT_TRUE(matches("hdr(x-forwarded-for) -m ip 10.1.1.1", ctx));
}

// An ACL tries every value of a multi-valued fetch: any may match.
TEST(AclEval, EveryHeaderValue) {
  FakeContext ctx;
  ctx.req_headers = {{"Accept", "text/html, application/json"}, {"accept", "image/png"}};
  EXPECT_TRUE(matches("hdr(accept) application/json", ctx));
  EXPECT_TRUE(matches("hdr(accept) text/html", ctx));
  EXPECT_TRUE(matches("hdr(accept) image/png", ctx));
  EXPECT_TRUE(matches("hdr_beg(accept) image/", ctx));
  EXPECT_FALSE(matches("hdr(accept) text/plain", ctx));
  EXPECT_TRUE(matches("req.fhdr(accept) -m sub json", ctx));
  EXPECT_FALSE(matches("req.fhdr(accept) application/json", ctx));  // fhdr: whole lines
  // An occurrence picks one value only.
  EXPECT_TRUE(matches("hdr(accept,1) text/html", ctx));
  EXPECT_FALSE(matches("hdr(accept,1) image/png", ctx));
  EXPECT_TRUE(matches("hdr(accept,-1) image/png", ctx));
  // No header: no sample, no match (even for -m found).
  EXPECT_FALSE(matches("hdr(x-none) -m found", ctx));
  EXPECT_TRUE(matches("hdr(accept) -m found", ctx));
  // Converters apply to each value.
  EXPECT_TRUE(matches("hdr(accept),upper IMAGE/PNG", ctx));
}

TEST(AclEval, IterationAsksEachValueOnce) {
  FakeContext ctx;
  ctx.req_headers = {{"X", "a, b, c"}};
  const Parsed p = parse("hdr(x) z");
  ASSERT_TRUE(p.ok);
  EXPECT_FALSE(p.acl->eval(ctx));
  EXPECT_EQ(ctx.calls, 3);
  ctx.calls = 0;
  const Parsed first = parse("hdr(x) a");
  EXPECT_TRUE(first.acl->eval(ctx));
  EXPECT_EQ(ctx.calls, 1);  // stops at the first match
}

// Several tests under one name are OR'ed; the ACL may be used where any of
// them has data.
TEST(AclEval, TestsAreOred) {
  FakeContext ctx;
  ctx.path = "/b";
  Acl acl("multi");
  MemFiles none;
  for (const char* line : {"path /a", "path /b", "status 200"}) {
    AclTest t;
    std::string err, warning;
    ASSERT_TRUE(parse_acl_test(words_of(line), none, &t, &err, &warning)) << err;
    acl.add(std::move(t));
  }
  EXPECT_TRUE(acl.eval(ctx));
  ctx.path = "/c";
  EXPECT_FALSE(acl.eval(ctx));
  ctx.status = 200;
  EXPECT_TRUE(acl.eval(ctx));
  EXPECT_EQ(acl.use(), uint8_t(kUseReq | kUseRes));
  EXPECT_EQ(acl.name(), "multi");
}

TEST(AclPatternFiles, FromMemory) {
  MemFiles files;
  files.files["exact.lst"] = {"Mozilla/5.0", "curl/8"};
  files.files["generic.lst"] = {"BOT"};
  // -i holds for what follows it only (manual 7.1's valid-ua example).
  const Parsed p =
      parse_words(words_of("hdr(user-agent) -f exact.lst -i -f generic.lst test"), files);
  ASSERT_TRUE(p.ok) << p.err;
  FakeContext ctx;
  ctx.req_headers = {{"User-Agent", "curl/8"}};
  EXPECT_TRUE(p.acl->eval(ctx));
  ctx.req_headers = {{"User-Agent", "CURL/8"}};
  EXPECT_FALSE(p.acl->eval(ctx));
  ctx.req_headers = {{"User-Agent", "bot"}};
  EXPECT_TRUE(p.acl->eval(ctx));
  ctx.req_headers = {{"User-Agent", "TEST"}};
  EXPECT_TRUE(p.acl->eval(ctx));

  const Parsed missing = parse_words(words_of("path -f nosuch.lst"), files);
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.err.find("nosuch.lst"), std::string::npos);
}

// HAProxy 2.6: "'-m' must only be specified before patterns and files", even
// when the file is empty.
TEST(AclPatternFiles, MethodBeforeFiles) {
  MemFiles files;
  files.files["a.lst"] = {"/a"};
  files.files["empty.lst"] = {};
  EXPECT_FALSE(parse_words(words_of("path -f a.lst -m beg"), files).ok);
  EXPECT_FALSE(parse_words(words_of("path -f empty.lst -m beg"), files).ok);
  const Parsed p = parse_words(words_of("path -m beg -f a.lst"), files);
  ASSERT_TRUE(p.ok) << p.err;
  FakeContext ctx;
  ctx.path = "/abc";
  EXPECT_TRUE(p.acl->eval(ctx));
  // Values may follow files; operators do not apply to file lines.
  files.files["ints.lst"] = {"7"};
  const Parsed ints = parse_words(words_of("int(9) -f ints.lst gt 8"), files);
  ASSERT_TRUE(ints.ok) << ints.err;
  EXPECT_TRUE(ints.acl->eval(ctx));
}

// The real reader (manual 7.1: "-f"), checked with HAProxy 2.6 on the same
// file: comments start the line, blanks lead, trailing spaces stay, and " #x"
// is the pattern "#x".
TEST(AclPatternFiles, RealFile) {
  hearth::test::TempDir dir;
  const std::string path = dir.file("patterns.lst");
  ASSERT_TRUE(hearth::test::write_file(
      path, "# comment\n\n  /api\n\t/static\n #x\n/bar # not a comment\n/trail  \r\n/crlf\r\n"));
  std::vector<std::string> lines;
  std::string err;
  ASSERT_TRUE(file_patterns().read_lines(path, &lines, &err)) << err;
  EXPECT_EQ(lines, (std::vector<std::string>{"/api", "/static", "#x", "/bar # not a comment",
                                             "/trail  ", "/crlf"}));

  const Parsed p = parse_words({"str(#x)", "-f", path}, file_patterns());
  ASSERT_TRUE(p.ok) << p.err;
  FakeContext ctx;
  EXPECT_TRUE(p.acl->eval(ctx));
  for (const char* s : {"/api", "/static", "/bar # not a comment", "/trail  "}) {
    EXPECT_TRUE(
        parse_words({std::string("str(") + s + ")", "-f", path}, file_patterns()).acl->eval(ctx))
        << s;
  }
  for (const char* s : {"/bar", "/trail", "# comment"}) {
    EXPECT_FALSE(
        parse_words({std::string("str(") + s + ")", "-f", path}, file_patterns()).acl->eval(ctx))
        << s;
  }
  // -i after the file does not reach its lines (HAProxy 2.6).
  EXPECT_TRUE(parse_words({"str(/API)", "-i", "-f", path}, file_patterns()).acl->eval(ctx));
  EXPECT_FALSE(parse_words({"str(/API)", "-f", path, "-i"}, file_patterns()).acl->eval(ctx));

  lines.clear();
  EXPECT_FALSE(file_patterns().read_lines(dir.file("nosuch.lst"), &lines, &err));
  EXPECT_NE(err.find("nosuch.lst"), std::string::npos);
}

}  // namespace
}  // namespace hearth::expr
