// http::MsgHead: an owned head keeps its views valid through adopt_text() (the
// received bytes may then be overwritten), keep() and reserve_fields() (which
// moves the text to make room for more fields); a borrowed head copies nothing.
#include "http/msg.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace hearth::http {
namespace {

std::string fields_str(const MsgHead& h) {
  std::string out;
  for (const HeaderField& f : h.fields())
    out += std::string(f.name) + "=" + std::string(f.value) + ";";
  return out;
}

// A received head: views into `text`, as a parser leaves them.
void fill_from(MsgHead& h, std::string_view text) {
  h.method_str = text.substr(0, 3);
  h.target = text.substr(4, 2);
  h.fields().add(text.substr(17, 4), text.substr(23, 1));
  h.fields().add(text.substr(26, 1), text.substr(29, 0));
}

TEST(MsgHead, AdoptedTextOutlivesTheReceivedBytes) {
  std::string wire = "GET /x HTTP/1.1\r\nHost: a\r\nB: \r\n\r\n";
  MsgHead h;
  ASSERT_TRUE(h.init(2));
  fill_from(h, wire);
  ASSERT_TRUE(h.adopt_text(wire));
  wire.assign(wire.size(), '#');  // the receive buffer is reused
  EXPECT_EQ(h.method_str, "GET");
  EXPECT_EQ(h.target, "/x");
  EXPECT_EQ(fields_str(h), "Host=a;B=;");
}

TEST(MsgHead, ReservingFieldsMovesTheTextAndKeepsEveryView) {
  std::string wire = "GET /x HTTP/1.1\r\nHost: a\r\nB: \r\n\r\n";
  MsgHead h;
  ASSERT_TRUE(h.init(2));
  fill_from(h, wire);
  ASSERT_TRUE(h.adopt_text(wire));
  std::string_view kept;
  ASSERT_TRUE(h.keep("computed", &kept));
  h.fields().set_value(1, kept);
  const std::string_view config_owned = "from-config";
  ASSERT_FALSE(h.fields().add("x", config_owned));  // full
  ASSERT_TRUE(h.reserve_fields(50));
  EXPECT_GE(h.fields().capacity(), 52u);
  EXPECT_TRUE(h.fields().add("x", config_owned));
  EXPECT_EQ(h.method_str, "GET");
  EXPECT_EQ(h.target, "/x");
  EXPECT_EQ(fields_str(h), "Host=a;B=computed;x=from-config;");
  EXPECT_EQ(h.fields()[2].value.data(), config_owned.data());  // not moved: not the head's
}

TEST(MsgHead, StorageBoundsAreReported) {
  MsgHead h;
  ASSERT_TRUE(h.init(1));
  std::string_view out;
  const std::string big(Buffer::configured_size(), 'x');
  EXPECT_FALSE(h.keep(big, &out));
  EXPECT_FALSE(h.reserve_fields(Buffer::configured_size()));
  EXPECT_FALSE(h.init(Buffer::configured_size()));
}

TEST(MsgHead, BorrowedHeadCopiesNothingAndReleasesNothing) {
  const std::string wire = "GET /x HTTP/1.1\r\nHost: a\r\nB: \r\n\r\n";
  MsgHead h;
  ASSERT_TRUE(h.init_borrowed(2));
  EXPECT_TRUE(h.borrowed());
  fill_from(h, wire);
  EXPECT_EQ(h.fields()[0].name.data(), wire.data() + 17);  // still the received bytes
  h.release();
  EXPECT_FALSE(h.ready());
  ASSERT_TRUE(h.init(1));  // an owned head again
  EXPECT_FALSE(h.borrowed());
}

}  // namespace
}  // namespace hearth::http
