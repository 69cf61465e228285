// The normalize-uri normalizers on whole request-targets: the examples of
// HAProxy 2.6's manual and of its normalize_uri reg-test, and the corners
// (no path, absolute form, the query left alone, strict failures, bounds).
#include "expr/uri_normalize.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth::expr {
namespace {

using N = UriNormalizer;

// Returns: the new target, "<nopath>", "<invalid>" or "<toolong>".
std::string norm(N n, std::string_view t, size_t cap = 1024, size_t max_params = 64) {
  std::string out(cap, '\0');
  std::vector<std::string_view> params(max_params);
  size_t len = 0;
  switch (normalize_uri(n, t, out.data(), cap, &len, params.data(), max_params)) {
    case NormalizeResult::kDone:
      return out.substr(0, len);
    case NormalizeResult::kNoPath:
      return "<nopath>";
    case NormalizeResult::kInvalid:
      return "<invalid>";
    case NormalizeResult::kTooLong:
      return "<toolong>";
  }
  return "?";
}

TEST(UriNormalizeTest, MergeSlashes) {
  EXPECT_EQ(norm(N::kPathMergeSlashes, "/foo/bar"), "/foo/bar");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "/foo//bar"), "/foo/bar");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "///foo///bar///"), "/foo/bar/");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "///"), "/");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "//"), "/");
  // The query is not the path.
  EXPECT_EQ(norm(N::kPathMergeSlashes, "/foo?bar=///"), "/foo?bar=///");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "//foo?bar=///"), "/foo?bar=///");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "*"), "<nopath>");
}

TEST(UriNormalizeTest, StripDot) {
  EXPECT_EQ(norm(N::kPathStripDot, "/"), "/");
  EXPECT_EQ(norm(N::kPathStripDot, "/a/b"), "/a/b");
  EXPECT_EQ(norm(N::kPathStripDot, "/."), "/");
  EXPECT_EQ(norm(N::kPathStripDot, "/./"), "/");
  EXPECT_EQ(norm(N::kPathStripDot, "/a/."), "/a/");
  EXPECT_EQ(norm(N::kPathStripDot, "/a."), "/a.");
  EXPECT_EQ(norm(N::kPathStripDot, "/.a"), "/.a");
  EXPECT_EQ(norm(N::kPathStripDot, "/a/./"), "/a/");
  EXPECT_EQ(norm(N::kPathStripDot, "/a/./a"), "/a/a");
  EXPECT_EQ(norm(N::kPathStripDot, "/./bar/"), "/bar/");
  EXPECT_EQ(norm(N::kPathStripDot, "/.well-known/"), "/.well-known/");
  EXPECT_EQ(norm(N::kPathStripDot, "/a/../"), "/a/../");
  EXPECT_EQ(norm(N::kPathStripDot, "/a//"), "/a//");
  EXPECT_EQ(norm(N::kPathStripDot, "/?a=/./"), "/?a=/./");
  EXPECT_EQ(norm(N::kPathStripDot, "/%2E/"), "/%2E/");
}

TEST(UriNormalizeTest, StripDotdot) {
  const auto both = [](std::string_view in, std::string_view plain, std::string_view full) {
    EXPECT_EQ(norm(N::kPathStripDotdot, in), plain) << in;
    EXPECT_EQ(norm(N::kPathStripDotdotFull, in), full) << in;
  };
  both("/foo/bar", "/foo/bar", "/foo/bar");
  both("/foo/..", "/", "/");
  both("/foo/../", "/", "/");
  both("/foo/bar/../", "/foo/", "/foo/");
  both("/foo/../bar", "/bar", "/bar");
  both("/foo/../bar/", "/bar/", "/bar/");
  both("/foo/../../bar/", "/../bar/", "/bar/");
  both("/foo//../../bar/", "/bar/", "/bar/");
  both("/foo/?bar=/foo/../", "/foo/?bar=/foo/../", "/foo/?bar=/foo/../");
  both("/foo/../?bar=/foo/../", "/?bar=/foo/../", "/?bar=/foo/../");
  both("/../bar/", "/../bar/", "/bar/");
  both("/bar/../../", "/../", "/");
  both("/foo//../", "/foo/", "/foo/");
  both("/foo/%2E%2E/", "/foo/%2E%2E/", "/foo/%2E%2E/");
  both("/..", "/../", "/");
  both("/a..", "/a..", "/a..");
  EXPECT_EQ(norm(N::kPathStripDotdot, "*"), "<nopath>");
}

TEST(UriNormalizeTest, PercentToUppercase) {
  EXPECT_EQ(norm(N::kPercentToUppercase, "/a?a=a"), "/a?a=a");
  EXPECT_EQ(norm(N::kPercentToUppercase, "/%aa?a=%aa"), "/%AA?a=%AA");
  EXPECT_EQ(norm(N::kPercentToUppercase, "/%6f"), "/%6F");
  EXPECT_EQ(norm(N::kPercentToUppercase, "/%zz?a=%zz"), "/%zz?a=%zz");
  EXPECT_EQ(norm(N::kPercentToUppercase, "/%a"), "/%a");
  EXPECT_EQ(norm(N::kPercentToUppercaseStrict, "/%aa?a=%aa"), "/%AA?a=%AA");
  EXPECT_EQ(norm(N::kPercentToUppercaseStrict, "/%zz?a=%zz"), "<invalid>");
  EXPECT_EQ(norm(N::kPercentToUppercaseStrict, "/%a"), "<invalid>");
  EXPECT_EQ(norm(N::kPercentToUppercaseStrict, "/a?%"), "<invalid>");
}

