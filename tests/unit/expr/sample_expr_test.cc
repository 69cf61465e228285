// expr::parse_sample_expr and eval_sample_expr: "fetch(args),conv(args)..."
// parsed once with its types checked, then evaluated through a FetchContext.
// Where a case notes HAProxy 2.6, haproxy -c gave the same verdict.
#include "expr/sample_expr.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

using testing::FakeContext;

std::unique_ptr<SampleExpr> parse(const std::string& text, uint8_t use = kUseAny) {
  std::string err;
  auto e = parse_sample_expr(text, use, &err);
  EXPECT_NE(e, nullptr) << text << ": " << err;
  return e;
}

// The error `text` is refused with ("" if it parses).
std::string error_of(const std::string& text, uint8_t use = kUseAny) {
  std::string err;
  auto e = parse_sample_expr(text, use, &err);
  if (e) return "";
  EXPECT_FALSE(err.empty()) << text;
  return err;
}

// The value of `text` as a string on `ctx`, or "<none>".
std::string value(const std::string& text, FakeContext& ctx) {
  auto e = parse(text);
  if (!e) return "<parse error>";
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return "<none>";
  if (s.type != SmpType::kBin && !cast(s, SmpType::kStr)) return "<no string>";
  return std::string(s.str);
}

std::string value(const std::string& text) {
  FakeContext ctx;
  return value(text, ctx);
}

TEST(SampleExprParse, FetchAndConverters) {
  auto e = parse("hdr(host),lower,field(1,:)");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->fetch->name, "hdr");
  ASSERT_EQ(e->args.size(), 1u);
  EXPECT_EQ(e->args[0].str, "host");
  ASSERT_EQ(e->convs.size(), 2u);
  EXPECT_EQ(e->convs[0].def->name, "lower");
  EXPECT_EQ(e->convs[1].def->name, "field");
  ASSERT_EQ(e->convs[1].args.size(), 2u);
  EXPECT_EQ(e->convs[1].args[0].sint, 1);
  EXPECT_EQ(e->convs[1].args[1].str, ":");
  EXPECT_EQ(e->out_type(), SmpType::kStr);
  EXPECT_EQ(e->text, "hdr(host),lower,field(1,:)");
}

TEST(SampleExprParse, OutputTypeIsTheLastConverters) {
  EXPECT_EQ(parse("path")->out_type(), SmpType::kStr);
  EXPECT_EQ(parse("path,length")->out_type(), SmpType::kSint);
  EXPECT_EQ(parse("src")->out_type(), SmpType::kAddr);
  EXPECT_EQ(parse("src,ipmask(24)")->out_type(), SmpType::kAddr);
  EXPECT_EQ(parse("str(a),b64dec")->out_type(), SmpType::kBin);
  EXPECT_EQ(parse("int(1),odd")->out_type(), SmpType::kBool);
  EXPECT_EQ(parse("method")->out_type(), SmpType::kMeth);
}

TEST(SampleExprParse, UnknownNames) {
  EXPECT_NE(error_of("nosuch").find("unknown fetch method 'nosuch'"), std::string::npos);
  EXPECT_NE(error_of("str(a),nosuch").find("unknown converter 'nosuch'"), std::string::npos);
  EXPECT_NE(error_of("str(a),").find("unknown converter ''"), std::string::npos);
  EXPECT_NE(error_of("").find("missing fetch method"), std::string::npos);
  EXPECT_NE(error_of("(a)").find("missing fetch method"), std::string::npos);
  EXPECT_NE(error_of("path_beg").find("unknown fetch method"), std::string::npos);  // ACL only
}

TEST(SampleExprParse, MissingParenthesis) {
  EXPECT_NE(error_of("str(a").find("missing closing ')'"), std::string::npos);
  EXPECT_NE(error_of("str(a),field(1,_").find("missing closing ')'"), std::string::npos);
  EXPECT_NE(error_of("str('a)"), "");  // the quote hides the parenthesis
  EXPECT_NE(error_of("str(a)x").find("unexpected 'x'"), std::string::npos);
  EXPECT_NE(error_of("str(a)(b)"), "");
}

