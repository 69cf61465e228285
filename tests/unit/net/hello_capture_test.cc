// The ClientHello capture: the lists read from the raw message into one
// shared buffer, each cut to what the lists before it left (bytes, as
// HAProxy 2.6 cuts them); malformed messages leave nothing.
#include "net/hello_capture.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <new>
#include <string>
#include <vector>

namespace hearth::net {
namespace {

using namespace std::string_literals;

struct Captured {
  std::vector<unsigned char> block;
  HelloCapture* c = nullptr;
  explicit Captured(size_t cap) : block(sizeof(HelloCapture) + cap) {
    c = new (block.data()) HelloCapture;
  }
};

std::string be(size_t v, size_t bytes) {
  std::string s;
  for (size_t i = bytes; i-- > 0;) s.push_back(char((v >> (8 * i)) & 0xff));
  return s;
}
std::string ext(uint16_t type, const std::string& data) {
  return be(type, 2) + be(data.size(), 2) + data;
}

const std::string kCiphers = "\x13\x01\x13\x02\xc0\x2f\x0a\x0a"s;  // the last one GREASE
const std::string kGroups = "\x00\x1d\x00\x17"s;                   // x25519, P-256
const std::string kFormats = "\x00"s;                              // uncompressed

// A ClientHello with SNI, supported_groups, ec_point_formats and padding.
std::string hello(const std::string& ciphers = kCiphers, std::string exts = "") {
  if (exts.empty())
    exts = ext(0x0000, "\x00\x06\x00\x00\x03"s + "a.b") + ext(0x000a, be(4, 2) + kGroups) +
           ext(0x000b, be(1, 1) + kFormats) + ext(0x0015, std::string(3, '\0'));
  const std::string body = "\x03\x03"s + std::string(32, 'r') + "\x02zz"s + be(ciphers.size(), 2) +
                           ciphers + "\x01\x00"s + be(exts.size(), 2) + exts;
  return "\x01"s + be(body.size(), 3) + body;
}

TEST(HelloCapture, EveryListWhenItFits) {
  Captured k(256);
  ASSERT_TRUE(fill_hello_capture(hello(), 256, k.c));
  EXPECT_EQ(k.c->version, 0x0303);
  EXPECT_EQ(k.c->ciphers(), kCiphers);
  EXPECT_EQ(k.c->extensions(), "\x00\x00\x00\x0a\x00\x0b\x00\x15"s);  // padding too
  EXPECT_EQ(k.c->groups(), kGroups);
  EXPECT_EQ(k.c->formats(), kFormats);
  EXPECT_EQ(k.c->ciphers_xxh64, XXH64(kCiphers.data(), kCiphers.size(), 0));
}

TEST(HelloCapture, ListsShareTheBufferInOrder) {
  Captured k(11);
  ASSERT_TRUE(fill_hello_capture(hello(), 11, k.c));
  EXPECT_EQ(k.c->ciphers(), kCiphers);            // 8 bytes
  EXPECT_EQ(k.c->extensions(), "\x00\x00\x00"s);  // the 3 left, cut mid-entry
  EXPECT_EQ(k.c->groups(), "");
  EXPECT_EQ(k.c->formats(), "");
  // The hash covers the whole list even when the list is cut.
  Captured one(1);
  ASSERT_TRUE(fill_hello_capture(hello(), 1, one.c));
  EXPECT_EQ(one.c->ciphers(), "\x13"s);
  EXPECT_EQ(one.c->ciphers_xxh64, XXH64(kCiphers.data(), kCiphers.size(), 0));
}

TEST(HelloCapture, NoExtensionsAtAll) {
  // No extensions block: a ClientHello may end after its compression methods.
  const std::string body =
      "\x03\x03"s + std::string(32, 'r') + "\x00"s + be(2, 2) + "\x13\x01"s + "\x01\x00"s;
  const std::string m = "\x01"s + be(body.size(), 3) + body;
  Captured k(64);
  ASSERT_TRUE(fill_hello_capture(m, 64, k.c));
  EXPECT_EQ(k.c->ciphers(), "\x13\x01"s);
  EXPECT_EQ(k.c->extensions(), "");
}

TEST(HelloCapture, MalformedMessagesLeaveNothing) {
  Captured k(256);
  const std::string good = hello();
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(fill_hello_capture(good.substr(0, cut), 256, k.c)) << cut;
    EXPECT_EQ(k.c->ciphers_len + k.c->ext_len + k.c->groups_len + k.c->formats_len, 0u);
  }
  std::string not_hello = good;
  not_hello[0] = 2;  // a ServerHello
  EXPECT_FALSE(fill_hello_capture(not_hello, 256, k.c));
  // A groups extension whose list overruns it.
  EXPECT_FALSE(fill_hello_capture(hello(kCiphers, ext(0x000a, be(9, 2) + kGroups)), 256, k.c));
}

TEST(HelloCapture, Grease) {
  EXPECT_TRUE(is_grease(0x0a0a));
  EXPECT_TRUE(is_grease(0xfafa));
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
}

}  // namespace
}  // namespace hearth::net
