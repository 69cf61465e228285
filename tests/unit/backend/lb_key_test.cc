// What the hashing algorithms hash: the cuts of balance uri, url_param and
// hdr use_domain_only, balance source's key, and hash-type's functions.
#include "backend/lb_key.h"

#include <gtest/gtest.h>

namespace hearth::backend::lb_key {
namespace {

std::string uri(std::string_view target, UriOptions o = {}) {
  return std::string(uri_key(target, o));
}

TEST(LbKeyTest, UriStopsAtTheQueryUnlessWhole) {
  EXPECT_EQ(uri("/a/b?x=1"), "/a/b");
  EXPECT_EQ(uri("/a/b?x=1", {.whole = true}), "/a/b?x=1");
  EXPECT_EQ(uri("http://h/a?q"), "http://h/a");
  EXPECT_EQ(uri(""), "");
}

TEST(LbKeyTest, UriDepthCountsSlashes) {
  EXPECT_EQ(uri("/a/b/c/d", {.depth = 1}), "/a");
  EXPECT_EQ(uri("/a/b/c/d", {.depth = 2}), "/a/b");
  EXPECT_EQ(uri("/a/b", {.depth = 5}), "/a/b");
  EXPECT_EQ(uri("/a?x/y/z", {.depth = 1, .whole = true}), "/a?x");
}

TEST(LbKeyTest, UriLenCutsFirst) {
  EXPECT_EQ(uri("/abcdef", {.len = 3}), "/ab");
  EXPECT_EQ(uri("/a?bcdef", {.len = 5, .whole = true}), "/a?bc");
  EXPECT_EQ(uri("/ab/cd/ef", {.len = 5, .depth = 2}), "/ab/c");
  EXPECT_EQ(uri("/ab/cd/ef", {.len = 8, .depth = 2}), "/ab/cd");
}

TEST(LbKeyTest, UriPathOnlyDropsSchemeAndAuthority) {
  EXPECT_EQ(uri("http://127.0.0.1/url1", {.path_only = true}), "/url1");
  EXPECT_EQ(uri("/url1?ignore=this", {.path_only = true}), "/url1");
  EXPECT_EQ(uri("https://h:8443/a/b?c", {.whole = true, .path_only = true}), "/a/b?c");
  EXPECT_EQ(uri("http://h", {.path_only = true}), "");
  EXPECT_EQ(uri("*", {.path_only = true}), "");
  EXPECT_EQ(uri("h:443", {.path_only = true}), "");
  EXPECT_EQ(uri("http://h/abcdef", {.len = 3, .path_only = true}), "/ab");
}

TEST(LbKeyTest, UrlParamValue) {
  EXPECT_EQ(url_param_value("/p?uid=42&x=1", "uid"), "42");
  EXPECT_EQ(url_param_value("/p?x=1&uid=42", "uid"), "42");
  EXPECT_EQ(url_param_value("/p?x=1&uid=", "uid"), "") << "an empty value is a value";
  EXPECT_EQ(url_param_value("/p?xuid=1&uid=7", "uid"), "7");
  EXPECT_EQ(url_param_value("/p?uid", "uid"), std::nullopt);
  EXPECT_EQ(url_param_value("/p?uidx=1", "uid"), std::nullopt);
  EXPECT_EQ(url_param_value("/p/uid=1", "uid"), std::nullopt) << "no query string";
  EXPECT_EQ(url_param_value("/p?UID=1", "uid"), std::nullopt) << "names match exactly";
  EXPECT_EQ(url_param_value("/p?a=1?uid=3", "uid"), std::nullopt);
  EXPECT_EQ(url_param_value("/p?a=b&&uid=3;x", "uid"), "3;x");
}

TEST(LbKeyTest, PostParamValue) {
  EXPECT_EQ(post_param_value("uid=42&x=1", "uid"), "42");
  EXPECT_EQ(post_param_value("x=1&uid=42", "uid"), "42");
  EXPECT_EQ(post_param_value("a=1?uid=3", "uid"), std::nullopt) << "no '?' in a body";
  EXPECT_EQ(post_param_value("uid=", "uid"), "");
  EXPECT_EQ(post_param_value("uid=7\r\n", "uid"), "7\r\n") << "only the first byte is tested";
  EXPECT_EQ(post_param_value("uid= 7&x=1", "uid"), "") << "white space ends it at once";
  EXPECT_EQ(post_param_value("uid=\x01\x02&x=1", "uid"), std::nullopt) << "not a form";
  EXPECT_EQ(post_param_value("uid=\"a\"", "uid"), std::nullopt);
  EXPECT_EQ(post_param_value("", "uid"), std::nullopt);
}

TEST(LbKeyTest, DomainOnly) {
  EXPECT_EQ(domain_only("haproxy.1wt.eu"), "1wt");
  EXPECT_EQ(domain_only("www.example.com"), "example");
  EXPECT_EQ(domain_only("example.com"), "example");
  EXPECT_EQ(domain_only("localhost"), "localhost");
  EXPECT_EQ(domain_only(".com"), ".com");
  EXPECT_EQ(domain_only("a.com"), "a");
  // Walking back from the last dot, the byte just before it is never
  // tested for a dot (HAProxy's loop).
  EXPECT_EQ(domain_only("a..b"), "a.");
  EXPECT_EQ(domain_only(""), "");
}

TEST(LbKeyTest, SourceKeyXorsNetworkOrderWords) {
  const unsigned char v4[] = {10, 1, 2, 3};
  EXPECT_EQ(source_key(v4, 4), 0x0a010203u);
  unsigned char v6[16] = {};
  v6[3] = 1;
  v6[15] = 3;
  v6[0] = 0x20;
  EXPECT_EQ(source_key(v6, 16), 0x20000001u ^ 0x00000003u);
}

TEST(LbKeyTest, HashFunctions) {
  using config::HashFunc;
  EXPECT_EQ(hash_key(HashFunc::kSdbm, false, "a"), 97u);
  EXPECT_EQ(hash_key(HashFunc::kSdbm, false, ""), 0u);
  EXPECT_EQ(hash_key(HashFunc::kDjb2, false, "a"), 5381u * 33 + 97);
  EXPECT_EQ(hash_key(HashFunc::kCrc32, false, "123456789"), 0xcbf43926u);
  EXPECT_NE(hash_key(HashFunc::kWt6, false, "a"), hash_key(HashFunc::kWt6, false, "b"));
  EXPECT_NE(hash_key(HashFunc::kSdbm, true, "a"), 97u);
  EXPECT_EQ(hash_key(HashFunc::kSdbm, true, "a"), hash_key(HashFunc::kSdbm, true, "a"));
}

}  // namespace
}  // namespace hearth::backend::lb_key