TEST(SampleExprParse, ArgumentCounts) {
  // HAProxy 2.6 refuses all of these.
  EXPECT_NE(error_of("int"), "");
  EXPECT_NE(error_of("int()"), "");
  EXPECT_NE(error_of("int(1,2)").find("at most 1"), std::string::npos);
  EXPECT_NE(error_of("str(a),lower(x)").find("at most 0"), std::string::npos);
  EXPECT_NE(error_of("str(a),field(1)").find("at least 2"), std::string::npos);
  EXPECT_NE(error_of("str(a),regsub(x)"), "");
  // Optional arguments may be left out, with or without the parentheses.
  EXPECT_EQ(error_of("path()"), "");
  EXPECT_EQ(error_of("str(a),upper()"), "");
  EXPECT_EQ(error_of("rand"), "");
  EXPECT_EQ(error_of("str(a),url_dec"), "");
  EXPECT_EQ(error_of("hdr"), "");
}

TEST(SampleExprParse, ArgumentTypes) {
  EXPECT_NE(error_of("int(abc)").find("expects an integer"), std::string::npos);
  EXPECT_NE(error_of("int(0x10)"), "");
  EXPECT_NE(error_of("int( 5)"), "");
  EXPECT_EQ(error_of("int(+5)"), "");
  EXPECT_EQ(error_of("int(-5)"), "");
  EXPECT_NE(error_of("hdr(host,x)"), "");
  EXPECT_NE(error_of("str(a),ipmask(33)").find("netmask"), std::string::npos);
  EXPECT_NE(error_of("str(a),url_dec(x)"), "");
  EXPECT_NE(error_of("str(a),regsub('(x','y')").find("regex"), std::string::npos);
}

// bool() takes 'true', 'false', '1' or '0' (manual 7.3.2; HAProxy 2.6
// refuses bool(5)).
TEST(SampleExprParse, BoolConstant) {
  EXPECT_EQ(value("bool(true)"), "1");
  EXPECT_EQ(value("bool(TRUE)"), "1");
  EXPECT_EQ(value("bool(1)"), "1");
  EXPECT_EQ(value("bool(false)"), "0");
  EXPECT_EQ(value("bool(0)"), "0");
  EXPECT_EQ(value("bool(1),add(1)"), "2");
  EXPECT_NE(error_of("bool(5)"), "");
  EXPECT_NE(error_of("bool(yes)"), "");
  EXPECT_NE(error_of("bool"), "");
}

// ipv4(ADDR) and ipv6(ADDR): address constants, read as inet_pton() reads
// them; compared with HAProxy 2.6 by hand (same texts out through
// lf-string, ipmask and hex).
TEST(SampleExprParse, AddressConstants) {
  FakeContext ctx;
  EXPECT_EQ(value("ipv4(10.1.2.3),ipmask(8)", ctx), "10.0.0.0");
  EXPECT_EQ(value("ipv4(1.2.3.4),add(1)", ctx), "16909061");
  EXPECT_EQ(value("ipv4(1.2.3.4),hex", ctx), "01020304");
  EXPECT_EQ(value("ipv6(2001:db8::1)", ctx), "2001:db8::1");
  EXPECT_EQ(value("ipv6(::1),hex", ctx), "00000000000000000000000000000001");
  EXPECT_EQ(ctx.calls, 0);
  EXPECT_NE(error_of("ipv4(10.1)"), "");
  EXPECT_NE(error_of("ipv4(300.1.1.1)"), "");
  EXPECT_NE(error_of("ipv4(::1)"), "");
  EXPECT_NE(error_of("ipv6(1.2.3.4)"), "");
  EXPECT_NE(error_of("ipv4"), "");
}

// HAProxy 2.6: "converter 'add' cannot be applied" for each of these.
TEST(SampleExprParse, TypeMismatchInTheChain) {
  const std::string e = error_of("str(a),bytes(0),add(1)");
  EXPECT_NE(e.find("converter 'add' cannot be applied"), std::string::npos) << e;
  EXPECT_NE(e.find("'bin'"), std::string::npos) << e;
  EXPECT_NE(error_of("method,add(1)"), "");
  EXPECT_NE(error_of("int(1),bool,ipmask(24)"), "");
  EXPECT_NE(error_of("int(1),odd,hex"), "");  // bool is no bin
  // What the matrix allows: int to str, str to int, addr to int, meth to str.
  EXPECT_EQ(error_of("int(1),upper"), "");
  EXPECT_EQ(error_of("str(1),add(1)"), "");
  EXPECT_EQ(error_of("src,add(1)"), "");
  EXPECT_EQ(error_of("method,lower"), "");
  EXPECT_EQ(error_of("int(1),hex"), "");
  EXPECT_EQ(error_of("str(a),b64dec,lower"), "");  // bin to str ends at a NUL
}

