// expr::Sample: HAProxy 2.6's cast matrix (src/sample.c sample_casts[][]),
// the casts themselves, scratch chunks and the address helpers. Values marked
// "HAProxy 2.6" were checked against haproxy 2.6.12 (lf-string "%[...]").
#include "expr/sample.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

using testing::bin;
using testing::boolean;
using testing::sint;
using testing::str;

using T = SmpType;

Sample v4(const char* text) {
  unsigned char a[4];
  EXPECT_EQ(inet_pton(AF_INET, text, a), 1) << text;
  Sample x;
  x.set_ipv4(a);
  return x;
}

Sample v6(const char* text) {
  unsigned char a[16];
  EXPECT_EQ(inet_pton(AF_INET6, text, a), 1) << text;
  Sample x;
  x.set_ipv6(a);
  return x;
}

Sample meth(std::string_view name) {
  Sample x;
  x.set_meth(meth_of(name), name);
  return x;
}

std::string ntop(const Sample& s) {
  char buf[INET6_ADDRSTRLEN];
  const int af = s.type == T::kIpv4 ? AF_INET : AF_INET6;
  return inet_ntop(af, s.addr, buf, sizeof buf) ? buf : "?";
}

TEST(SampleTypes, NamesAsTheManualWritesThem) {
  EXPECT_STREQ(type_name(T::kAny), "any");
  EXPECT_STREQ(type_name(T::kBool), "bool");
  EXPECT_STREQ(type_name(T::kSint), "sint");
  EXPECT_STREQ(type_name(T::kAddr), "addr");
  EXPECT_STREQ(type_name(T::kIpv4), "ipv4");
  EXPECT_STREQ(type_name(T::kIpv6), "ipv6");
  EXPECT_STREQ(type_name(T::kStr), "str");
  EXPECT_STREQ(type_name(T::kBin), "bin");
  EXPECT_STREQ(type_name(T::kMeth), "meth");
}

TEST(SampleTypes, MethodsAreCaseSensitive) {
  EXPECT_EQ(meth_of("GET"), Meth::kGet);
  EXPECT_EQ(meth_of("OPTIONS"), Meth::kOptions);
  EXPECT_EQ(meth_of("CONNECT"), Meth::kConnect);
  EXPECT_EQ(meth_of("get"), Meth::kOther);
  EXPECT_EQ(meth_of("PATCH"), Meth::kOther);
  EXPECT_EQ(meth_of(""), Meth::kOther);
  EXPECT_STREQ(meth_name(Meth::kDelete), "DELETE");
  EXPECT_STREQ(meth_name(Meth::kOther), "");
}

// The whole matrix, row by row, as HAProxy 2.6 declares it. The one
// difference is the addr row: HAProxy declares src/dst as ipv4 and its addr
// row is empty; Hearth's address fetches say addr and are checked as the
// ipv4 they usually are (an IPv6 then fails at run time where HAProxy's does).
TEST(SampleCasts, MatrixIsHaproxys) {
  constexpr T kAll[] = {T::kAny,  T::kBool, T::kSint, T::kAddr, T::kIpv4,
                        T::kIpv6, T::kStr,  T::kBin,  T::kMeth};
  //                        any bool sint addr ipv4 ipv6 str bin meth
  const bool kMatrix[kSmpTypes][kSmpTypes] = {
      /* any  */ {1, 1, 1, 1, 1, 1, 1, 1, 1},
      /* bool */ {1, 1, 1, 0, 0, 0, 1, 0, 0},
      /* sint */ {1, 1, 1, 1, 1, 1, 1, 1, 0},
      /* addr */ {1, 0, 1, 1, 1, 1, 1, 1, 0},  // Hearth: as ipv4
      /* ipv4 */ {1, 0, 1, 1, 1, 1, 1, 1, 0},
      /* ipv6 */ {1, 0, 0, 1, 1, 1, 1, 1, 0},
      /* str  */ {1, 1, 1, 1, 1, 1, 1, 1, 1},
      /* bin  */ {1, 0, 0, 0, 0, 0, 1, 1, 1},
      /* meth */ {1, 0, 0, 0, 0, 0, 1, 1, 1},
  };
  for (int f = 0; f < kSmpTypes; ++f) {
    for (int t = 0; t < kSmpTypes; ++t) {
      EXPECT_EQ(can_cast(kAll[f], kAll[t]), kMatrix[f][t])
          << type_name(kAll[f]) << " -> " << type_name(kAll[t]);
    }
  }
}

