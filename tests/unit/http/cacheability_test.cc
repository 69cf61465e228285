// Cacheability as HAProxy 2.6 judges it for "cookie ... nocache": each case
// was checked against haproxy (a "Cache-control: private" appears exactly
// when the response is cacheable).
#include "http/cacheability.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

namespace hearth::http {
namespace {

bool cacheable(int status, std::initializer_list<std::pair<const char*, const char*>> fields,
               bool get = true) {
  HeaderField storage[16];
  HeaderList list(storage, 16);
  for (auto& f : fields) list.add(f.first, f.second);
  return response_cacheable(status, list, get);
}

TEST(Cacheability, NeedsFreshnessOrValidator) {
  EXPECT_FALSE(cacheable(200, {}));
  EXPECT_TRUE(cacheable(200, {{"Expires", "0"}}));
  EXPECT_TRUE(cacheable(200, {{"ETag", "x"}}));
  EXPECT_TRUE(cacheable(200, {{"Last-Modified", "x"}}));
  EXPECT_TRUE(cacheable(200, {{"Cache-Control", "max-age=10"}}));
  EXPECT_FALSE(cacheable(200, {{"Cache-Control", "public"}}));
}

TEST(Cacheability, StatusAndMethod) {
  EXPECT_TRUE(cacheable(404, {{"Expires", "0"}}));
  EXPECT_FALSE(cacheable(302, {{"Expires", "0"}}));
  EXPECT_FALSE(cacheable(500, {{"Expires", "0"}}));
  EXPECT_FALSE(cacheable(200, {{"Expires", "0"}}, /*get=*/false));
  EXPECT_FALSE(cacheable(101, {{"Expires", "0"}}));
  // "public" makes even a POST's answer cacheable.
  EXPECT_TRUE(cacheable(200, {{"Cache-Control", "public"}, {"Expires", "0"}}, false));
}

TEST(Cacheability, Directives) {
  EXPECT_FALSE(cacheable(200, {{"Cache-Control", "max-age=0"}}));
  EXPECT_FALSE(cacheable(200, {{"Cache-Control", "no-cache"}, {"Expires", "0"}}));
  EXPECT_FALSE(cacheable(200, {{"Cache-Control", "private"}, {"Expires", "0"}}));
  EXPECT_FALSE(cacheable(200, {{"Cache-Control", "max-age=5, private"}, {"Expires", "0"}}));
  EXPECT_FALSE(cacheable(200, {{"Pragma", "no-cache"}, {"Expires", "0"}}));
  EXPECT_TRUE(cacheable(200, {{"Cache-Control", "no-cache=\"set-cookie\""}, {"Expires", "0"}}));
  // s-maxage overrides an earlier max-age=0, not a later one.
  EXPECT_TRUE(cacheable(200, {{"Cache-Control", "max-age=0"}, {"Cache-Control", "s-maxage=1"}}));
  EXPECT_FALSE(cacheable(200, {{"Cache-Control", "s-maxage=1"}, {"Cache-Control", "max-age=0"}}));
}

}  // namespace
}  // namespace hearth::http