// Arguments as HAProxy's make_arg_list() reads them.
TEST(SampleExprParse, QuotedArguments) {
  auto e = parse("hdr(x-path),regsub('/+','/','g')");
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->convs.size(), 1u);
  ASSERT_EQ(e->convs[0].args.size(), 3u);
  EXPECT_EQ(e->convs[0].args[0].str, "/+");
  EXPECT_EQ(e->convs[0].args[1].str, "/");
  EXPECT_EQ(e->convs[0].args[2].str, "g");

  EXPECT_EQ(value("str(\"a,b\")"), "a,b");
  EXPECT_EQ(value("str('a)b')"), "a)b");
  EXPECT_EQ(value("str('a(b')"), "a(b");
  EXPECT_EQ(value("str(\"it's\")"), "it's");
  EXPECT_EQ(value("str('say \"hi\"')"), "say \"hi\"");
  EXPECT_EQ(value("str(a\\ b)"), "a b");
  EXPECT_EQ(value("str(a\\\\b)"), "a\\b");
  EXPECT_EQ(value("str(a\\'b)"), "a'b");
  EXPECT_EQ(value("str(a\\tb)"), "a\tb");
  EXPECT_EQ(value("str(a\\2)"), "a\\2");        // a lone backslash stays
  EXPECT_EQ(value("str('a\\\\b')"), "a\\\\b");  // in single quotes, verbatim
  EXPECT_EQ(value("str(a'')"), "a");
  EXPECT_EQ(value("str('ab'c)"), "abc");
  EXPECT_NE(error_of("str(a\\,b)"), "");  // "\," is no escape: two arguments
  EXPECT_NE(error_of("str('a)").find("missing closing ')'"), std::string::npos);
  EXPECT_NE(error_of("str(\"a)"), "");
  // A regex full of parentheses and commas, quoted.
  EXPECT_NE(error_of("str(a,b),regsub('(a),(b)','\\2,\\1')"), "");  // str takes one
  EXPECT_EQ(value("str('a,b'),regsub('(a),(b)','\\2,\\1')"), "b,a");
  EXPECT_EQ(value("str(foo123),regsub(\"(foo|bar)([0-9]+)?\",\"\\2\\1\",i)"), "123foo");
}

TEST(SampleExprParse, FetchUseIsChecked) {
  // status reads the response: refused where only the request exists.
  const std::string e = error_of("status", kUseReq);
  EXPECT_NE(e.find("fetch method 'status'"), std::string::npos) << e;
  EXPECT_NE(e.find("none of which is available here"), std::string::npos) << e;
  EXPECT_EQ(error_of("status", kUseRes), "");
  EXPECT_EQ(error_of("status,add(1)", kUseRes | kUseReq), "");
  EXPECT_NE(error_of("res.hdr(server)", kUseReq), "");
  EXPECT_NE(error_of("path", kUseConn), "");
  EXPECT_NE(error_of("hdr(host)", kUseConn).find("HTTP request"), std::string::npos);
  EXPECT_EQ(error_of("path", kUseReq), "");
  // As HAProxy, the request's headers are gone once the response is analysed.
  EXPECT_NE(error_of("path", kUseRes), "");
  EXPECT_EQ(error_of("src", kUseConn), "");
  EXPECT_EQ(error_of("str(x)", kUseConn), "");
}

TEST(SampleExprParse, AliasesAreTheSameFetch) {
  // hdr() is not req.hdr(): it follows the rule's direction (stream tests).
  EXPECT_NE(parse("hdr(a)")->fetch->id, parse("req.hdr(a)")->fetch->id);
  EXPECT_EQ(parse("urlp(a)")->fetch->id, parse("url_param(a)")->fetch->id);
  EXPECT_EQ(parse("cook(a)")->fetch->id, parse("req.cook(a)")->fetch->id);
  EXPECT_EQ(parse("shdr(a)")->fetch->id, parse("res.hdr(a)")->fetch->id);
  EXPECT_EQ(parse("req_ver")->fetch->id, parse("req.ver")->fetch->id);
}

TEST(SampleExprEval, ConstantsNeedNoContext) {
  FakeContext ctx;
  EXPECT_EQ(value("str(abc),upper", ctx), "ABC");
  EXPECT_EQ(value("int(-3),add(5)", ctx), "2");
  EXPECT_EQ(value("always_true", ctx), "1");
  EXPECT_EQ(value("always_false", ctx), "0");
  EXPECT_EQ(ctx.calls, 0);
}

TEST(SampleExprEval, Environment) {
  ASSERT_EQ(setenv("HEARTH_EXPR_TEST", "from env", 1), 0);
  EXPECT_EQ(value("env(HEARTH_EXPR_TEST),upper"), "FROM ENV");
  unsetenv("HEARTH_EXPR_TEST");
  EXPECT_EQ(value("env(HEARTH_EXPR_TEST)"), "<none>");
}