TEST(SampleCasts, ImpossibleCastsFailAndKeepTheSample) {
  Sample s = boolean(true);
  EXPECT_FALSE(cast(s, T::kIpv4));
  EXPECT_FALSE(cast(s, T::kBin));
  EXPECT_FALSE(cast(s, T::kMeth));
  EXPECT_EQ(s.type, T::kBool);
  s = sint(3);
  EXPECT_FALSE(cast(s, T::kMeth));
  s = v4("1.2.3.4");
  EXPECT_FALSE(cast(s, T::kBool));
  EXPECT_FALSE(cast(s, T::kMeth));
  s = v6("::1");
  EXPECT_FALSE(cast(s, T::kSint));
  EXPECT_FALSE(cast(s, T::kBool));
  s = bin("ab");
  EXPECT_FALSE(cast(s, T::kSint));
  EXPECT_FALSE(cast(s, T::kIpv4));
  s = meth("GET");
  EXPECT_FALSE(cast(s, T::kSint));
  EXPECT_FALSE(cast(s, T::kAddr));
  EXPECT_EQ(s.type, T::kMeth);
}

TEST(SampleCasts, SameTypeAndAnyAreNoOps) {
  Sample s = str("x");
  EXPECT_TRUE(cast(s, T::kStr));
  EXPECT_TRUE(cast(s, T::kAny));
  EXPECT_EQ(s.type, T::kStr);
  EXPECT_EQ(s.str, "x");
  Sample any;  // kAny: whatever a fetch left undeclared
  EXPECT_TRUE(cast(any, T::kIpv6));
}

TEST(SampleCasts, BoolToIntAndString) {
  Sample s = boolean(true);
  ASSERT_TRUE(cast(s, T::kSint));
  EXPECT_EQ(s.type, T::kSint);
  EXPECT_EQ(s.sint, 1);
  s = boolean(false);
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.str, "0");  // HAProxy 2.6: bool(0),upper gives "0"
}

TEST(SampleCasts, IntToEverything) {
  Sample s = sint(-42);
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.type, T::kStr);
  EXPECT_EQ(s.str, "-42");

  s = sint(7);
  ASSERT_TRUE(cast(s, T::kBool));
  EXPECT_EQ(s.type, T::kBool);
  EXPECT_NE(s.sint, 0);

  // The 8 bytes of the value, big endian (HAProxy 2.6: int(1),hex is
  // 0000000000000001).
  s = sint(0x0102030405060708);
  ASSERT_TRUE(cast(s, T::kBin));
  EXPECT_EQ(s.type, T::kBin);
  EXPECT_EQ(s.str, std::string_view("\x01\x02\x03\x04\x05\x06\x07\x08", 8));

  // HAProxy 2.6: int(16909060),ipmask(32) is 1.2.3.4; int(-1) 255.255.255.255.
  s = sint(16909060);
  ASSERT_TRUE(cast(s, T::kIpv4));
  EXPECT_EQ(s.type, T::kIpv4);
  EXPECT_EQ(ntop(s), "1.2.3.4");
  s = sint(-1);
  ASSERT_TRUE(cast(s, T::kAddr));
  EXPECT_EQ(s.type, T::kIpv4);
  EXPECT_EQ(ntop(s), "255.255.255.255");

  s = sint(16909060);
  ASSERT_TRUE(cast(s, T::kIpv6));
  EXPECT_EQ(s.type, T::kIpv6);
  EXPECT_EQ(ntop(s), "::ffff:1.2.3.4");
}