TEST(UriNormalizeTest, PercentDecodeUnreserved) {
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%61?%61=%61"), "/a?a=a");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%61dmin"), "/admin");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%3F?foo=bar"), "/%3F?foo=bar");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/foo%3Fbar=baz"), "/foo%3Fbar=baz");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%%36%36"), "/%66");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%ZZ"), "/%ZZ");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%2d%2E%5f%7E%30"), "/-._~0");
  // A reserved escape keeps its case.
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "/%2f%3a"), "/%2f%3a");
  EXPECT_EQ(norm(N::kPercentDecodeUnreservedStrict, "/%61?%61=%61"), "/a?a=a");
  EXPECT_EQ(norm(N::kPercentDecodeUnreservedStrict, "/%%36%36"), "<invalid>");
  EXPECT_EQ(norm(N::kPercentDecodeUnreservedStrict, "/%ZZ"), "<invalid>");
  EXPECT_EQ(norm(N::kPercentDecodeUnreservedStrict, "/%6"), "<invalid>");
  EXPECT_EQ(norm(N::kPercentDecodeUnreserved, "*"), "<nopath>");
}

TEST(UriNormalizeTest, Fragments) {
  EXPECT_EQ(norm(N::kFragmentStrip, "/#foo"), "/");
  EXPECT_EQ(norm(N::kFragmentStrip, "/a?b=c#d?e"), "/a?b=c");
  EXPECT_EQ(norm(N::kFragmentStrip, "/%23foo"), "/%23foo");
  EXPECT_EQ(norm(N::kFragmentEncode, "/#foo"), "/%23foo");
  EXPECT_EQ(norm(N::kFragmentEncode, "/#foo/#foo"), "/%23foo/%23foo");
  EXPECT_EQ(norm(N::kFragmentEncode, "/a?#"), "/a?%23");
  EXPECT_EQ(norm(N::kFragmentEncode, "/%23foo"), "/%23foo");
  EXPECT_EQ(norm(N::kFragmentEncode, "*"), "<nopath>");
}

TEST(UriNormalizeTest, QuerySortByName) {
  const auto q = [](std::string_view in) { return norm(N::kQuerySortByName, in); };
  EXPECT_EQ(q("/?a=a"), "/?a=a");
  EXPECT_EQ(q("/?z=z&a=a"), "/?a=a&z=z");
  EXPECT_EQ(q("/?a=z&z=a"), "/?a=z&z=a");
  EXPECT_EQ(q("/?z=a&a=z"), "/?a=z&z=a");
  EXPECT_EQ(q("/?c&b&a&z&x&y"), "/?a&b&c&x&y&z");
  EXPECT_EQ(q("/?aaaa=&a=&aa=&aaa="), "/?a=&aa=&aaa=&aaaa=");
  // Equal names keep their order.
  EXPECT_EQ(q("/?a=5&a=3&a=1&a=2&a=4"), "/?a=5&a=3&a=1&a=2&a=4");
  EXPECT_EQ(q("/?a=5&b=3&a=1&a=2&b=4"), "/?a=5&a=1&a=2&b=3&b=4");
  EXPECT_EQ(q("/"), "/");
  EXPECT_EQ(q("/?"), "/?");
  // Empty parameters: a trailing one is dropped, others sort first.
  EXPECT_EQ(q("/?b&a&"), "/?a&b");
  EXPECT_EQ(q("/?b&&a"), "/?&a&b");
  EXPECT_EQ(q("*"), "<nopath>");
  EXPECT_EQ(norm(N::kQuerySortByName, "/?a&b&c", 1024, 2), "<toolong>");
}

TEST(UriNormalizeTest, AbsoluteFormRewritesOnlyThePath) {
  EXPECT_EQ(norm(N::kPathMergeSlashes, "http://h//a//b?x=//"), "http://h/a/b?x=//");
  EXPECT_EQ(norm(N::kPathStripDotdot, "http://h:80/a/../b"), "http://h:80/b");
  EXPECT_EQ(norm(N::kQuerySortByName, "https://h/p?b&a"), "https://h/p?a&b");
  EXPECT_EQ(norm(N::kPercentToUppercase, "http://h%aa/%aa"), "http://h%aa/%AA");
  // No path: an authority-form target, or an absolute one without a slash.
  EXPECT_EQ(norm(N::kPathMergeSlashes, "h:443"), "<nopath>");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "http://h"), "<nopath>");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "http://h?a"), "<nopath>");
}

TEST(UriNormalizeTest, OutputBounds) {
  EXPECT_EQ(uri_max_len(N::kFragmentEncode, 5), 15u);
  EXPECT_EQ(uri_max_len(N::kPathStripDotdot, 5), 6u);
  EXPECT_EQ(uri_max_len(N::kPathStripDot, 5), 5u);
  EXPECT_EQ(norm(N::kPathStripDotdot, "/..", 4), "/../");
  EXPECT_EQ(norm(N::kPathStripDotdot, "/..", 3), "<toolong>");
  EXPECT_EQ(norm(N::kFragmentEncode, "/##", 9), "/%23%23");
  EXPECT_EQ(norm(N::kFragmentEncode, "/##", 8), "<toolong>");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "/abc", 4), "/abc");
  EXPECT_EQ(norm(N::kPathMergeSlashes, "/abc", 3), "<toolong>");
}

}  // namespace
}  // namespace hearth::expr
