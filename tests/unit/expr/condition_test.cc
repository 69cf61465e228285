// expr conditions (manual 7.2): "if|unless [!]acl1 [!]acl2 ... [or|| ...]",
// with named, predefined (7.4) and anonymous ACLs, evaluated on a fake
// stream. Cases marked "HAProxy 2.6" were checked against haproxy 2.6.12.
#include "expr/condition.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

using testing::words_of;

using testing::FakeContext;

class NoFiles : public PatternSource {
 public:
  bool read_lines(const std::string& path, std::vector<std::string>*, std::string* err) override {
    *err = "no file '" + path + "' in this test";
    return false;
  }
};

// A section's named ACLs plus conditions parsed against them.
class Section {
 public:
  // Adds one test to ACL `name` ("acl NAME <rest>").
  void acl(const std::string& name, const std::string& rest) {
    AclTest t;
    std::string err, warning;
    ASSERT_TRUE(parse_acl_test(words_of(rest), files_, &t, &err, &warning)) << rest << ": " << err;
    auto& a = acls_[name];
    if (!a) a = std::make_shared<Acl>(name);
    a->add(std::move(t));
  }

  // Parses "if ..." or "unless ..." for a rule running at `where`.
  std::unique_ptr<Condition> parse(const std::string& line, uint8_t where = kUseReq) {
    const std::vector<std::string> w = words_of(line);
    err.clear();
    warnings.clear();
    const AclLookup lookup = [this](const std::string& n) -> std::shared_ptr<const Acl> {
      auto it = acls_.find(n);
      return it == acls_.end() ? nullptr : it->second;
    };
    return parse_condition(w, 1, w[0] == "unless", lookup, files_, where, &err, &warnings);
  }

  // Whether the rule `line` applies on `ctx` (the condition must parse).
  bool applies(const std::string& line, FakeContext& ctx) {
    auto c = parse(line);
    EXPECT_NE(c, nullptr) << line << ": " << err;
    return c && eval_condition(*c, ctx);
  }

  bool applies(const std::string& line) {
    FakeContext ctx;
    return applies(line, ctx);
  }

  std::string err;
  std::vector<std::string> warnings;

 private:
  NoFiles files_;
  std::map<std::string, std::shared_ptr<Acl>> acls_;
};

TEST(Condition, KeepsItsText) {
  Section s;
  auto c = s.parse("if TRUE !FALSE or { path /x }");
  ASSERT_NE(c, nullptr) << s.err;
  EXPECT_EQ(c->text, "TRUE !FALSE or { path /x }");
  EXPECT_FALSE(c->unless);
  ASSERT_EQ(c->any_of.size(), 2u);
  EXPECT_EQ(c->any_of[0].size(), 2u);
  EXPECT_FALSE(c->any_of[0][0].negate);
  EXPECT_TRUE(c->any_of[0][1].negate);
  EXPECT_EQ(c->any_of[1].size(), 1u);
  EXPECT_TRUE(s.parse("unless TRUE")->unless);
}

// AND binds tighter than OR; '!' applies to one ACL (HAProxy 2.6).
TEST(Condition, AndOrNegation) {
  Section s;
  EXPECT_TRUE(s.applies("if TRUE"));
  EXPECT_FALSE(s.applies("if FALSE"));
  EXPECT_TRUE(s.applies("if TRUE TRUE"));
  EXPECT_FALSE(s.applies("if TRUE FALSE"));
  EXPECT_TRUE(s.applies("if TRUE !FALSE"));
  EXPECT_TRUE(s.applies("if TRUE FALSE or TRUE"));    // (T and F) or T
  EXPECT_FALSE(s.applies("if FALSE or TRUE FALSE"));  // F or (T and F)
  EXPECT_TRUE(s.applies("if FALSE || TRUE"));
  EXPECT_TRUE(s.applies("if ! TRUE or ! FALSE"));
  EXPECT_FALSE(s.applies("if !TRUE"));
  EXPECT_FALSE(s.applies("if ! TRUE"));
  EXPECT_TRUE(s.applies("if FALSE or FALSE or TRUE"));
  EXPECT_FALSE(s.applies("if FALSE or FALSE or !TRUE"));
}

// HAProxy 2.6: every '!' negates ("!!TRUE" holds) and "or" is read in any case.
TEST(Condition, HaproxyLeniencies) {
  Section s;
  EXPECT_TRUE(s.applies("if !!TRUE"));
  EXPECT_FALSE(s.applies("if !!!TRUE"));
  EXPECT_TRUE(s.applies("if ! !TRUE"));  // "!" then "!TRUE"
  EXPECT_TRUE(s.applies("if FALSE OR TRUE"));
  EXPECT_TRUE(s.applies("if FALSE Or TRUE"));
}

TEST(Condition, Unless) {
  Section s;
  EXPECT_FALSE(s.applies("unless TRUE"));
  EXPECT_TRUE(s.applies("unless FALSE"));
  EXPECT_TRUE(s.applies("unless TRUE FALSE"));  // unless (T and F)
  EXPECT_FALSE(s.applies("unless FALSE or TRUE"));
  EXPECT_TRUE(s.applies("unless !TRUE"));
}