TEST(SampleCasts, Ipv4ToEverything) {
  Sample s = v4("1.2.3.4");
  ASSERT_TRUE(cast(s, T::kSint));
  EXPECT_EQ(s.sint, 16909060);  // host order, as HAProxy's ntohl

  s = v4("10.0.0.1");
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.str, "10.0.0.1");

  s = v4("1.2.3.4");
  ASSERT_TRUE(cast(s, T::kBin));
  EXPECT_EQ(s.str, std::string_view("\x01\x02\x03\x04", 4));  // HAProxy 2.6: hex 01020304

  s = v4("1.2.3.4");
  ASSERT_TRUE(cast(s, T::kIpv6));
  EXPECT_EQ(ntop(s), "::ffff:1.2.3.4");

  s = v4("1.2.3.4");
  ASSERT_TRUE(cast(s, T::kAddr));
  EXPECT_EQ(s.type, T::kIpv4);  // an address stays what it is
}

TEST(SampleCasts, Ipv6ToEverything) {
  Sample s = v6("2001:db8::1");
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.str, "2001:db8::1");

  s = v6("::1");
  ASSERT_TRUE(cast(s, T::kBin));
  ASSERT_EQ(s.str.size(), 16u);
  EXPECT_EQ(s.str[15], '\x01');

  s = v6("::1");
  ASSERT_TRUE(cast(s, T::kAddr));
  EXPECT_EQ(s.type, T::kIpv6);
}

// HAProxy's c_ipv62ip() is v6tov4(): only the mapped form ::ffff:a.b.c.d
// (HAProxy 2.6: str(::ffff:10.1.2.3),ipmask(8) is 10.0.0.0 while
// str(::10.1.2.3),ipmask(8) and str(2002:a01:203::),ipmask(8) give nothing).
TEST(SampleCasts, Ipv6ToIpv4OnlyFromTheMappedForm) {
  Sample s = v6("::ffff:10.1.2.3");
  ASSERT_TRUE(cast(s, T::kIpv4));
  EXPECT_EQ(s.type, T::kIpv4);
  EXPECT_EQ(ntop(s), "10.1.2.3");

  for (const char* other : {"::10.1.2.3", "2002:a01:203::", "::", "2001:db8::1"}) {
    s = v6(other);
    EXPECT_FALSE(cast(s, T::kIpv4)) << other;
    EXPECT_EQ(s.type, T::kIpv6) << other;
  }
}

// HAProxy's read_int64(): an optional sign, then the digits up to the first
// other byte, saturating. Checked with str(...),add(0) on HAProxy 2.6.
TEST(SampleCasts, StringToIntReadsLeadingDigits) {
  struct Case {
    const char* in;
    int64_t out;
  } cases[] = {
      {"12", 12},
      {"12abc", 12},
      {"12.7", 12},
      {"-12", -12},
      {"+12", 12},
      {"abc", 0},
      {" 12", 0},  // no blank skipped
      {"--5", 0},
      {"-", 0},
      {"1.2.3.4", 1},
      {"9223372036854775807", INT64_MAX},
      {"99999999999999999999", INT64_MAX},
      {"-9223372036854775808", INT64_MIN},
      {"-99999999999999999999", INT64_MIN},
  };
  for (const Case& c : cases) {
    Sample s = str(c.in);
    ASSERT_TRUE(cast(s, T::kSint)) << c.in;
    EXPECT_EQ(s.type, T::kSint);
    EXPECT_EQ(s.sint, c.out) << c.in;
  }
  Sample empty = str("");
  EXPECT_FALSE(cast(empty, T::kSint));  // HAProxy 2.6: str(),add(0) has no sample
  empty = str("");
  EXPECT_FALSE(cast(empty, T::kBool));
}

TEST(SampleCasts, StringToBoolIsItsIntegerValue) {
  Sample s = str("5");
  ASSERT_TRUE(cast(s, T::kBool));
  EXPECT_EQ(s.type, T::kBool);
  EXPECT_NE(s.sint, 0);
  s = str("abc");
  ASSERT_TRUE(cast(s, T::kBool));
  EXPECT_EQ(s.sint, 0);
}