TEST(SampleExprEval, RandStaysInRange) {
  auto e = parse("rand(10)");
  FakeContext ctx;
  for (int i = 0; i < 200; ++i) {
    Sample s;
    ASSERT_TRUE(eval_sample_expr(*e, ctx, s));
    EXPECT_EQ(s.type, SmpType::kSint);
    EXPECT_GE(s.sint, 0);
    EXPECT_LT(s.sint, 10);
    EXPECT_TRUE(s.may_change);
  }
}

TEST(SampleExprEval, FetchesGoThroughTheContext) {
  FakeContext ctx;
  ctx.path = "/Images/Logo.PNG";
  ctx.req_headers = {{"Host", "WWW.Example.com:8080"}};
  EXPECT_EQ(value("path,lower", ctx), "/images/logo.png");
  EXPECT_EQ(value("hdr(host),lower,field(1,:)", ctx), "www.example.com");
  EXPECT_EQ(value("src", ctx), "192.0.2.1");
  EXPECT_EQ(value("src,ipmask(24)", ctx), "192.0.2.0");
  EXPECT_EQ(value("method", ctx), "GET");
  EXPECT_EQ(value("hdr(nosuch)", ctx), "<none>");
  EXPECT_EQ(value("hdr(nosuch),length", ctx), "<none>");  // no sample, no conversion
  EXPECT_GT(ctx.calls, 0);
}

// A header fetch evaluated once gives the last value; an occurrence picks one.
TEST(SampleExprEval, HeaderOccurrences) {
  FakeContext ctx;
  ctx.req_headers = {{"X-Fwd", "a, b"}, {"x-fwd", "c"}};
  EXPECT_EQ(value("hdr(x-fwd)", ctx), "c");
  EXPECT_EQ(value("hdr(x-fwd,1)", ctx), "a");
  EXPECT_EQ(value("hdr(x-fwd,2)", ctx), "b");
  EXPECT_EQ(value("hdr(x-fwd,-1)", ctx), "c");
  EXPECT_EQ(value("hdr(x-fwd,-3)", ctx), "a");
  EXPECT_EQ(value("hdr(x-fwd,4)", ctx), "<none>");
  EXPECT_EQ(value("req.fhdr(x-fwd,1)", ctx), "a, b");
  EXPECT_EQ(value("hdr_cnt(x-fwd)", ctx), "3");
}

// With FetchIter::all, each call gives the next value and `more` says whether
// another follows; the converters apply to each value.
TEST(SampleExprEval, IteratesOverEveryValue) {
  FakeContext ctx;
  ctx.req_headers = {{"X-Fwd", "a, b"}, {"x-fwd", "c"}};
  auto e = parse("hdr(x-fwd),upper");
  FetchIter it;
  it.all = true;
  std::vector<std::string> seen;
  do {
    Sample s;
    ASSERT_TRUE(eval_sample_expr(*e, ctx, it, s));
    seen.emplace_back(s.str);
  } while (it.more);
  EXPECT_EQ(seen, (std::vector<std::string>{"A", "B", "C"}));
}

// Types are checked at load time as HAProxy's (src as an IPv4), so an IPv6
// client makes a chain that needs an integer give no sample at run time.
TEST(SampleExprEval, RuntimeCastFailureGivesNoSample) {
  FakeContext ctx;
  ctx.src = "10.0.0.1";
  EXPECT_EQ(value("src,add(0)", ctx), "167772161");
  ctx.src = "2001:db8::1";
  EXPECT_EQ(value("src,add(0)", ctx), "<none>");
  EXPECT_EQ(value("src,ipmask(24)", ctx), "<none>");
  EXPECT_EQ(value("src,ipmask(24,32)", ctx), "2001:db8::");
  ctx.src = "::ffff:10.1.2.3";
  EXPECT_EQ(value("src,ipmask(8)", ctx), "10.0.0.0");
}

TEST(SampleExprEval, ResponseFetches) {
  FakeContext ctx;
  ctx.status = 503;
  ctx.res_headers = {{"Server", "x"}};
  auto e = parse("status,div(100)", kUseRes);
  Sample s;
  ASSERT_TRUE(eval_sample_expr(*e, ctx, s));
  EXPECT_EQ(s.sint, 5);
  EXPECT_EQ(value("res.hdr(server),upper", ctx), "X");
}

}  // namespace
}  // namespace hearth::expr
