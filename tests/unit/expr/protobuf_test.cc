// The Protocol Buffers walk behind protobuf and ungrpc, and the converters
// themselves. The expected values are what HAProxy 2.6 answered for the same
// bytes (tests/integration/pbuf_language_test.cc runs a set side by side).
#include "expr/protobuf.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "expr/sample_expr.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string hex(std::string_view b) {
  static const char* d = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : b) out += {d[c >> 4], d[c & 15]};
  return out;
}

// Returns: "bin(HEX),CONV" as text: an integer in decimal, bytes in hex
// ("x:" before them), nullopt without a sample.
std::optional<std::string> conv(const std::string& hex_in, const std::string& c) {
  testing::FakeContext ctx;
  std::string err;
  auto e = parse_sample_expr("bin(" + hex_in + ")," + c, kUseAny, &err);
  EXPECT_NE(e, nullptr) << c << ": " << err;
  if (!e) return std::nullopt;
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return std::nullopt;
  if (s.type == SmpType::kSint) return std::to_string(s.sint);
  EXPECT_EQ(s.type, SmpType::kBin);
  return "x:" + hex(s.str);
}

TEST(ProtobufPath, NumbersAndDots) {
  uint32_t p[8];
  ASSERT_EQ(pbuf::parse_field_path("1.2.3", p, 8), 3u);
  EXPECT_EQ(p[0], 1u);
  EXPECT_EQ(p[2], 3u);
  ASSERT_EQ(pbuf::parse_field_path("1..2", p, 8), 3u);  // an empty number is 0
  EXPECT_EQ(p[1], 0u);
  ASSERT_EQ(pbuf::parse_field_path(".1", p, 8), 2u);
  EXPECT_EQ(p[0], 0u);
  ASSERT_EQ(pbuf::parse_field_path("4294967297", p, 8), 1u);  // modulo 2^32
  EXPECT_EQ(p[0], 1u);
  for (const char* bad : {"", ".", "1.", "1..", "a", " 1", "1 ", "+1", "-1", "1.2a"})
    EXPECT_EQ(pbuf::parse_field_path(bad, p, 8), 0u) << bad;
  EXPECT_EQ(pbuf::parse_field_path("1.2.3", p, 2), 0u);  // longer than the room
}

TEST(ProtobufPath, TypesAreCaseSensitive) {
  pbuf::FieldType t;
  EXPECT_TRUE(pbuf::parse_field_type("sfixed64", &t));
  EXPECT_EQ(t, pbuf::FieldType::kSfixed64);
  for (const char* bad : {"INT32", "string", "bytes", "int33", ""})
    EXPECT_FALSE(pbuf::parse_field_type(bad, &t)) << bad;
}

TEST(ProtobufConverter, RawValuesByWireType) {
  EXPECT_EQ(conv("0801", "protobuf(1)"), "x:01");
  EXPECT_EQ(conv("08ac02", "protobuf(1)"), "x:AC02");  // a varint's own bytes
  EXPECT_EQ(conv("0a03080102", "protobuf(1)"), "x:080102");
  EXPECT_EQ(conv("0901020304050607", "protobuf(1)"), std::nullopt);
  EXPECT_EQ(conv("090102030405060708", "protobuf(1)"), "x:0102030405060708");
  EXPECT_EQ(conv("0d01020304", "protobuf(1)"), "x:01020304");
  EXPECT_EQ(conv("0d010203", "protobuf(1)"), std::nullopt);
  EXPECT_EQ(conv("08ffffffffffffffffff01", "protobuf(1)"), "x:FFFFFFFFFFFFFFFFFF01");
  EXPECT_EQ(conv("08ffffffffffffffffffff01", "protobuf(1)"), std::nullopt);  // 11 bytes
  EXPECT_EQ(conv("0880", "protobuf(1)"), std::nullopt);                      // cut short
  // HAProxy reads a value that is not there as empty (a varint as 0).
  EXPECT_EQ(conv("08", "protobuf(1)"), "x:");
  EXPECT_EQ(conv("0a", "protobuf(1)"), "x:");
  EXPECT_EQ(conv("08", "protobuf(1,int32)"), "0");
  EXPECT_EQ(conv("0a05", "protobuf(1)"), std::nullopt);  // longer than the bytes
  // Groups (wire types 3, 4) and 6, 7 end the walk.
  EXPECT_EQ(conv("0b0801", "protobuf(1)"), std::nullopt);
  EXPECT_EQ(conv("1b0801", "protobuf(1)"), std::nullopt);
}

