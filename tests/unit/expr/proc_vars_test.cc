#include "expr/proc_vars.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "expr/fetch.h"
#include "expr/sample_expr.h"
#include "expr/var_access.h"
#include "expr/vars.h"
#include "fake_context.h"

namespace hearth::expr {
namespace {

VarName proc(const std::string& n) {
  VarName v;
  std::string err;
  EXPECT_TRUE(parse_var_name("proc." + n, &v, &err)) << err;
  return v;
}

TEST(ProcVars, SetGetUnsetWithOwnCopies) {
  ProcVars& pv = ProcVars::instance();
  const VarName v = proc("pv_basic");
  std::string text = "hello";
  Sample in;
  in.set_str(text);
  EXPECT_TRUE(pv.set_if(v.id, 0, in));
  text = "HELLO";  // the store keeps its own copy
  Sample out;
  ASSERT_TRUE(pv.get(v.id, &out));
  EXPECT_EQ(out.type, SmpType::kStr);
  EXPECT_EQ(out.str, "hello");
  // A read copies out: replacing the value leaves an earlier read intact.
  Sample again;
  again.set_sint(7);
  EXPECT_TRUE(pv.set_if(v.id, 0, again));
  EXPECT_EQ(out.str, "hello");
  ASSERT_TRUE(pv.get(v.id, &out));
  EXPECT_EQ(out.type, SmpType::kSint);
  EXPECT_EQ(out.sint, 7);
  pv.unset(v.id);
  EXPECT_FALSE(pv.get(v.id, &out));
}

TEST(ProcVars, ConditionsAsInTransactionScopes) {
  ProcVars& pv = ProcVars::instance();
  const VarName v = proc("pv_conds");
  Sample five, three;
  five.set_sint(5);
  three.set_sint(3);
  // ifexists on a missing variable: nothing set, nothing declared.
  EXPECT_FALSE(pv.set_if(v.id, kVarIfExists, five));
  EXPECT_FALSE(pv.set_if(v.id, kVarIfExists, five));
  // ifset on a missing one declares it, so ifexists now holds.
  EXPECT_FALSE(pv.set_if(v.id, kVarIfSet, five));
  EXPECT_TRUE(pv.set_if(v.id, kVarIfExists, five));
  // iflt: the current value must be below the new one.
  EXPECT_FALSE(pv.set_if(v.id, kVarIfLt, three));
  EXPECT_TRUE(pv.set_if(v.id, kVarIfGt, three));
  Sample out;
  ASSERT_TRUE(pv.get(v.id, &out));
  EXPECT_EQ(out.sint, 3);
  pv.unset(v.id);
}

TEST(ProcVars, ReachedThroughTheVarFetchAndConverters) {
  testing::FakeContext ctx;  // has no proc store of its own
  std::string err;
  auto set = parse_sample_expr("int(40),set-var(proc.pv_conv)", kUseAny, &err);
  ASSERT_TRUE(set) << err;
  Sample s;
  ASSERT_TRUE(eval_sample_expr(*set, ctx, s));
  auto get = parse_sample_expr("var(proc.pv_conv),add(proc.pv_conv)", kUseAny, &err);
  ASSERT_TRUE(get) << err;
  ASSERT_TRUE(eval_sample_expr(*get, ctx, s));
  EXPECT_EQ(s.sint, 80);
  auto unset = parse_sample_expr("str(x),unset-var(proc.pv_conv)", kUseAny, &err);
  ASSERT_TRUE(unset) << err;
  ASSERT_TRUE(eval_sample_expr(*unset, ctx, s));
  auto dflt = parse_sample_expr("var(proc.pv_conv,gone)", kUseAny, &err);
  ASSERT_TRUE(dflt) << err;
  ASSERT_TRUE(eval_sample_expr(*dflt, ctx, s));
  EXPECT_EQ(s.str, "gone");
}

// HAProxy 2.6 creates a proc variable named by a set-var when it reads the
// configuration: "ifexists" holds for it before any value was stored, and
// "ifnotexists" never does (sample_fetches/cond_set_var.vtc of its reg-tests).
TEST(ProcVars, ASetVarConverterCreatesItsProcVariableAtParse) {
  testing::FakeContext ctx;
  std::string err;
  auto set = parse_sample_expr("int(12),set-var(proc.pv_decl,ifexists)", kUseAny, &err);
  ASSERT_TRUE(set) << err;
  Sample out;
  EXPECT_FALSE(ProcVars::instance().get(proc("pv_decl").id, &out));  // created, not set
  Sample s;
  ASSERT_TRUE(eval_sample_expr(*set, ctx, s));
  ASSERT_TRUE(ProcVars::instance().get(proc("pv_decl").id, &out));
  EXPECT_EQ(out.sint, 12);
  auto once = parse_sample_expr("int(5),set-var(proc.pv_decl2,ifnotexists)", kUseAny, &err);
  ASSERT_TRUE(once) << err;
  EXPECT_FALSE(eval_sample_expr(*once, ctx, s));
  EXPECT_FALSE(ProcVars::instance().get(proc("pv_decl2").id, &out));
  // Other scopes are per stream: nothing is created for them at parse.
  auto txn = parse_sample_expr("int(5),set-var(txn.pv_decl,ifexists)", kUseAny, &err);
  ASSERT_TRUE(txn) << err;
  EXPECT_FALSE(eval_sample_expr(*txn, ctx, s));
}

// Worker threads share the store: concurrent increments lose nothing when each
// is one set under the lock, and readers never see torn bytes.
TEST(ProcVars, SharedByThreads) {
  ProcVars& pv = ProcVars::instance();
  const VarName n = proc("pv_threads_n");
  const VarName s = proc("pv_threads_s");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string mine(100 + t, char('a' + t));
      Sample v;
      v.set_str(mine);
      for (int i = 0; i < 2000; ++i) {
        pv.set_if(s.id, 0, v);
        Sample out;
        if (pv.get(s.id, &out)) {
          // Whatever thread wrote it, a value is one letter repeated.
          for (char c : out.str) ASSERT_EQ(c, out.str[0]);
          ASSERT_EQ(out.str.size(), size_t(100 + (out.str[0] - 'a')));
        }
        Sample one;
        one.set_sint(int64_t(t));
        pv.set_if(n.id, 0, one);
      }
    });
  }
  for (auto& th : threads) th.join();
  Sample out;
  ASSERT_TRUE(pv.get(n.id, &out));
  EXPECT_GE(out.sint, 0);
  EXPECT_LT(out.sint, 4);
  pv.unset(n.id);
  pv.unset(s.id);
}