// HAProxy's buf2ip(): the leading digits and dots must be a full dotted quad
// (HAProxy 2.6: "1.2.3.4x" and "1.2.3.4:80" match -m ip 1.2.3.4).
TEST(SampleCasts, StringToIpv4) {
  for (const char* in : {"1.2.3.4", "1.2.3.4x", "1.2.3.4:80"}) {
    Sample s = str(in);
    ASSERT_TRUE(cast(s, T::kIpv4)) << in;
    EXPECT_EQ(ntop(s), "1.2.3.4") << in;
  }
  for (const char* in : {"1.2.3", "1.2.3.4.5", "256.1.1.1", "x1.2.3.4", "", "::1"}) {
    Sample s = str(in);
    EXPECT_FALSE(cast(s, T::kIpv4)) << in;
  }
}

TEST(SampleCasts, StringToIpv6AndAddr) {
  Sample s = str("2001:db8::1");
  ASSERT_TRUE(cast(s, T::kIpv6));
  EXPECT_EQ(ntop(s), "2001:db8::1");
  s = str("1.2.3.4");
  EXPECT_FALSE(cast(s, T::kIpv6));  // no IPv4 form for ipv6

  // addr: IPv4 first, else IPv6, else nothing.
  s = str("10.0.0.1");
  ASSERT_TRUE(cast(s, T::kAddr));
  EXPECT_EQ(s.type, T::kIpv4);
  s = str("::ffff:10.0.0.1");
  ASSERT_TRUE(cast(s, T::kAddr));
  EXPECT_EQ(s.type, T::kIpv6);
  s = str("junk");
  EXPECT_FALSE(cast(s, T::kAddr));
}

TEST(SampleCasts, StringAndBinaryShareTheirBytes) {
  const std::string_view with_nul("a\0b", 3);
  Sample s = str(with_nul);
  ASSERT_TRUE(cast(s, T::kBin));
  EXPECT_EQ(s.type, T::kBin);
  EXPECT_EQ(s.str, with_nul);

  // A binary sample read as a string ends at its first NUL byte.
  s = bin(with_nul);
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.type, T::kStr);
  EXPECT_EQ(s.str, "a");
  s = bin("abc");
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.str, "abc");
  s = bin(std::string_view("\0x", 2));
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.str, "");
}

TEST(SampleCasts, MethodsAndStrings) {
  Sample s = str("GET");
  ASSERT_TRUE(cast(s, T::kMeth));
  EXPECT_EQ(s.type, T::kMeth);
  EXPECT_EQ(Meth(s.sint), Meth::kGet);

  s = str("get");  // methods are case-sensitive: another method
  ASSERT_TRUE(cast(s, T::kMeth));
  EXPECT_EQ(Meth(s.sint), Meth::kOther);
  EXPECT_EQ(s.str, "get");

  s = bin("PURGE");
  ASSERT_TRUE(cast(s, T::kMeth));
  EXPECT_EQ(Meth(s.sint), Meth::kOther);
  EXPECT_EQ(s.str, "PURGE");

  s = str("");
  EXPECT_FALSE(cast(s, T::kMeth));

  s = meth("POST");
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.type, T::kStr);
  EXPECT_EQ(s.str, "POST");
  s = meth("PURGE");
  ASSERT_TRUE(cast(s, T::kStr));
  EXPECT_EQ(s.str, "PURGE");
  s = meth("HEAD");
  ASSERT_TRUE(cast(s, T::kBin));
  EXPECT_EQ(s.type, T::kBin);
  EXPECT_EQ(s.str, "HEAD");
}

TEST(SampleChunks, FourRotateAndCasts) {
  std::set<char*> seen;
  for (int i = 0; i < 4; ++i) seen.insert(next_chunk().data);
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.count(next_chunk().data), 1u);  // the fifth is the first again
  EXPECT_EQ(next_chunk().size, 16384u);          // tune.bufsize's default

  set_chunk_size(64);
  EXPECT_EQ(next_chunk().size, 64u);
  set_chunk_size(16384);
  EXPECT_EQ(next_chunk().size, 16384u);
}

TEST(SampleChunks, CastResultsLiveInChunks) {
  // A cast that makes new bytes writes them to a chunk, so two results made
  // one after the other do not overwrite each other.
  Sample a = sint(1), b = sint(22);
  ASSERT_TRUE(cast(a, T::kStr));
  ASSERT_TRUE(cast(b, T::kStr));
  EXPECT_EQ(a.str, "1");
  EXPECT_EQ(b.str, "22");
}