TEST(ProtobufConverter, TypedValues) {
  EXPECT_EQ(conv("08ffffffffffffffffff01", "protobuf(1,int32)"), "-1");  // 64 bits kept
  EXPECT_EQ(conv("08ffffffffffffffffff01", "protobuf(1,uint64)"), "-1");
  EXPECT_EQ(conv("08ffffffffffffffffff01", "protobuf(1,sint32)"), "-9223372036854775808");
  EXPECT_EQ(conv("0803", "protobuf(1,sint64)"), "-2");
  EXPECT_EQ(conv("0804", "protobuf(1,sint32)"), "2");
  EXPECT_EQ(conv("1002", "protobuf(2,bool)"), "2");
  EXPECT_EQ(conv("09ffffffffffffffff", "protobuf(1,fixed64)"), "-1");
  EXPECT_EQ(conv("0dffffffff", "protobuf(1,fixed32)"), "4294967295");
  EXPECT_EQ(conv("0dffffffff", "protobuf(1,sfixed32)"), "-1");
  EXPECT_EQ(conv("0d000020c0", "protobuf(1,sfixed32)"), "-1071644672");
  // Floating point values truncated as x86-64 converts them to unsigned.
  EXPECT_EQ(conv("099a99999999990d40", "protobuf(1,double)"), "3");                     // 3.7
  EXPECT_EQ(conv("099a99999999990dc0", "protobuf(1,double)"), "-3");                    // -3.7
  EXPECT_EQ(conv("09003d9160e458e143", "protobuf(1,double)"), "-8446744073709551616");  // 1e19
  EXPECT_EQ(conv("09000000000000f07f", "protobuf(1,double)"), "0");                     // +inf
  EXPECT_EQ(conv("09000000000000f87f", "protobuf(1,double)"), "-9223372036854775808");  // NaN
  EXPECT_EQ(conv("09000000000000f043", "protobuf(1,double)"), "0");                     // 2^64
  EXPECT_EQ(conv("0dcdcc6c40", "protobuf(1,float)"), "3");                              // 3.7
  EXPECT_EQ(conv("0dcdcc6cc0", "protobuf(1,float)"), "4294967293");                     // -3.7
  EXPECT_EQ(conv("0df9021550", "protobuf(1,float)"), "1410065408");                     // 1e10
  EXPECT_EQ(conv("0d0000807f", "protobuf(1,float)"), "0");                              // +inf
  // A wire type that does not carry the type: no sample.
  EXPECT_EQ(conv("0801", "protobuf(1,fixed32)"), std::nullopt);
  EXPECT_EQ(conv("0801", "protobuf(1,double)"), std::nullopt);
  EXPECT_EQ(conv("0d01020304", "protobuf(1,int32)"), std::nullopt);
  EXPECT_EQ(conv("0d01020304", "protobuf(1,fixed64)"), std::nullopt);
  EXPECT_EQ(conv("090102030405060708", "protobuf(1,fixed32)"), std::nullopt);
  EXPECT_EQ(conv("0a020801", "protobuf(1,int32)"), std::nullopt);  // length-delimited: raw only
}

TEST(ProtobufConverter, NestedPaths) {
  // The manual's example: Rectangle { PPoint lo = 48; PPoint hi = 49 },
  // PPoint { Point point = 59 }, Point { int32 latitude = 1; longitude = 2 }.
  const std::string lo =
      "da03"
      "04"
      "0801"
      "1002";  // 59: {1: 1, 2: 2}
  const std::string hi =
      "da03"
      "04"
      "0803"
      "1004";
  const std::string rect =
      "8203"
      "07" +
      lo +
      "8a03"
      "07" +
      hi;
  EXPECT_EQ(conv(rect, "protobuf(48.59.1,int32)"), "1");
  EXPECT_EQ(conv(rect, "protobuf(48.59.2,int32)"), "2");
  EXPECT_EQ(conv(rect, "protobuf(49.59.1,int32)"), "3");
  EXPECT_EQ(conv(rect, "protobuf(49.59.2,int32)"), "4");
  EXPECT_EQ(conv(rect, "protobuf(49.59)"), "x:08031004");
  EXPECT_EQ(conv(rect, "protobuf(49.58)"), std::nullopt);
  // A field 0 can be on a path.
  EXPECT_EQ(conv("02020801", "protobuf(.1,int32)"), "1");
  EXPECT_EQ(conv("0a0402020801", "protobuf(1..1,int32)"), "1");
}

