#include "config/units.h"

#include <gtest/gtest.h>

#include "config/address.h"

namespace hearth::config {
namespace {

TEST(Duration, UnitsConvertToMilliseconds) {
  EXPECT_EQ(parse_duration_ms("5s"), 5000);
  EXPECT_EQ(parse_duration_ms("100"), 100);
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("1m"), 60000);
  EXPECT_EQ(parse_duration_ms("2h"), 7200000);
  EXPECT_EQ(parse_duration_ms("1d"), 86400000);
  EXPECT_EQ(parse_duration_ms("0"), 0);
}

TEST(Duration, MicrosecondsRoundUp) {
  EXPECT_EQ(parse_duration_ms("500us"), 1);
  EXPECT_EQ(parse_duration_ms("1000us"), 1);
  EXPECT_EQ(parse_duration_ms("1001us"), 2);
  EXPECT_EQ(parse_duration_ms("0us"), 0);
}

TEST(Duration, RejectsMalformedText) {
  for (const char* bad : {"", "s", "5x", "5 s", "-5s", "5S", "1.5s", "5sec", " 5", "5ms ", "+5"}) {
    EXPECT_EQ(parse_duration_ms(bad), std::nullopt) << bad;
  }
}

TEST(Duration, RejectsValuesAboveTheTimerLimit) {
  EXPECT_EQ(parse_duration_ms("2147483647"), kMaxDurationMs);
  EXPECT_EQ(parse_duration_ms("2147483648"), std::nullopt);
  EXPECT_EQ(parse_duration_ms("24d"), 24LL * 86400000);
  EXPECT_EQ(parse_duration_ms("25d"), std::nullopt);
  EXPECT_EQ(parse_duration_ms("99999999999999999999999s"), std::nullopt);
  EXPECT_EQ(parse_duration_ms("9223372036854775807d"), std::nullopt);
}

TEST(Int, ParsesSignedDecimals) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("-1"), -1);
  for (const char* bad : {"", "-", "+1", "1k", "0x10", " 1", "9223372036854775808"}) {
    EXPECT_EQ(parse_int(bad), std::nullopt) << bad;
  }
}

TEST(Size, AcceptsBinarySuffixes) {
  EXPECT_EQ(parse_size("16384"), 16384);
  EXPECT_EQ(parse_size("16k"), 16384);
  EXPECT_EQ(parse_size("1m"), 1048576);
  EXPECT_EQ(parse_size("1g"), 1073741824);
  EXPECT_EQ(parse_size("2g"), std::nullopt);
  EXPECT_EQ(parse_size("1t"), std::nullopt);
  EXPECT_EQ(parse_size("k"), std::nullopt);
}

TEST(Address, BindFormsAccepted) {
  for (const char* ok : {"127.0.0.1:80", ":8080", "*:443", "[::1]:8443", "[::]:80", "fd@3",
                         "localhost:80", "0.0.0.0:65535"}) {
    EXPECT_EQ(check_bind_address(ok), "") << ok;
  }
}

TEST(Address, BindFormsRejectedWithReason) {
  EXPECT_NE(check_bind_address("8080").find("missing ':PORT'"), std::string::npos);
  EXPECT_NE(check_bind_address(":0").find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(check_bind_address(":65536").find("between 1 and 65535"), std::string::npos);
  // Without brackets the last colon starts the port (HAProxy's ":::80").
  EXPECT_EQ(check_bind_address("::1:80"), "");
  EXPECT_EQ(check_bind_address(":::80"), "");
  EXPECT_EQ(check_bind_address("[::]:80"), "");
  EXPECT_NE(check_bind_address("::g:80").find("brackets"), std::string::npos);
  EXPECT_NE(check_bind_address("1.2.3.256:80").find("IPv4"), std::string::npos);
  EXPECT_NE(check_bind_address("fd@x").find("fd@3"), std::string::npos);
  EXPECT_NE(check_bind_address("[::1:80").find("']'"), std::string::npos);
  EXPECT_NE(check_bind_address(":80-90").find("invalid port"), std::string::npos);
  EXPECT_NE(check_bind_address("").find("expects"), std::string::npos);
}

TEST(Address, ServerNeedsHostAndPort) {
  EXPECT_EQ(check_server_address("10.0.0.1:80"), "");
  EXPECT_EQ(check_server_address("app.internal:8080"), "");
  EXPECT_EQ(check_server_address("[2001:db8::1]:80"), "");
  // No host or "*": the client's destination address; port 0: the client's port.
  EXPECT_EQ(check_server_address(":80"), "");
  EXPECT_EQ(check_server_address("*:80"), "");
  EXPECT_EQ(check_server_address("10.0.0.1:0"), "");
  EXPECT_NE(check_server_address("10.0.0.1").find("missing ':PORT'"), std::string::npos);
  EXPECT_NE(check_server_address("10.0.0.1:"), "");
  EXPECT_NE(check_server_address("fd@3"), "");
  EXPECT_EQ(check_server_address("/var/run/app.sock"), "");  // a UNIX socket (unix_address_test)
}

}  // namespace
}  // namespace hearth::config
