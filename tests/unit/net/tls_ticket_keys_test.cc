// The ticket key ring: the file's last three keys, the penultimate one
// encrypting; a rotation replaces the oldest and moves encryption to the
// former newest.
#include "net/tls_ticket_keys.h"

#include <gtest/gtest.h>

namespace hearth::net {
namespace {

// Returns: a 48-byte key whose parts all repeat `c`.
TlsTicketKey key(char c) { return {std::string(16, c), std::string(16, c), std::string(16, c)}; }

// Returns: the names of the keys in use, oldest first, and the one encrypting.
std::string in_use(const TlsTicketKeys& k) {
  const auto r = k.snapshot();
  std::string out;
  for (size_t j = 0; j < TlsTicketKeys::kInUse; ++j)
    out += r->keys[(r->enc + TlsTicketKeys::kInUse - 1 + j) % TlsTicketKeys::kInUse].name[0];
  return out + "/" + r->keys[r->enc].name[0];
}

TEST(TlsTicketKeys, LastThreeInUsePenultimateEncrypts) {
  EXPECT_EQ(in_use(TlsTicketKeys({key('a'), key('b'), key('c')}, "f")), "abc/b");
  EXPECT_EQ(in_use(TlsTicketKeys({key('a'), key('b'), key('c'), key('d')}, "f")), "bcd/c");
  EXPECT_EQ(in_use(TlsTicketKeys({key('a'), key('b'), key('c'), key('d'), key('e')}, "f")),
            "cde/d");
}

TEST(TlsTicketKeys, RotationDropsTheOldest) {
  TlsTicketKeys k({key('a'), key('b'), key('c')}, "f");
  ASSERT_TRUE(k.rotate(key('x')));
  EXPECT_EQ(in_use(k), "bcx/c");
  ASSERT_TRUE(k.rotate(key('y')));
  EXPECT_EQ(in_use(k), "cxy/x");
  // An 80-byte key among 48-byte ones is refused, nothing changes.
  EXPECT_FALSE(k.rotate({std::string(16, 'z'), std::string(32, 'z'), std::string(32, 'z')}));
  EXPECT_EQ(in_use(k), "cxy/x");
  EXPECT_EQ(k.file(), "f");
}

}  // namespace
}  // namespace hearth::net