TEST(ProcFetches, UuidIsVersion4) {
  testing::FakeContext ctx;
  std::string err;
  auto e = parse_sample_expr("uuid", kUseAny, &err);
  ASSERT_TRUE(e) << err;
  Sample a, b;
  ASSERT_TRUE(eval_sample_expr(*e, ctx, a));
  const std::string first(a.str);
  ASSERT_TRUE(eval_sample_expr(*e, ctx, b));
  ASSERT_EQ(first.size(), 36u);
  for (size_t i : {8u, 13u, 18u, 23u}) EXPECT_EQ(first[i], '-') << first;
  EXPECT_EQ(first[14], '4') << first;
  EXPECT_NE(std::string("89ab").find(first[19]), std::string::npos) << first;
  EXPECT_NE(first, std::string(b.str));
  EXPECT_TRUE(parse_sample_expr("uuid(4)", kUseAny, &err)) << err;
  EXPECT_FALSE(parse_sample_expr("uuid(3)", kUseAny, &err));
  EXPECT_NE(err.find("version 4"), std::string::npos) << err;
}

TEST(ProcFetches, DateWithOffsetAndUnit) {
  testing::FakeContext ctx;
  std::string err;
  auto at = [&](const std::string& text) {
    auto e = parse_sample_expr(text, kUseAny, &err);
    EXPECT_TRUE(e) << text << ": " << err;
    Sample s;
    EXPECT_TRUE(e && eval_sample_expr(*e, ctx, s));
    return s.sint;
  };
  const int64_t now = int64_t(time(nullptr));
  EXPECT_NEAR(double(at("date")), double(now), 2);
  EXPECT_NEAR(double(at("date()")), double(now), 2);
  EXPECT_NEAR(double(at("date(3600)")), double(now + 3600), 2);
  EXPECT_NEAR(double(at("date(-10,s)")), double(now - 10), 2);
  EXPECT_NEAR(double(at("date(0,ms)")) / 1e3, double(now), 2);
  EXPECT_NEAR(double(at("date(5000,ms)")) / 1e3, double(now + 5), 2);
  EXPECT_NEAR(double(at("date(0,us)")) / 1e6, double(now), 2);
  EXPECT_FALSE(parse_sample_expr("date(0,h)", kUseAny, &err));
  EXPECT_NE(err.find("'s', 'ms' or 'us'"), std::string::npos) << err;
}

// The global section reads only what exists without a stream.
TEST(ProcFetches, ConfigTimeUseRefusesStreamFetches) {
  std::string err;
  for (const char* ok : {"int(1)", "str(a),upper", "uuid", "date", "env(HOME)", "rand(3)",
                         "var(proc.a)", "bool(1)", "bin(41)", "always_true"})
    EXPECT_TRUE(parse_sample_expr(ok, kUseCfg, &err)) << ok << ": " << err;
  for (const char* no : {"src", "path", "req.hdr(host)", "status", "fe_name", "req.len"})
    EXPECT_FALSE(parse_sample_expr(no, kUseCfg, &err)) << no;
}

}  // namespace
}  // namespace hearth::expr