TEST(Condition, NamedAcls) {
  Section s;
  s.acl("url_static", "path_beg /static /images /img /css");
  s.acl("url_static", "path_end .gif .png .jpg .css .js");
  s.acl("host_www", "hdr_beg(host) -i www");
  s.acl("host_static", "hdr_beg(host) -i img. video. download. ftp.");
  // The manual's 7.2 example: static if host_static or host_www url_static.
  const std::string rule = "if host_static or host_www url_static";
  FakeContext ctx;
  ctx.req_headers = {{"Host", "IMG.example.com"}};
  ctx.path = "/index.html";
  EXPECT_TRUE(s.applies(rule, ctx));
  ctx.req_headers = {{"Host", "www.example.com"}};
  EXPECT_FALSE(s.applies(rule, ctx));
  ctx.path = "/a/logo.png";  // the second test of url_static
  EXPECT_TRUE(s.applies(rule, ctx));
  ctx.path = "/css/x";
  EXPECT_TRUE(s.applies(rule, ctx));
  ctx.req_headers = {{"Host", "api.example.com"}};
  EXPECT_FALSE(s.applies(rule, ctx));
  EXPECT_TRUE(s.applies("if !host_www", ctx));
}

TEST(Condition, UnknownAcl) {
  Section s;
  EXPECT_EQ(s.parse("if nosuch"), nullptr);
  EXPECT_EQ(s.err, "no such ACL : 'nosuch'");  // HAProxy 2.6's words
  EXPECT_EQ(s.parse("if TRUE !nosuch"), nullptr);
  EXPECT_NE(s.err.find("'nosuch'"), std::string::npos);
  EXPECT_EQ(s.parse("if true"), nullptr);  // names are case-sensitive
  s.acl("My_Acl", "always_true");
  EXPECT_NE(s.parse("if My_Acl"), nullptr);
  EXPECT_EQ(s.parse("if my_acl"), nullptr);
}

// Hearth is stricter than HAProxy here: HAProxy 2.6 accepts "if TRUE or",
// "if or TRUE" and "if !", where an empty suite always holds.
TEST(Condition, IncompleteConditions) {
  Section s;
  EXPECT_EQ(s.parse("if"), nullptr);
  EXPECT_EQ(s.parse("if TRUE or"), nullptr);
  EXPECT_EQ(s.parse("if or TRUE"), nullptr);
  EXPECT_EQ(s.parse("if TRUE or or TRUE"), nullptr);
  EXPECT_EQ(s.parse("if !"), nullptr);
  EXPECT_EQ(s.parse("if TRUE !"), nullptr);
  EXPECT_EQ(s.parse("if ! or TRUE"), nullptr);
}

TEST(Condition, AnonymousAcls) {
  Section s;
  FakeContext ctx;
  ctx.method = "POST";
  // The manual's 7.2 example.
  EXPECT_TRUE(s.applies("if METH_POST { req.hdr_cnt(Content-length) eq 0 }", ctx));
  ctx.req_headers = {{"Content-Length", "12"}};
  EXPECT_FALSE(s.applies("if METH_POST { req.hdr_cnt(Content-length) eq 0 }", ctx));
  EXPECT_TRUE(s.applies("if { path / } { method POST }", ctx));
  EXPECT_TRUE(s.applies("if { path /x } || { method POST }", ctx));
  EXPECT_FALSE(s.applies("if !{ method POST }", ctx));  // HAProxy 2.6
  EXPECT_FALSE(s.applies("if ! { method POST }", ctx));
  EXPECT_TRUE(s.applies("unless { path /x }", ctx));
  EXPECT_TRUE(s.applies("if { hdr(content-length) -m int gt 10 }", ctx));
}

TEST(Condition, AnonymousAclErrors) {
  Section s;
  EXPECT_EQ(s.parse("if { path /a"), nullptr);
  EXPECT_NE(s.err.find("missing '}'"), std::string::npos) << s.err;
  EXPECT_EQ(s.parse("if { nosuch x }"), nullptr);
  EXPECT_NE(s.err.find("unknown fetch method"), std::string::npos) << s.err;
  EXPECT_EQ(s.parse("if { }"), nullptr);
  EXPECT_EQ(s.parse("if { int(1) x }"), nullptr);
  // An anonymous ACL with no pattern is kept, with a warning.
  ASSERT_NE(s.parse("if { path_beg }"), nullptr) << s.err;
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("no pattern"), std::string::npos);
}

