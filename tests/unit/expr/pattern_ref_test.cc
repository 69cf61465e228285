// Pattern references: one set of entries per file shared by every ACL and
// map using it, changed at run time (runtime API, add-acl/set-map), with
// versions, ids as HAProxy numbers them, and lookups that never see a
// half-made change.
#include "expr/pattern_ref.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "expr/acl.h"
#include "expr/map.h"
#include "unit/expr/fake_context.h"
#include "unit/expr/mem_files.h"

namespace hearth::expr {
namespace {

using testing::MemFiles;

Sample str(std::string_view s) {
  Sample x;
  x.set_str(s);
  return x;
}

class PatternRefs : public ::testing::Test {
 protected:
  void SetUp() override { PatRefRegistry::instance().reset(); }
  void TearDown() override { PatRefRegistry::instance().reset(); }

  AclTest acl(const std::string& line) {
    AclTest t;
    std::string err, warning;
    EXPECT_TRUE(parse_acl_test(testing::words_of(line), files, &t, &err, &warning)) << err;
    return t;
  }
  MemFiles files;
};

TEST_F(PatternRefs, EveryUserOfAFileSharesItsEntries) {
  files.files["/a.lst"] = {"alpha"};
  AclTest exact = acl("str(x) -f /a.lst");
  AclTest nocase = acl("str(x) -i -f /a.lst");
  EXPECT_EQ(exact.sets[0].ref, nocase.sets[0].ref);
  EXPECT_NE(exact.sets[0].expr, nocase.sets[0].expr);  // two ways to match
  EXPECT_FALSE(exact.match(str("beta")));
  std::string err;
  ASSERT_TRUE(exact.sets[0].ref->add(0, "beta", "", IntOp::kEq, &err)) << err;
  EXPECT_TRUE(exact.match(str("beta")));
  EXPECT_TRUE(nocase.match(str("BETA")));
  EXPECT_FALSE(exact.match(str("BETA")));
  EXPECT_EQ(exact.sets[0].ref->erase("beta", 0), 1u);
  EXPECT_FALSE(nocase.match(str("beta")));
  EXPECT_TRUE(nocase.match(str("ALPHA")));
}

TEST_F(PatternRefs, InlinePatternsHaveARefOfTheirOwn) {
  AclTest t = acl("int(1) -u 7 gt 5 3");
  ASSERT_EQ(t.sets.size(), 1u);
  PatRef* r = PatRefRegistry::instance().find("#7", false);
  ASSERT_EQ(r, t.sets[0].ref.get());
  Sample six;
  six.set_sint(6);
  EXPECT_TRUE(t.match(six));  // "gt" kept for its pattern across a rebuild
  r->erase("3", 0);
  EXPECT_TRUE(t.match(six));
  r->clear(r->curr_gen());
  EXPECT_FALSE(t.match(six));
}

TEST_F(PatternRefs, IdsFollowLoadingOrderAndSkipExplicitOnes) {
  files.files["/f.lst"] = {"x"};
  acl("str(a) -u 1 b");
  acl("str(a) -f /f.lst");
  std::vector<PatRef*> l = PatRefRegistry::instance().list(false);
  ASSERT_EQ(l.size(), 3u);
  // The file (0), the first test's own (1, from -u), the second's (2: 1 is taken).
  EXPECT_EQ(l[0]->path(), "/f.lst");
  EXPECT_EQ(l[0]->id(), 0);
  EXPECT_EQ(l[1]->id(), 1);
  EXPECT_EQ(l[2]->id(), 2);
  EXPECT_EQ(PatRefRegistry::instance().find("/f.lst", false), l[0]);
  EXPECT_EQ(PatRefRegistry::instance().find("/f.lst", true), nullptr);  // not a map
  EXPECT_EQ(PatRefRegistry::instance().find("#x", false), nullptr);
}

TEST_F(PatternRefs, MapValuesChangeAndAreCopiedOut) {
  files.files["/m.map"] = {"k1 v1", "k2 v2"};
  std::string err;
  auto m = Map::load("/m.map", MatchMethod::kStr, SmpType::kStr, false, files, &err);
  ASSERT_NE(m, nullptr) << err;
  PatRef& r = *m->use().ref;
  Sample v;
  ASSERT_TRUE(m->lookup(str("k1"), &v));
  EXPECT_EQ(v.str, "v1");
  EXPECT_EQ(r.set_value("k1", 0, "changed", &err), 1u);
  // The earlier answer was a copy: the change does not pull it away.
  EXPECT_EQ(v.str, "v1");
  ASSERT_TRUE(m->lookup(str("k1"), &v));
  EXPECT_EQ(v.str, "changed");
  EXPECT_TRUE(r.set_or_add("k3", "v3", &err));
  ASSERT_TRUE(m->lookup(str("k3"), &v));
  EXPECT_EQ(v.str, "v3");
  EXPECT_EQ(r.erase("k2", 0), 1u);
  EXPECT_FALSE(m->lookup(str("k2"), &v));
}

TEST_F(PatternRefs, AChangeThatDoesNotSuitAUserIsRefused) {
  files.files["/i.map"] = {"a 1"};
  std::string err;
  auto m = Map::load("/i.map", MatchMethod::kStr, SmpType::kSint, false, files, &err);
  ASSERT_NE(m, nullptr) << err;
  PatRef& r = *m->use().ref;
  EXPECT_FALSE(r.add(0, "b", "two", IntOp::kEq, &err));
  EXPECT_NE(err.find("not of type sint"), std::string::npos) << err;
  EXPECT_EQ(r.set_value("a", 0, "x", &err), 0u);
  Sample v;
  ASSERT_TRUE(m->lookup(str("a"), &v));
  EXPECT_EQ(v.sint, 1);
  EXPECT_FALSE(m->lookup(str("b"), &v));
}

TEST_F(PatternRefs, AVersionReplacesTheEntriesAtCommit) {
  files.files["/v.lst"] = {"old"};
  AclTest t = acl("str(x) -f /v.lst");
  PatRef& r = *t.sets[0].ref;
  const uint32_t v = r.prepare();
  EXPECT_EQ(v, 1u);
  std::string err;
  ASSERT_TRUE(r.add(v, "new", "", IntOp::kEq, &err));
  EXPECT_TRUE(t.match(str("old")));
  EXPECT_FALSE(t.match(str("new")));
  EXPECT_FALSE(r.commit(2));  // never prepared
  EXPECT_TRUE(r.commit(v));
  EXPECT_FALSE(t.match(str("old")));
  EXPECT_TRUE(t.match(str("new")));
  EXPECT_FALSE(r.commit(v));  // not newer than the current one
  EXPECT_EQ(r.curr_gen(), 1u);
}

TEST_F(PatternRefs, AddIfAbsentKeepsOneEntry) {
  files.files["/d.lst"] = {};
  AclTest t = acl("str(x) -f /d.lst");
  PatRef& r = *t.sets[0].ref;
  std::string err;
  EXPECT_TRUE(r.add_if_absent("k", &err));
  EXPECT_TRUE(r.add_if_absent("k", &err));
  EXPECT_EQ(r.entry_count(), 1u);
  EXPECT_TRUE(t.match(str("k")));
}

TEST_F(PatternRefs, ReadersSeeWholeChangesWhileAWriterRuns) {
  files.files["/c.map"] = {"stable yes"};
  std::string err;
  auto m = Map::load("/c.map", MatchMethod::kStr, SmpType::kStr, false, files, &err);
  ASSERT_NE(m, nullptr) << err;
  PatRef& r = *m->use().ref;
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop.load()) {
      Sample v;
      if (!m->lookup(str("stable"), &v) || v.str != "yes") bad.fetch_add(1);
      if (m->lookup(str("churn"), &v) && v.str != "a" && v.str != "bb") bad.fetch_add(1);
    }
  });
  for (int i = 0; i < 2000; ++i) {
    r.set_or_add("churn", i % 2 ? "a" : "bb", &err);
    if (i % 3 == 0) r.erase("churn", 0);
  }
  stop.store(true);
  reader.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace hearth::expr
