// The RDP connection request reader behind req.rdp_cookie and
// req.rdp_cookie_cnt, on the shapes HAProxy 2.6 was seen to answer (see
// tests/integration/l6_fetch_test.cc for the side-by-side run).
#include "expr/rdp_cookie.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::expr {
namespace {

// TPKT + X.224 connection request headers around `text`.
std::string rdp(const std::string& text) {
  const size_t x224 = text.size() + 6, total = 4 + 1 + x224;
  std::string out = {3, 0, char(total >> 8), char(total & 0xff), char(x224), char(0xe0), 0, 0, 0,
                     0, 0};
  return out + text;
}

TEST(RdpCookie, NamedAndAnyCookie) {
  std::string_view v;
  const std::string req = rdp("Cookie: mstshash=rzhou\r\n\x01\x00\x08\x00\x03\x00\x00\x00");
  ASSERT_EQ(rdp_cookie(req, "", &v), HelloStatus::kOk);
  EXPECT_EQ(v, "rzhou");
  ASSERT_EQ(rdp_cookie(req, "MSTSHASH", &v), HelloStatus::kOk);  // names ignore case
  EXPECT_EQ(v, "rzhou");
  EXPECT_EQ(rdp_cookie(req, "msts", &v), HelloStatus::kInvalid);
  // (The value views its input: each input outlives its check.)
  const std::string ip = rdp("Cookie: msts=1.2.3.4\r\n");
  ASSERT_EQ(rdp_cookie(ip, "", &v), HelloStatus::kOk);
  EXPECT_EQ(v, "1.2.3.4");
  // "Cookie:" in any case, spaces before the name skipped, kept in the value.
  const std::string lc = rdp("cookie:MSTSHASH=lc\r\n");
  ASSERT_EQ(rdp_cookie(lc, "mstshash", &v), HelloStatus::kOk);
  EXPECT_EQ(v, "lc");
  const std::string sp = rdp("Cookie:  mstshash = sp \r\n");
  ASSERT_EQ(rdp_cookie(sp, "", &v), HelloStatus::kOk);
  EXPECT_EQ(v, " sp ");
  EXPECT_EQ(rdp_cookie(rdp("Cookie:  mstshash = sp \r\n"), "mstshash", &v), HelloStatus::kInvalid);
}

TEST(RdpCookie, IncompleteUntilTheLineEnds) {
  std::string_view v;
  const std::string req = rdp("Cookie: mstshash=abc\r\n");
  for (size_t n = 0; n + 1 < req.size(); ++n)
    EXPECT_EQ(rdp_cookie(std::string_view(req.data(), n), "", &v), HelloStatus::kIncomplete) << n;
  EXPECT_EQ(rdp_cookie(rdp("Cookie: mstshash=noend"), "", &v), HelloStatus::kIncomplete);
}

TEST(RdpCookie, OtherProtocolsHaveNone) {
  std::string_view v;
  EXPECT_EQ(rdp_cookie("GET / HTTP/1.1\r\n\r\n", "", &v), HelloStatus::kInvalid);
  EXPECT_EQ(rdp_cookie(std::string("\x16\x03\x01\x00\x10", 5) + std::string(16, 'x'), "", &v),
            HelloStatus::kInvalid);
  EXPECT_EQ(rdp_cookie(rdp("Hello: mstshash=x\r\n"), "", &v), HelloStatus::kInvalid);
  EXPECT_EQ(rdp_cookie(rdp("Cookie: novalue\r\nmore=1"), "", &v), HelloStatus::kInvalid);
}

}  // namespace
}  // namespace hearth::expr
