// http-request normalize-uri (and the global expose-experimental-directives
// it needs) and option http-restrict-req-hdr-names: what the model holds,
// and the errors, with file, line and keyword.
#include <gtest/gtest.h>

#include "config_test_util.h"
#include "expr/uri_normalize.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse_and_validate;

const char* const kExp = "global\n  expose-experimental-directives\n";

ParseResult frontend(const std::string& lines, bool experimental = true) {
  return parse_and_validate(std::string(experimental ? kExp : "") +
                            "frontend f\n  mode http\n  bind :1\n" + lines);
}

TEST(NormalizeUriKeyword, EachNormalizerAndItsOption) {
  const std::pair<const char*, expr::UriNormalizer> cases[] = {
      {"fragment-encode", expr::UriNormalizer::kFragmentEncode},
      {"fragment-strip", expr::UriNormalizer::kFragmentStrip},
      {"path-merge-slashes", expr::UriNormalizer::kPathMergeSlashes},
      {"path-strip-dot", expr::UriNormalizer::kPathStripDot},
      {"path-strip-dotdot", expr::UriNormalizer::kPathStripDotdot},
      {"path-strip-dotdot full", expr::UriNormalizer::kPathStripDotdotFull},
      {"percent-decode-unreserved", expr::UriNormalizer::kPercentDecodeUnreserved},
      {"percent-decode-unreserved strict", expr::UriNormalizer::kPercentDecodeUnreservedStrict},
      {"percent-to-uppercase", expr::UriNormalizer::kPercentToUppercase},
      {"percent-to-uppercase strict", expr::UriNormalizer::kPercentToUppercaseStrict},
      {"query-sort-by-name", expr::UriNormalizer::kQuerySortByName},
  };
  for (const auto& [words, n] : cases) {
    SCOPED_TRACE(words);
    auto r = frontend(std::string("  http-request normalize-uri ") + words + " if TRUE\n");
    ASSERT_TRUE(r.ok()) << dump(r.errors);
    const HttpRule& rule = r.config.proxies.at(0).http_request_rules.at(0);
    EXPECT_EQ(rule.action, HttpRule::Action::kNormalizeUri);
    EXPECT_EQ(rule.normalizer, uint8_t(n));
    EXPECT_TRUE(rule.cond);
  }
}

TEST(NormalizeUriKeyword, RefusedWithoutExperimentalDirectives) {
  EXPECT_TRUE(has(frontend("  http-request normalize-uri fragment-strip\n", false).errors,
                  "t.cfg:4: 'http-request normalize-uri'", "expose-experimental-directives"));
  // The global section must come before the proxy.
  auto r = parse_and_validate(
      "frontend f\n  mode http\n  bind :1\n"
      "  http-request normalize-uri fragment-strip\n" +
      std::string(kExp));
  EXPECT_TRUE(has(r.errors, "t.cfg:4: 'http-request normalize-uri'")) << dump(r.errors);
}

TEST(NormalizeUriKeyword, Errors) {
  EXPECT_EQ(only_error(frontend("  http-request normalize-uri frob\n")),
            "t.cfg:6: 'http-request normalize-uri': unknown normalizer 'frob'");
  EXPECT_EQ(only_error(frontend("  http-request normalize-uri path-strip-dotdot strict\n")),
            "t.cfg:6: 'http-request normalize-uri': unknown argument 'strict' for the "
            "'path-strip-dotdot' normalizer");
  EXPECT_EQ(only_error(frontend("  http-request normalize-uri fragment-strip full\n")),
            "t.cfg:6: 'http-request normalize-uri': unknown argument 'full' for the "
            "'fragment-strip' normalizer");
  EXPECT_TRUE(has(frontend("  http-request normalize-uri\n").errors,
                  "t.cfg:6: 'http-request normalize-uri'", "expects a normalizer"));
  EXPECT_TRUE(has(frontend("  http-request normalize-uri path-strip-dot if\n").errors,
                  "t.cfg:6: 'http-request normalize-uri'"));
  EXPECT_TRUE(has(frontend("  http-response normalize-uri fragment-strip\n").errors,
                  "t.cfg:6: 'http-response normalize-uri'", "unknown action"));
}

TEST(ExposeExperimentalDirectives, TakesNoArgument) {
  auto r = parse_and_validate("global\n  expose-experimental-directives\n");
  EXPECT_TRUE(r.config.global.expose_experimental);
  EXPECT_FALSE(parse_and_validate("global\n").config.global.expose_experimental);
  EXPECT_TRUE(has(parse_and_validate("global\n  expose-experimental-directives on\n").errors,
                  "t.cfg:2: 'expose-experimental-directives'"));
}

TEST(RestrictReqHdrNames, Policies) {
  const std::pair<const char*, HdrNamePolicy> cases[] = {{"preserve", HdrNamePolicy::kPreserve},
                                                         {"delete", HdrNamePolicy::kDelete},
                                                         {"reject", HdrNamePolicy::kReject}};
  for (const auto& [word, policy] : cases) {
    auto r =
        parse_and_validate(std::string("defaults d\n  mode http\n") +
                           "  option http-restrict-req-hdr-names " + word + "\nbackend b from d\n");
    ASSERT_TRUE(r.ok()) << dump(r.errors);
    EXPECT_EQ(r.config.proxies.at(0).restrict_req_hdr_names, policy) << word;
  }
  EXPECT_EQ(
      parse_and_validate("backend b\n  mode http\n").config.proxies.at(0).restrict_req_hdr_names,
      HdrNamePolicy::kPreserve);
  EXPECT_EQ(only_error(frontend("  option http-restrict-req-hdr-names bogus\n")),
            "t.cfg:6: 'option http-restrict-req-hdr-names': expects exactly one of 'preserve', "
            "'delete' or 'reject'");
  EXPECT_TRUE(has(frontend("  option http-restrict-req-hdr-names\n").errors,
                  "t.cfg:6: 'option http-restrict-req-hdr-names'"));
  EXPECT_TRUE(has(frontend("  no option http-restrict-req-hdr-names\n").errors,
                  "t.cfg:6: 'option http-restrict-req-hdr-names'"));
}

}  // namespace
}  // namespace hearth::config