TEST(ProtobufConverter, HAProxyWalkQuirks) {
  // A matching scalar is entered too: its bytes are read as fields.
  EXPECT_EQ(conv("0808", "protobuf(1.1)"), "x:");
  EXPECT_EQ(conv("0808", "protobuf(1.1,int32)"), "0");
  EXPECT_EQ(conv("08081001", "protobuf(1.1,int32)"), "16");
  // Once a skipped length-delimited field is used up, the path starts over
  // (here inside field 1, where 2 then no longer counts) ...
  EXPECT_EQ(conv("0a04"
                 "1a00"
                 "1005",
                 "protobuf(1.2,int32)"),
            std::nullopt);
  EXPECT_EQ(conv("0a04"
                 "1005"
                 "1a00",
                 "protobuf(1.2,int32)"),
            "5");
  EXPECT_EQ(conv("0a06"
                 "0801"
                 "1a00"
                 "1005",
                 "protobuf(1.2,int32)"),
            std::nullopt);
  // ... and a later 1 is entered again.
  EXPECT_EQ(conv("0a02"
                 "1a00"
                 "1007",
                 "protobuf(1.2,int32)"),
            std::nullopt);
  EXPECT_EQ(conv("0a02"
                 "1a00"
                 "0a02"
                 "1007",
                 "protobuf(1.2,int32)"),
            "7");
}

TEST(UngrpcConverter, MessagesInTurn) {
  EXPECT_EQ(conv("0000000002080100000000020802", "ungrpc(1,int32)"), "1");
  EXPECT_EQ(conv("00000000030a01010000000208020000000002", "ungrpc(1,int32)"), "2");
  EXPECT_EQ(conv("00000000030a01010000000208020000000002", "ungrpc(1)"), "x:01");
  EXPECT_EQ(conv("010000000208050000000001", "ungrpc(1,int32)"), "5");   // the flag is ignored
  EXPECT_EQ(conv("000000000208", "ungrpc(1,int32)"), std::nullopt);      // longer than the bytes
  EXPECT_EQ(conv("0000000005", "ungrpc(1,int32)"), std::nullopt);        // a header alone
  EXPECT_EQ(conv("00000000000000000002080a", "ungrpc(1,int32)"), "10");  // empty first message
  EXPECT_EQ(conv("0801", "ungrpc(1,int32)"), std::nullopt);              // no framing
}

TEST(ProtobufConverter, LoadErrors) {
  std::string err;
  EXPECT_EQ(parse_sample_expr("bin(00),protobuf(1.)", kUseAny, &err), nullptr);
  EXPECT_NE(err.find("field path"), std::string::npos) << err;
  EXPECT_EQ(parse_sample_expr("bin(00),protobuf", kUseAny, &err), nullptr);
  EXPECT_EQ(parse_sample_expr("bin(00),ungrpc(1,string)", kUseAny, &err), nullptr);
  EXPECT_NE(err.find("field type 'string'"), std::string::npos) << err;
  EXPECT_EQ(parse_sample_expr("bin(00),ungrpc(1,)", kUseAny, &err), nullptr);
  std::string deep = "1";
  for (int i = 0; i < 64; ++i) deep += ".1";
  EXPECT_EQ(parse_sample_expr("bin(00),protobuf(" + deep + ")", kUseAny, &err), nullptr);
  // The declared output is binary (as HAProxy's), whatever TYPE is.
  auto e = parse_sample_expr("bin(0801),protobuf(1,int32),hex", kUseAny, &err);
  EXPECT_NE(e, nullptr) << err;
}

TEST(ProtobufWalk, AdvancesOverWhatItRead) {
  const std::string m = unhex("08011002");
  std::string_view rest = m;
  const uint32_t path[] = {3};
  pbuf::Value v;
  EXPECT_FALSE(pbuf::find_field(&rest, path, 1, pbuf::FieldType::kRaw, &v));
  EXPECT_TRUE(rest.empty());
}

}  // namespace
}  // namespace hearth::expr
