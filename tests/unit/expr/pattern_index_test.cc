// The indexes behind PatternSet (pattern_index.h): each answer is compared
// with what a scan in file order gives, including -i, empty patterns,
// overlaps and duplicates. Which pattern wins when several match was
// checked against haproxy 2.6 with map_beg/map_end/map_dom/map_ip/map_str on
// overlapping map files (beg and ip: the longest; str: the first duplicate;
// end and dom: the first in file order).
#include "expr/pattern_index.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "expr/pattern.h"

// Counts allocations made while `g_counting` is set on this thread, so a test
// can check that matching allocates nothing.
namespace {
thread_local bool g_counting = false;
thread_local int g_allocations = 0;
}  // namespace

void* operator new(size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  std::abort();
}
// The nothrow form too (std::stable_sort's buffer), so that every new this
// binary makes pairs with the free() below (AddressSanitizer checks pairs).
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  if (g_counting) ++g_allocations;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace hearth::expr {
namespace {

TEST(KeyTable, ExactAndFolded) {
  KeyTable t;
  t.add("Host", false, 0);
  t.add("host", true, 1);
  t.add("Host", false, 2);  // a duplicate keeps the first
  EXPECT_EQ(t.find("Host"), 0);
  EXPECT_EQ(t.find("HOST"), 1);
  EXPECT_EQ(t.find("hoSt"), 1);
  EXPECT_EQ(t.find("hos"), -1);
  EXPECT_FALSE(t.empty());
}

TEST(KeyTable, EarliestAcrossCaseModes) {
  KeyTable t;
  t.add("abc", true, 0);
  t.add("abc", false, 1);
  EXPECT_EQ(t.find("abc"), 0);
  EXPECT_EQ(t.find("ABC"), 0);
}

// A key added with `copy` is the table's own: the caller's bytes may change
// or go. Without, the table views them (a pattern reference's entries).
TEST(KeyTable, CopiedKeysOutliveTheCallersBytes) {
  KeyTable t;
  std::string key = "a long key that is not a small string";
  t.add(key, false, 0, /*copy=*/true);
  const std::string kept = "another long key, viewed by the table";
  t.add(kept, true, 1);
  key.assign(key.size(), 'x');
  EXPECT_EQ(t.find("a long key that is not a small string"), 0);
  EXPECT_EQ(t.find(key), -1);
  EXPECT_EQ(t.find("ANOTHER long key, viewed by the table"), 1);
}

// PatternSet::add copies what it is given unless told the text outlives it.
TEST(KeyTable, PatternSetCopiesByDefault) {
  PatternSet p(MatchMethod::kStr);
  std::string err;
  {
    std::string temp = "host1234567890.example.com";
    ASSERT_TRUE(p.add(temp, false, IntOp::kEq, &err));
    temp.assign(temp.size(), 'z');
  }
  Sample s;
  s.set_str("host1234567890.example.com");
  EXPECT_TRUE(p.match(s));
}

TEST(KeyTable, EmptyKey) {
  KeyTable t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.find(""), -1);
  t.add("", false, 3);
  EXPECT_EQ(t.find(""), 3);
  EXPECT_EQ(t.find("x"), -1);
}

TEST(AffixIndex, PrefixLongestWins) {
  AffixIndex p(false);
  p.add("/a", false, 0);
  p.add("/abc", false, 1);
  p.add("/ab", false, 2);
  p.add("/abc", false, 3);
  EXPECT_EQ(p.find("/abcd"), 1);
  EXPECT_EQ(p.find("/abx"), 2);
  EXPECT_EQ(p.find("/a"), 0);
  EXPECT_EQ(p.find("/"), -1);
  EXPECT_EQ(p.find("/ABC"), -1);
}

TEST(AffixIndex, PrefixIgnoreCaseAndEmpty) {
  AffixIndex p(false);
  p.add("/API", true, 0);
  EXPECT_EQ(p.find("/api/v1"), 0);
  EXPECT_EQ(p.find("/ap"), -1);
  p.add("", false, 1);  // an empty prefix matches everything
  EXPECT_EQ(p.find("/x"), 1);
  EXPECT_EQ(p.find(""), 1);
  EXPECT_EQ(p.find("/Api/v1"), 0);
}

TEST(AffixIndex, SuffixFirstInOrderWins) {
  AffixIndex s(true);
  s.add("c", false, 0);
  s.add("abc", false, 1);
  EXPECT_EQ(s.find("xabc"), 0);
  EXPECT_EQ(s.find("ab"), -1);
  AffixIndex t(true);
  t.add(".COM", true, 0);
  t.add(".org", false, 1);
  EXPECT_EQ(t.find("a.com"), 0);
  EXPECT_EQ(t.find("a.ORG"), -1);
  EXPECT_EQ(t.find("a.org"), 1);
}

TEST(DelimIndex, DomainFirstInOrderWins) {
  DelimIndex d(true);
  d.add("example.com", false, 0);
  d.add("www.example.com", false, 1);
  EXPECT_EQ(d.find("www.example.com"), 0);
  EXPECT_EQ(d.find("example.com:8080"), 0);
  EXPECT_EQ(d.find("wwwexample.com"), -1);
  EXPECT_EQ(d.find("example.comx"), -1);
  DelimIndex e(true);
  e.add("www.example.com", false, 0);
  e.add("example.com", false, 1);
  EXPECT_EQ(e.find("www.example.com"), 0);
  EXPECT_EQ(e.find("a.example.com"), 1);
}

TEST(DelimIndex, DomainStripsDelimitersAndFolds) {
  DelimIndex d(true);
  d.add(".Example.", true, 0);
  d.add("...", false, 1);  // nothing left: never matches
  d.add("", false, 2);
  EXPECT_EQ(d.find("www.EXAMPLE.org"), 0);
  EXPECT_EQ(d.find("http://example/x"), 0);
  EXPECT_EQ(d.find("examples.org"), -1);
  EXPECT_EQ(d.find("..."), -1);
  EXPECT_EQ(d.find(""), -1);
}

TEST(DelimIndex, MultiLabelPatternsAnywhere) {
  DelimIndex d(true);
  d.add("b.c.d", false, 0);
  EXPECT_EQ(d.find("a.b.c.d.e"), 0);
  EXPECT_EQ(d.find("a..b.c.d"), 0);
  EXPECT_EQ(d.find("a.b.c"), -1);
  EXPECT_EQ(d.find("b.c.dd"), -1);
}

TEST(DelimIndex, DirUsesSlashAndQuestionMarkOnly) {
  DelimIndex d(false);
  d.add("/img/", false, 0);
  EXPECT_EQ(d.find("/static/img/a.png"), 0);
  EXPECT_EQ(d.find("/img?x"), 0);
  EXPECT_EQ(d.find("/a.img.b"), -1);
  DelimIndex dom(true);
  dom.add("img", false, 0);
  EXPECT_EQ(dom.find("/a.img.b"), 0);
}

unsigned char* v4(const char* t, unsigned char* out) {
  EXPECT_EQ(inet_pton(AF_INET, t, out), 1) << t;
  return out;
}
unsigned char* v6(const char* t, unsigned char* out) {
  EXPECT_EQ(inet_pton(AF_INET6, t, out), 1) << t;
  return out;
}

// Adds network `addr`/`bits` (already masked) of either family.
void add_net(NetIndex* n, const char* addr, int bits, int index) {
  unsigned char a[16], m[16] = {};
  const bool is6 = std::string(addr).find(':') != std::string::npos;
  is6 ? v6(addr, a) : v4(addr, a);
  for (int i = 0; i < bits; ++i) m[i / 8] |= 0x80 >> (i % 8);
  n->add(is6, a, m, bits, index);
}

TEST(NetIndex, LongestPrefixWins) {
  NetIndex n;
  add_net(&n, "10.0.0.0", 8, 0);
  add_net(&n, "10.1.0.0", 16, 1);
  add_net(&n, "10.1.2.3", 32, 2);
  add_net(&n, "10.1.0.0", 16, 3);  // duplicate: the first stays
  add_net(&n, "0.0.0.0", 0, 4);
  unsigned char a[16];
  EXPECT_EQ(n.find(v4("10.1.2.3", a), nullptr), 2);
  EXPECT_EQ(n.find(v4("10.1.9.9", a), nullptr), 1);
  EXPECT_EQ(n.find(v4("10.2.0.1", a), nullptr), 0);
  EXPECT_EQ(n.find(v4("192.0.2.1", a), nullptr), 4);
}

TEST(NetIndex, V4MappedAndMixedFamilies) {
  NetIndex n;
  add_net(&n, "192.0.2.0", 24, 0);
  add_net(&n, "::ffff:192.0.2.0", 120, 1);
  add_net(&n, "2001:db8::", 32, 2);
  unsigned char a[16], m[16];
  // A v4 address also tries v6 networks through its mapped form; 120 > 24.
  EXPECT_EQ(n.find(v4("192.0.2.7", a), v6("::ffff:192.0.2.7", m)), 1);
  EXPECT_EQ(n.find(v4("192.0.3.7", a), v6("::ffff:192.0.3.7", m)), -1);
  EXPECT_EQ(n.find(nullptr, v6("2001:db8:1::1", m)), 2);
  EXPECT_EQ(n.find(nullptr, v6("2001:db9::1", m)), -1);
  NetIndex only4;
  add_net(&only4, "192.0.2.0", 24, 0);
  EXPECT_EQ(only4.find(v4("192.0.2.9", a), v6("::ffff:192.0.2.9", m)), 0);
}

TEST(NetIndex, V6PrefixesAcrossTheMiddle) {
  NetIndex n;
  add_net(&n, "2001:db8:0:0:8000::", 65, 0);
  add_net(&n, "2001:db8::", 63, 1);
  unsigned char m[16];
  EXPECT_EQ(n.find(nullptr, v6("2001:db8::8000:0:0:1", m)), 0);
  EXPECT_EQ(n.find(nullptr, v6("2001:db8::1", m)), 1);
  EXPECT_EQ(n.find(nullptr, v6("2001:db8:0:2::1", m)), -1);
}

TEST(NetIndex, NonContiguousMaskStaysExact) {
  NetIndex n;
  unsigned char a[16], m[16];
  v4("10.0.5.0", a);
  v4("255.0.255.0", m);
  n.add(false, a, m, 16, 0);
  add_net(&n, "10.0.0.0", 8, 1);
  EXPECT_EQ(n.find(v4("10.9.5.1", a), nullptr), 0);  // 16 bits beat 8
  EXPECT_EQ(n.find(v4("10.9.6.1", a), nullptr), 1);
  EXPECT_EQ(n.find(v4("11.9.5.1", a), nullptr), -1);
}

// Lookups in every indexed method, -i included, allocate nothing.
TEST(PatternSetIndexes, MatchingDoesNotAllocate) {
  struct Case {
    MatchMethod m;
    const char* pattern;
    const char* sample;
  } cases[] = {
      {MatchMethod::kStr, "Www.Example.com", "www.example.COM"},
      {MatchMethod::kBeg, "/API", "/api/v1"},
      {MatchMethod::kEnd, ".COM", "a.com"},
      {MatchMethod::kDom, "Example.com", "www.example.com:80"},
      {MatchMethod::kDir, "IMG", "/static/img/a"},
      {MatchMethod::kIp, "192.0.2.0/24", "192.0.2.9"},
      {MatchMethod::kIp, "::ffff:192.0.2.0/120", "192.0.2.9"},
  };
  for (const Case& c : cases) {
    PatternSet p(c.m);
    std::string err;
    ASSERT_TRUE(p.add(c.pattern, true, IntOp::kEq, &err)) << err;
    ASSERT_TRUE(p.add("other", true, IntOp::kEq, &err) || c.m == MatchMethod::kIp);
    Sample s;
    s.set_str(c.sample);
    g_allocations = 0;
    g_counting = true;
    const bool hit = p.match(s);
    g_counting = false;
    EXPECT_TRUE(hit) << c.pattern;
    EXPECT_EQ(g_allocations, 0) << c.pattern;
  }
}

}  // namespace
}  // namespace hearth::expr