// Manual 7.4, each evaluated on a request it describes.
TEST(Condition, PredefinedAcls) {
  for (const char* name :
       {"FALSE", "HTTP", "HTTP_1.0", "HTTP_1.1", "HTTP_2.0", "HTTP_CONTENT", "HTTP_URL_ABS",
        "HTTP_URL_SLASH", "HTTP_URL_STAR", "LOCALHOST", "METH_CONNECT", "METH_DELETE", "METH_GET",
        "METH_HEAD", "METH_OPTIONS", "METH_POST", "METH_PUT", "METH_TRACE", "TRUE"}) {
    EXPECT_NE(predefined_acl(name), nullptr) << name;
  }
  EXPECT_EQ(predefined_acl("NOSUCH"), nullptr);
  EXPECT_EQ(predefined_acl("true"), nullptr);
  // Built for each use: each has its own pattern reference, as in HAProxy.
  EXPECT_NE(predefined_acl("TRUE"), predefined_acl("TRUE"));

  Section s;
  FakeContext ctx;  // GET / HTTP/1.1 from 192.0.2.1
  EXPECT_TRUE(s.applies("if TRUE", ctx));
  EXPECT_FALSE(s.applies("if FALSE", ctx));
  EXPECT_TRUE(s.applies("if HTTP", ctx));
  EXPECT_TRUE(s.applies("if HTTP_1.1", ctx));
  EXPECT_FALSE(s.applies("if HTTP_1.0 or HTTP_2.0", ctx));
  EXPECT_TRUE(s.applies("if METH_GET", ctx));
  EXPECT_FALSE(s.applies("if METH_HEAD or METH_POST or METH_PUT or METH_DELETE", ctx));
  EXPECT_FALSE(s.applies("if METH_OPTIONS or METH_TRACE or METH_CONNECT", ctx));
  EXPECT_TRUE(s.applies("if HTTP_URL_SLASH", ctx));
  EXPECT_FALSE(s.applies("if HTTP_URL_STAR or HTTP_URL_ABS", ctx));
  EXPECT_FALSE(s.applies("if HTTP_CONTENT", ctx));
  EXPECT_FALSE(s.applies("if LOCALHOST", ctx));

  ctx.method = "HEAD";
  EXPECT_TRUE(s.applies("if METH_GET METH_HEAD", ctx));  // METH_GET is GET or HEAD
  ctx.method = "get";                                    // methods are case-sensitive
  EXPECT_FALSE(s.applies("if METH_GET", ctx));
  ctx.method = "OPTIONS";
  ctx.path = "*";
  EXPECT_TRUE(s.applies("if HTTP_URL_STAR METH_OPTIONS", ctx));
  ctx.path = "http://example.com/";
  EXPECT_TRUE(s.applies("if HTTP_URL_ABS !HTTP_URL_SLASH", ctx));
  ctx.version = "2.0";
  EXPECT_TRUE(s.applies("if HTTP_2.0", ctx));
  ctx.req_headers = {{"Content-Length", "5"}};
  EXPECT_TRUE(s.applies("if HTTP_CONTENT", ctx));
  ctx.req_headers = {{"Content-Length", "0"}};
  EXPECT_FALSE(s.applies("if HTTP_CONTENT", ctx));
  for (const char* local : {"127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"}) {
    ctx.src = local;
    EXPECT_TRUE(s.applies("if LOCALHOST", ctx)) << local;
  }
  ctx.src = "::2";
  EXPECT_FALSE(s.applies("if LOCALHOST", ctx));
}

TEST(Condition, NamedAclShadowsPredefined) {
  Section s;
  s.acl("TRUE", "always_false");
  EXPECT_FALSE(s.applies("if TRUE"));
}

// HAProxy warns when an ACL can never match where the rule runs (HAProxy
// 2.6: "acl 'a' will never match because it only involves keywords that are
// incompatible with 'frontend http-request header rule'").
TEST(Condition, IncompatibleUseWarns) {
  Section s;
  s.acl("ok", "status 200");
  ASSERT_NE(s.parse("if ok", kUseReq), nullptr) << s.err;
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("acl 'ok' will never match"), std::string::npos) << s.warnings[0];
  ASSERT_NE(s.parse("if ok", kUseRes), nullptr);
  EXPECT_TRUE(s.warnings.empty());

  ASSERT_NE(s.parse("if { status 200 }", kUseReq), nullptr);
  EXPECT_EQ(s.warnings.size(), 1u);
  ASSERT_NE(s.parse("if { src 1.2.3.4 } { status 200 }", kUseReq), nullptr);
  EXPECT_EQ(s.warnings.size(), 1u);  // only the second ACL
  ASSERT_NE(s.parse("if { path /a }", kUseConn), nullptr);
  EXPECT_EQ(s.warnings.size(), 1u);
  ASSERT_NE(s.parse("if { hdr(host) a }", kUseConn), nullptr);
  EXPECT_EQ(s.warnings.size(), 1u);
  ASSERT_NE(s.parse("if LOCALHOST TRUE", kUseConn), nullptr);
  EXPECT_TRUE(s.warnings.empty());

  // An ACL with one usable test is fine: HAProxy warns only when none is.
  s.acl("mixed", "path /a");
  s.acl("mixed", "status 200");
  ASSERT_NE(s.parse("if mixed", kUseReq), nullptr);
  EXPECT_TRUE(s.warnings.empty());
  ASSERT_NE(s.parse("if mixed", kUseConn), nullptr);
  EXPECT_EQ(s.warnings.size(), 1u);
}

}  // namespace
}  // namespace hearth::expr