TEST(AddressHelpers, ShortIpv4FormsOnlyWhenAllowed) {
  unsigned char a[4];
  ASSERT_TRUE(parse_ipv4("10.12", a, true));  // manual 7.1.6: 10.12 is 10.0.0.12
  EXPECT_EQ(a[0], 10);
  EXPECT_EQ(a[1], 0);
  EXPECT_EQ(a[2], 0);
  EXPECT_EQ(a[3], 12);
  ASSERT_TRUE(parse_ipv4("192.168.1", a, true));  // 192.168.0.1
  EXPECT_EQ(a[0], 192);
  EXPECT_EQ(a[1], 168);
  EXPECT_EQ(a[2], 0);
  EXPECT_EQ(a[3], 1);
  ASSERT_TRUE(parse_ipv4("10", a, true));  // 0.0.0.10, as HAProxy 2.6 reads it
  EXPECT_EQ(a[0], 0);
  EXPECT_EQ(a[3], 10);
  ASSERT_TRUE(parse_ipv4("127.1", a, true));
  EXPECT_EQ(a[0], 127);
  EXPECT_EQ(a[3], 1);
  EXPECT_FALSE(parse_ipv4("10.12", a));
  EXPECT_FALSE(parse_ipv4("1.2.3.4.5", a, true));
  EXPECT_FALSE(parse_ipv4("1..2.3", a));
  EXPECT_FALSE(parse_ipv4("1.2.3.256", a));
  EXPECT_FALSE(parse_ipv4("1.2.3.", a));
  EXPECT_FALSE(parse_ipv4("", a, true));
  ASSERT_TRUE(parse_ipv4("255.255.255.255", a));
  EXPECT_EQ(a[3], 255);
}

TEST(AddressHelpers, Ipv6) {
  unsigned char a[16];
  EXPECT_TRUE(parse_ipv6("::1", a));
  EXPECT_TRUE(parse_ipv6("2001:db8::", a));
  EXPECT_TRUE(parse_ipv6("::ffff:1.2.3.4", a));
  EXPECT_FALSE(parse_ipv6("1.2.3.4", a));
  EXPECT_FALSE(parse_ipv6("2001:db8::/32", a));
  EXPECT_FALSE(parse_ipv6(std::string(100, '1'), a));
}

// The forms an IPv6 sample matches an IPv4 pattern through (manual 7.1.6 and
// HAProxy 2.6's pat_match_ip(), which takes any 2002::/16 address).
TEST(AddressHelpers, Ipv6ToIpv4ForMatching) {
  struct Case {
    const char* v6;
    const char* v4;  // nullptr: none
  } cases[] = {
      {"::ffff:1.2.3.4", "1.2.3.4"},    {"::1.2.3.4", "1.2.3.4"},    {"2002:102:304::", "1.2.3.4"},
      {"2002:102:304:1::5", "1.2.3.4"}, {"::1", "0.0.0.1"},          {"::", "0.0.0.0"},
      {"2001:db8::1", nullptr},         {"::fffe:1.2.3.4", nullptr}, {"1::ffff:1.2.3.4", nullptr},
  };
  for (const Case& c : cases) {
    const Sample s = v6(c.v6);
    unsigned char out[4];
    const bool ok = ipv6_to_ipv4(s.addr, out);
    ASSERT_EQ(ok, c.v4 != nullptr) << c.v6;
    if (!ok) continue;
    char buf[INET_ADDRSTRLEN];
    EXPECT_STREQ(inet_ntop(AF_INET, out, buf, sizeof buf), c.v4) << c.v6;
  }
}

TEST(AddressHelpers, Ipv4ToIpv6IsTheMappedForm) {
  const Sample s = v4("192.0.2.7");
  unsigned char out[16];
  ipv4_to_ipv6(s.addr, out);
  char buf[INET6_ADDRSTRLEN];
  EXPECT_STREQ(inet_ntop(AF_INET6, out, buf, sizeof buf), "::ffff:192.0.2.7");
}

}  // namespace
}  // namespace hearth::expr
