// expr converters beyond the basic ones (converters_*.cc): hashes, encodings,
// dates and those that read or set variables. Unless said otherwise, every
// expected value below was checked against HAProxy 2.6.12: the expression in
// "http-request set-var(txn.r) EXPR" (after set-var/unset-var actions that
// prepare the variables the test sets), then lf-string "%[var(txn.r)]", and
// { var(txn.r) -m found } for whether a sample exists at all; parse errors
// with haproxy -c.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "expr/converter.h"
#include "expr/sample_expr.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

using testing::bin;
using testing::boolean;
using testing::FakeContext;
using testing::sint;
using testing::str;

constexpr std::nullopt_t kNone = std::nullopt;

// The result of `text` in `ctx` as a string (binary results: their raw
// bytes), or nullopt when the expression gives no sample.
std::optional<std::string> eval(FakeContext& ctx, const std::string& text) {
  std::string err;
  auto e = parse_sample_expr(text, kUseAny, &err);
  EXPECT_NE(e, nullptr) << text << ": " << err;
  if (!e) return std::nullopt;
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return std::nullopt;
  if (s.type != SmpType::kBin) {
    EXPECT_TRUE(cast(s, SmpType::kStr)) << text;
  }
  return std::string(s.str);
}

std::optional<std::string> eval(const std::string& text) {
  FakeContext ctx;
  return eval(ctx, text);
}

// The parse error of `text`, or "" if it parses.
std::string parse_error(const std::string& text) {
  std::string err;
  auto e = parse_sample_expr(text, kUseAny, &err);
  if (e) return "";
  EXPECT_FALSE(err.empty()) << text;
  return err;
}

VarName var(const std::string& name) {
  VarName v;
  std::string err;
  EXPECT_TRUE(parse_var_name(name, &v, &err)) << err;
  return v;
}

void set_var(FakeContext& ctx, const std::string& name, const Sample& s) {
  const VarName v = var(name);
  ctx.var_stores[int(v.scope)].set(v.id, s);
}

// The variable's value as a string, or nullopt if it is not set.
std::optional<std::string> get_var(FakeContext& ctx, const std::string& name) {
  const VarName v = var(name);
  Sample s;
  if (!ctx.var_stores[int(v.scope)].get(v.id, &s)) return std::nullopt;
  EXPECT_TRUE(cast(s, SmpType::kStr));
  return std::string(s.str);
}

// Hearth has no bin() fetch: a binary input reaches the converters through
// var(txn.in), which holds the bytes `hex` gives. HAProxy was checked with
// "bin(HEX),CONVERTERS".
std::optional<std::string> eval_bin(FakeContext& ctx, const std::string& hex,
                                    const std::string& convs) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(char(std::stoi(hex.substr(i, 2), nullptr, 16)));
  set_var(ctx, "txn.in", bin(bytes));
  return eval(ctx, "var(txn.in)," + convs);
}

std::optional<std::string> eval_bin(const std::string& hex, const std::string& convs) {
  FakeContext ctx;
  return eval_bin(ctx, hex, convs);
}

bool var_exists(FakeContext& ctx, const std::string& name) {
  const VarName v = var(name);
  return ctx.var_stores[int(v.scope)].exists(v.id);
}

// Not checked against HAProxy: the catalog's types are HAProxy's tables'.
TEST(ConverterMore, CatalogTypes) {
  struct Case {
    const char* name;
    SmpType in, out;
  } cases[] = {
      {"sha1", SmpType::kBin, SmpType::kBin},
      {"sha2", SmpType::kBin, SmpType::kBin},
      {"digest", SmpType::kBin, SmpType::kBin},
      {"hmac", SmpType::kBin, SmpType::kBin},
      {"crc32", SmpType::kBin, SmpType::kSint},
      {"crc32c", SmpType::kBin, SmpType::kSint},
      {"djb2", SmpType::kBin, SmpType::kSint},
      {"sdbm", SmpType::kBin, SmpType::kSint},
      {"wt6", SmpType::kBin, SmpType::kSint},
      {"hex2i", SmpType::kStr, SmpType::kSint},
      {"be2dec", SmpType::kBin, SmpType::kStr},
      {"be2hex", SmpType::kBin, SmpType::kStr},
      {"ub64enc", SmpType::kBin, SmpType::kStr},
      {"ub64dec", SmpType::kStr, SmpType::kBin},
      {"url_enc", SmpType::kStr, SmpType::kStr},
      {"json", SmpType::kStr, SmpType::kStr},
      {"iif", SmpType::kBool, SmpType::kStr},
      {"concat", SmpType::kStr, SmpType::kStr},
      {"add_item", SmpType::kStr, SmpType::kStr},
      {"strcmp", SmpType::kStr, SmpType::kSint},
      {"secure_memcmp", SmpType::kBin, SmpType::kBool},
      {"set-var", SmpType::kAny, SmpType::kAny},
      {"unset-var", SmpType::kAny, SmpType::kAny},
      {"utime", SmpType::kSint, SmpType::kStr},
      {"ltime", SmpType::kSint, SmpType::kStr},
      {"http_date", SmpType::kSint, SmpType::kStr},
  };
  for (const Case& c : cases) {
    const ConvDef* d = find_converter(c.name);
    ASSERT_NE(d, nullptr) << c.name;
    EXPECT_EQ(d->in, c.in) << c.name;
    EXPECT_EQ(d->out, c.out) << c.name;
  }
  EXPECT_EQ(find_converter("xxh33"), nullptr);
}

TEST(ConverterHash, Sha1Sha2) {
  EXPECT_EQ(eval("str(abc),sha1,hex"), "A9993E364706816ABA3E25717850C26C9CD0D89D");
  EXPECT_EQ(eval("str(),sha1,hex"), "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
  EXPECT_EQ(eval("str(abc),sha1,length"), "20");
  EXPECT_EQ(eval("str(abc),sha2,hex"),
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  EXPECT_EQ(eval("str(a),sha2(),hex"),
            "CA978112CA1BBDCAFAC231B39A23DC4DA786EFF8147C4E72B9807785AFEE48BB");
  EXPECT_EQ(eval("str(abc),sha2(224),hex"),
            "23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7");
  EXPECT_EQ(eval("str(abc),sha2(384),hex"),
            "CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC23"
            "58BAECA134C825A7");
  EXPECT_EQ(eval("str(abc),sha2(512),hex"),
            "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A8"
            "36BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F");
  EXPECT_NE(parse_error("str(abc),sha2(100)").find("Unsupported number of bits: '100'"),
            std::string::npos);
  EXPECT_NE(parse_error("str(abc),sha2(0)"), "");
  EXPECT_NE(parse_error("str(abc),sha2(abc)"), "");
}

TEST(ConverterHash, Digest) {
  EXPECT_EQ(eval("str(abc),digest(md5),hex"), "900150983CD24FB0D6963F7D28E17F72");
  const std::string sha256 = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  EXPECT_EQ(eval("str(abc),digest(sha256),hex"), sha256);
  EXPECT_EQ(eval("str(abc),digest(SHA256),hex"), sha256);  // OpenSSL's names and aliases
  EXPECT_EQ(eval("str(abc),digest(RSA-SHA256),hex"), sha256);
  EXPECT_EQ(eval("str(abc),digest(sha3-256),hex"),
            "3A985DA74FE225B2045C172D6BD390BD855F086E3E9D525B46BFE24511431532");
  EXPECT_EQ(eval("str(abc),digest(SHA512-256),hex"),
            "53048E2681941EF99B2E29B76B4C7DABE4C2D0C634FC6D46E0E2F13107E7AF23");
  EXPECT_EQ(eval("str(abc),digest(blake2b512),hex"),
            "BA80A53F981C4D0D6A2797B69F12F6E94C212F14685AC4B74B12BB6FDBFFA2D17D87C5392AAB792D"
            "C252D5DE4533CC9518D38AA8DBF1925AB92386EDD4009923");
  EXPECT_NE(parse_error("str(abc),digest(nosuch)").find("valid OpenSSL message digest name"),
            std::string::npos);
  EXPECT_NE(parse_error("str(abc),digest()"), "");
}

TEST(ConverterHash, HmacWithConstantKeys) {
  const std::string key_sha256 = "9C196E32DC0175F86F4B1CB89289D6619DE6BEE699E4C378E68309ED97A1A6AB";
  EXPECT_EQ(eval("str(abc),hmac(sha256,a2V5),hex"), key_sha256);  // key "key"
  EXPECT_EQ(eval("str(abc),hmac(md5,a2V5),hex"), "D2FE98063F876B03193AFB49B4979591");
  // An empty key, and "Y===" which HAProxy's base64dec() takes as empty too.
  EXPECT_EQ(eval("str(abc),hmac(sha1,),hex"), "9B4A918F398D74D3E367970ABA3CBE54E4D2B5D9");
  EXPECT_EQ(eval("str(abc),hmac(sha1,Y===),hex"), "9B4A918F398D74D3E367970ABA3CBE54E4D2B5D9");
  EXPECT_EQ(eval("str(abc),hmac(sha1,YWFh),hex"), "942888F2C6F2798DE1BA0A9A669C8EFC64CA0119");
  // Padding inside the text: "YQ==YQ==" is "aa".
  EXPECT_EQ(eval("str(abc),hmac(sha1,YQ==YQ==),hex"), "3927A07CD8E4A97069F991D6224229282EE8590E");
  EXPECT_EQ(parse_error("str(abc),hmac(sha1,ab==cd==)"), "");
  EXPECT_NE(parse_error("str(abc),hmac(sha1,abc)").find("failed to parse key"), std::string::npos);
  EXPECT_NE(parse_error("str(abc),hmac(sha1,====)"), "");
  EXPECT_NE(parse_error("str(abc),hmac(sha1,=AAA)"), "");
  EXPECT_NE(parse_error("str(abc),hmac(sha1)"), "");
  EXPECT_NE(parse_error("str(abc),hmac(nosuch,YQ==)"), "");
}

TEST(ConverterHash, HmacWithVariableKeys) {
  const std::string key_sha256 = "9C196E32DC0175F86F4B1CB89289D6619DE6BEE699E4C378E68309ED97A1A6AB";
  FakeContext ctx;
  set_var(ctx, "txn.k", str("a2V5"));
  EXPECT_EQ(eval(ctx, "str(abc),hmac(sha256,txn.k),hex"), key_sha256);
  set_var(ctx, "txn.k", str("YQ==YQ=="));
  EXPECT_EQ(eval(ctx, "str(abc),hmac(sha1,txn.k),hex"), "3927A07CD8E4A97069F991D6224229282EE8590E");
  set_var(ctx, "txn.k", str(""));
  EXPECT_EQ(eval(ctx, "str(abc),hmac(sha256,txn.k),hex"),
            "FD7ADB152C05EF80DCCF50A1FA4C05D5A3EC6DA95575FC312AE7C5D091836351");
  set_var(ctx, "txn.k", str("a2V"));  // not base64
  EXPECT_EQ(eval(ctx, "str(abc),hmac(sha256,txn.k),hex"), kNone);
  set_var(ctx, "txn.k", sint(12));  // "12": not base64
  EXPECT_EQ(eval(ctx, "str(abc),hmac(sha256,txn.k),hex"), kNone);
  EXPECT_EQ(eval(ctx, "str(abc),hmac(sha256,txn.unset),hex"), kNone);
}

TEST(ConverterHash, Hash32) {
  EXPECT_EQ(eval("str(abc),crc32"), "891568578");
  EXPECT_EQ(eval("str(abc),crc32(0)"), "891568578");
  EXPECT_EQ(eval("str(abc),crc32(1)"), "930845320");
  EXPECT_EQ(eval("str(abc),crc32(2)"), "930845320");  // any non-zero value
  EXPECT_EQ(eval("str(),crc32"), "0");
  EXPECT_EQ(eval("str(),crc32(1)"), "2874071335");
  EXPECT_EQ(eval_bin("ff80", "crc32"), "1061514413");
  EXPECT_EQ(eval("str(abc),crc32c"), "910901175");
  EXPECT_EQ(eval("str(123456789),crc32c"), "3808858755");
  EXPECT_EQ(eval("str(abc),crc32c(1)"), "1285784220");
  EXPECT_EQ(eval_bin("ff80", "crc32c"), "3497289769");
  EXPECT_EQ(eval("str(abc),djb2"), "193485963");
  EXPECT_EQ(eval("str(abc),djb2(1)"), "2235766107");
  EXPECT_EQ(eval("str(abcdefghijklmnop),djb2"), "4162103949");
  EXPECT_EQ(eval_bin("ff80", "djb2"), "5868452");  // bytes are unsigned
  EXPECT_EQ(eval("str(),djb2"), "5381");
  EXPECT_EQ(eval("str(abc),sdbm"), "807794786");
  EXPECT_EQ(eval("str(abc),sdbm(1)"), "659243622");
  EXPECT_EQ(eval_bin("ff80", "sdbm"), "16727873");
  EXPECT_EQ(eval("str(),sdbm"), "0");
  EXPECT_EQ(eval("str(abc),wt6"), "2483038440");
  EXPECT_EQ(eval("str(abc),wt6(1)"), "266135527");
  EXPECT_EQ(eval_bin("ff80", "wt6"), "1387895181");
  EXPECT_EQ(eval_bin("ff80fe7f01", "wt6"), "2371335322");
  EXPECT_EQ(eval_bin("ff80fe7f01", "wt6(1)"), "2949539809");
  EXPECT_EQ(eval("str(),wt6"), "4187620192");
  EXPECT_EQ(eval("str(hello world),wt6"), "1866899626");
  EXPECT_EQ(eval("str(hello world),djb2"), "894552257");
  EXPECT_EQ(eval("str(hello world),djb2(1)"), "2328455893");
  EXPECT_EQ(eval("str(hello world),sdbm"), "430867652");
  EXPECT_EQ(eval("str(hello world),sdbm(1)"), "261123301");
  EXPECT_EQ(eval("str(hello world),crc32"), "222957957");
  EXPECT_EQ(eval("str(hello world),crc32c"), "3381945770");
  EXPECT_EQ(eval("str(hello world),crc32c(1)"), "2656343177");
}

// host_only, port_only and htonl: the outputs of HAProxy 2.6.12 on the same
// inputs (lf-string), quirks included.
TEST(ConverterText, HostPortAndHtonl) {
  EXPECT_EQ(eval("str(Ex.COM:80),host_only"), "ex.com");
  EXPECT_EQ(eval("str(Ex.COM:80),port_only"), "80");
  EXPECT_EQ(eval("str([::1]:8080),host_only"), "[::1]");
  EXPECT_EQ(eval("str([::1]:8080),port_only"), "8080");
  EXPECT_EQ(eval("str([::1]),port_only"), "0");
  EXPECT_EQ(eval("str(host:abc),port_only"), "5451");
  EXPECT_EQ(eval("str(h:99999),port_only"), "99999");
  EXPECT_EQ(eval("str(:80),host_only"), "");
  EXPECT_EQ(eval("str(a:1:2),host_only"), "a:1");
  EXPECT_EQ(eval("str(a:1:2),port_only"), "2");
  EXPECT_EQ(eval("int(258),htonl,hex"), "00000102");
  EXPECT_EQ(eval("int(-1),htonl,hex"), "FFFFFFFF");
}

TEST(ConverterText, Hex2i) {
  EXPECT_EQ(eval("str(1f),hex2i"), "31");
  EXPECT_EQ(eval("str(FF),hex2i"), "255");
  EXPECT_EQ(eval("str(ffffffffffffffff),hex2i"), "-1");
  EXPECT_EQ(eval("str(1ffffffffffffffff),hex2i"), "-1");  // shifted out
  EXPECT_EQ(eval("str(),hex2i"), "0");
  EXPECT_EQ(eval("str(1g),hex2i"), kNone);
  EXPECT_EQ(eval("str(-1),hex2i"), kNone);
  EXPECT_EQ(eval("int(-5),hex2i"), kNone);
  EXPECT_EQ(eval("int(255),hex2i"), "597");  // the string "255"
}

TEST(ConverterText, Be2dec) {
  // The manual's examples.
  EXPECT_EQ(eval_bin("01020304050607", "be2dec(:,2)"), "258:772:1286:7");
  EXPECT_EQ(eval_bin("01020304050607", "be2dec(-,2,1)"), "258-772-1286");
  EXPECT_EQ(eval_bin("01020304050607", "be2dec(,2,1)"), "2587721286");
  EXPECT_EQ(eval_bin("7f000001", "be2dec(.,1)"), "127.0.0.1");
  EXPECT_EQ(eval_bin("ffffffffffffffff", "be2dec(.,8)"), "18446744073709551615");
  EXPECT_EQ(eval_bin("0102030405060708", "be2dec(.,8,1)"), "72623859790382856");
  EXPECT_EQ(eval_bin("01020304050607", "be2dec(.,8,1)"), "");
  EXPECT_EQ(eval("str(),be2dec(.,1)"), "");
  EXPECT_EQ(eval("str(abc),be2dec(--,1)"), "97--98--99");
  EXPECT_EQ(eval_bin("0001", "be2dec(.,1)"), "0.1");
  EXPECT_EQ(eval("int(258),be2dec(:,4)"), "0:258");  // the integer's 8 bytes
  EXPECT_NE(parse_error("str(a),be2dec(.)").find("chunk_size out of [1..8] range (0)"),
            std::string::npos);
  EXPECT_NE(parse_error("str(a),be2dec(.,0)"), "");
  EXPECT_NE(parse_error("str(a),be2dec(.,9)"), "");
  EXPECT_NE(parse_error("str(a),be2dec(.,1,2)").find("Unsupported truncate value (2)"),
            std::string::npos);
}

TEST(ConverterText, Be2hex) {
  // The manual's examples.
  EXPECT_EQ(eval_bin("01020304050607", "be2hex"), "01020304050607");
  EXPECT_EQ(eval_bin("01020304050607", "be2hex(:,2)"), "0102:0304:0506:07");
  EXPECT_EQ(eval_bin("01020304050607", "be2hex(--,2,1)"), "0102--0304--0506");
  EXPECT_EQ(eval_bin("0102030405060708", "be2hex(,3,1)"), "010203040506");
  // Without a separator nor truncation, the chunk size does not matter.
  EXPECT_EQ(eval_bin("0102030405060708", "be2hex(,3)"), "0102030405060708");
  EXPECT_EQ(eval_bin("0102030405060708", "be2hex(,0)"), "0102030405060708");
  EXPECT_EQ(eval_bin("0102030405060708", "be2hex(,-1)"), "0102030405060708");
  EXPECT_EQ(eval("str(),be2hex(:,1)"), "");
  EXPECT_EQ(eval_bin("0102", "be2hex(:,3,1)"), "");
  EXPECT_EQ(eval("str(abc),be2hex(:,1)"), "61:62:63");
  EXPECT_NE(parse_error("str(a),be2hex(:)").find("chunk_size needs to be positive (0)"),
            std::string::npos);
  EXPECT_NE(parse_error("str(a),be2hex(:,0)"), "");
  EXPECT_NE(parse_error("str(a),be2hex(,0,1)"), "");
  EXPECT_NE(parse_error("str(a),be2hex(,1,2)"), "");
}

TEST(ConverterText, Ub64enc) {
  EXPECT_EQ(eval("str(abc),ub64enc"), "YWJj");
  EXPECT_EQ(eval("str(ab),ub64enc"), "YWI");
  EXPECT_EQ(eval("str(a),ub64enc"), "YQ");
  EXPECT_EQ(eval_bin("fbff", "ub64enc"), "-_8");
  EXPECT_EQ(eval("str(),ub64enc"), "");
}

TEST(ConverterText, Ub64dec) {
  EXPECT_EQ(eval("str(YWJj),ub64dec,hex"), "616263");
  EXPECT_EQ(eval("str(YWI),ub64dec,hex"), "6162");
  EXPECT_EQ(eval("str(YQ),ub64dec,hex"), "61");
  EXPECT_EQ(eval("str(YWJjZA),ub64dec,hex"), "61626364");
  EXPECT_EQ(eval("str(-_8),ub64dec,hex"), "FBFF");
  EXPECT_EQ(eval("str(),ub64dec,hex"), "");
  EXPECT_EQ(eval("str(Y),ub64dec,hex"), kNone);  // a length of 1 modulo 4
  EXPECT_EQ(eval("str(AAAAA),ub64dec,hex"), kNone);
  EXPECT_EQ(eval("str(+/8),ub64dec,hex"), kNone);  // the other alphabet
  EXPECT_EQ(eval_bin("41414180", "ub64dec,hex"), kNone);
  // HAProxy's table takes '=' as a digit worth 63, not as padding.
  EXPECT_EQ(eval("str(YQ==),ub64dec,hex"), "610FFF");
  EXPECT_EQ(eval("str(YQ=),ub64dec,hex"), "610F");
  EXPECT_EQ(eval("str(YW=j),ub64dec,hex"), "616FE3");
  EXPECT_EQ(eval_bin("3d3d3d3d", "ub64dec,hex"), "FFFFFF");
  EXPECT_EQ(eval_bin("414141414141", "ub64dec,hex"), "00000000");
}

TEST(ConverterText, UrlEnc) {
  EXPECT_EQ(eval("str(foo=bar+42 42 ),url_enc"), "foo%3Dbar%2B42%2042%20");
  EXPECT_EQ(eval("str(abc),url_enc(query)"), "abc");
  EXPECT_EQ(eval("str(abc),url_enc()"), "abc");
  EXPECT_EQ(eval("str(),url_enc"), "");
  EXPECT_EQ(eval_bin("610062", "url_enc"), "a");  // the string ends at the NUL
  EXPECT_EQ(eval_bin("0102031f207f80ff", "url_enc"), "%01%02%03%1F%20%7F%80%FF");
  EXPECT_EQ(eval_bin("2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40", "url_enc"),
            "%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40");
  EXPECT_EQ(eval_bin("4142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60", "url_enc"),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60");
  EXPECT_EQ(eval_bin("6162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80", "url_enc"),
            "abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%7F%80");
  EXPECT_NE(parse_error("str(abc),url_enc(path)").find("Allowed value is 'query'"),
            std::string::npos);
}

TEST(ConverterText, JsonAscii) {
  EXPECT_EQ(eval("str(abc),json"), "abc");
  EXPECT_EQ(eval("str(abc),json(ascii)"), "abc");
  EXPECT_EQ(eval("str(),json()"), "");
  EXPECT_EQ(eval("int(12),json"), "12");
  const std::string escaped = R"(\"\u0001\\\/\b\f\r\n\t\u007f\u0080\u00ffA)";
  EXPECT_EQ(eval_bin("22015c2f080c0d0a097f80ff41", "json"), escaped);
  EXPECT_EQ(eval_bin("22015c2f080c0d0a097f80ff41", "json(ascii)"), escaped);
  EXPECT_EQ(eval_bin("c3a9e282ac41", "json(ascii)"), R"(\u00c3\u00a9\u00e2\u0082\u00acA)");
  EXPECT_NE(parse_error("str(a),json(utf16)").find("Unexpected input code type"),
            std::string::npos);
}

TEST(ConverterText, JsonUtf8Decoders) {
  EXPECT_EQ(eval_bin("c3a9e282ac41", "json(utf8)"), R"(\u00e9\u20acA)");
  EXPECT_EQ(eval_bin("c2a0", "json(utf8)"), R"(\u00a0)");
  struct Case {
    const char* input;
    std::optional<std::string> utf8, utf8s, utf8p, utf8ps;
  } cases[] = {
      {"f09f988041", kNone, "A", kNone, "A"},      // above U+FFFF
      {"ff41", kNone, "A", kNone, "A"},            // a bad leading byte
      {"c0af41", kNone, "A", R"(\/A)", R"(\/A)"},  // overlong '/'
      {"eda08041", kNone, "A", kNone, "A"},        // a surrogate
      {"e28241", kNone, "A", kNone, "A"},          // a truncated sequence
  };
  for (const Case& c : cases) {
    EXPECT_EQ(eval_bin(c.input, "json(utf8)"), c.utf8) << c.input;
    EXPECT_EQ(eval_bin(c.input, "json(utf8s)"), c.utf8s) << c.input;
    EXPECT_EQ(eval_bin(c.input, "json(utf8p)"), c.utf8p) << c.input;
    EXPECT_EQ(eval_bin(c.input, "json(utf8ps)"), c.utf8ps) << c.input;
  }
  EXPECT_EQ(eval_bin("e282", "json(utf8s)"), "");
  EXPECT_EQ(eval_bin("80", "json(utf8s)"), "");
  EXPECT_EQ(eval_bin("efbfbf", "json(utf8)"), kNone);
  EXPECT_EQ(eval_bin("efbfbe", "json(utf8)"), kNone);
  EXPECT_EQ(eval_bin("f4908080", "json(utf8s)"), "");
  EXPECT_EQ(eval_bin("e08080", "json(utf8p)"), R"(\u0000)");
  EXPECT_EQ(eval_bin("f8888080", "json(utf8s)"), "");
}

TEST(ConverterVars, Iif) {
  EXPECT_EQ(eval("bool(1),iif(yes,no)"), "yes");
  EXPECT_EQ(eval("bool(0),iif(yes,no)"), "no");
  EXPECT_EQ(eval("int(5),iif(yes,no)"), "yes");
  EXPECT_EQ(eval("int(0),iif(yes,no)"), "no");
  EXPECT_EQ(eval("str(abc),iif(yes,no)"), "no");
  EXPECT_EQ(eval("str(0),iif(yes,no)"), "no");
  EXPECT_EQ(eval("str(),iif(yes,no)"), kNone);  // "" is no boolean
  EXPECT_EQ(eval("bool(1),iif(,no)"), "");
  EXPECT_NE(parse_error("bool(1),iif(yes)"), "");
}

TEST(ConverterVars, Concat) {
  FakeContext ctx;
  EXPECT_EQ(eval(ctx, "str(a),concat(<,txn.v,>)"), "a<>");
  EXPECT_EQ(eval(ctx, "str(a),concat(<)"), "a<");
  EXPECT_EQ(eval(ctx, "str(a),concat(,,)"), "a");
  EXPECT_EQ(eval(ctx, "int(3),concat(:,,:)"), "3::");
  set_var(ctx, "txn.v", str("X"));
  EXPECT_EQ(eval(ctx, "str(a),concat(<,txn.v,>)"), "a<X>");
  set_var(ctx, "txn.v", sint(-42));
  EXPECT_EQ(eval(ctx, "str(a),concat(,txn.v)"), "a-42");
  set_var(ctx, "txn.v", boolean(true));
  EXPECT_EQ(eval(ctx, "str(a),concat(,txn.v)"), "a1");
  set_var(ctx, "txn.v", bin(std::string("AB\0", 3)));
  EXPECT_EQ(eval(ctx, "str(a),concat(,txn.v)"), "aAB");
  EXPECT_EQ(eval(ctx, "str(a),concat(,txn.v),concat(,txn.v)"), "aABAB");
  ctx.var_stores[int(VarScope::kTxn)].unset(var("txn.v").id);
  EXPECT_EQ(eval(ctx, "str(a),concat(,txn.v)"), "a");
  // A constant where the variable goes is refused.
  EXPECT_NE(parse_error("str(a),concat(a,b,c)").find("failed to register variable name 'b'"),
            std::string::npos);
  EXPECT_EQ(parse_error("str(a),concat()"), "");
  EXPECT_EQ(parse_error("str(a),concat"), "");
  EXPECT_NE(parse_error("str(a),concat(a,,c,d)"), "");
}

TEST(ConverterVars, AddItem) {
  FakeContext ctx;
  EXPECT_EQ(eval(ctx, "str(a),add_item(-,txn.v)"), "a");
  EXPECT_EQ(eval(ctx, "str(a),add_item(-,txn.v,s)"), "a-s");
  EXPECT_EQ(eval(ctx, "str(a),add_item(-,,s)"), "a-s");
  EXPECT_EQ(eval(ctx, "str(),add_item(-,,s)"), "s");
  set_var(ctx, "txn.v", str("X"));
  EXPECT_EQ(eval(ctx, "str(a),add_item(-,txn.v,s)"), "a-Xs");
  EXPECT_EQ(eval(ctx, "str(),add_item(-,txn.v,s)"), "Xs");
  EXPECT_EQ(eval(ctx, "str(a),add_item(-,txn.v)"), "a-X");
  set_var(ctx, "txn.v", str(""));
  EXPECT_EQ(eval(ctx, "str(a),add_item(-,txn.v)"), "a");
  EXPECT_NE(parse_error("str(a),add_item(-)"), "");
  EXPECT_NE(parse_error("str(a),add_item(-,)").find("one of the optional arguments"),
            std::string::npos);
  EXPECT_NE(parse_error("str(a),add_item(-,,)"), "");
  EXPECT_NE(parse_error("str(a),add_item(-,bad)"), "");
}

TEST(ConverterVars, Strcmp) {
  FakeContext ctx;
  struct Case {
    const char* in;
    const char* var;
    const char* result;
  } cases[] = {
      {"abc", "abc", "0"}, {"abc", "abd", "-1"}, {"abd", "abc", "1"}, {"ab", "abc", "-1"},
      {"abc", "ab", "1"},  {"a", "z", "-25"},    {"z", "a", "25"}};  // strncmp(3)'s byte difference
  for (const Case& c : cases) {
    set_var(ctx, "txn.v", str(c.var));
    EXPECT_EQ(eval(ctx, std::string("str(") + c.in + "),strcmp(txn.v)"), c.result) << c.in;
  }
  set_var(ctx, "txn.v", sint(12));
  EXPECT_EQ(eval(ctx, "str(12),strcmp(txn.v)"), "0");
  set_var(ctx, "txn.v", str("5"));
  EXPECT_EQ(eval(ctx, "int(5),strcmp(txn.v)"), "0");
  EXPECT_EQ(eval(ctx, "str(abc),strcmp(txn.unset)"), kNone);
  EXPECT_NE(parse_error("str(a),strcmp()"), "");
  EXPECT_NE(parse_error("str(a),strcmp(foo)"), "");
}

TEST(ConverterVars, SecureMemcmp) {
  FakeContext ctx;
  set_var(ctx, "txn.v", str("abc"));
  EXPECT_EQ(eval(ctx, "str(abc),secure_memcmp(txn.v)"), "1");
  set_var(ctx, "txn.v", str("abd"));
  EXPECT_EQ(eval(ctx, "str(abc),secure_memcmp(txn.v)"), "0");
  set_var(ctx, "txn.v", str("ab"));
  EXPECT_EQ(eval(ctx, "str(abc),secure_memcmp(txn.v)"), "0");
  set_var(ctx, "txn.v", sint(1));
  EXPECT_EQ(eval(ctx, "int(1),secure_memcmp(txn.v)"), "1");  // both as 8 bytes
  set_var(ctx, "txn.v", bin(std::string("\0\xff", 2)));
  EXPECT_EQ(eval_bin(ctx, "00ff", "secure_memcmp(txn.v)"), "1");
  EXPECT_EQ(eval(ctx, "str(abc),secure_memcmp(txn.unset)"), kNone);
  EXPECT_NE(parse_error("str(a),secure_memcmp()"), "");
}

TEST(ConverterVars, SetVarPassesTheSampleOn) {
  FakeContext ctx;
  EXPECT_EQ(eval(ctx, "str(a),set-var(txn.x),concat(-,txn.x)"), "a-a");
  EXPECT_EQ(eval(ctx, "int(7),set-var(txn.x)"), "7");
  EXPECT_EQ(get_var(ctx, "txn.x"), "7");
  EXPECT_EQ(eval(ctx, "int(1),set-var(txn.x),concat(:,txn.x)"), "1:1");
  EXPECT_EQ(eval(ctx, "str(abc),sha1,set-var(txn.x),length"), "20");
  EXPECT_EQ(eval(ctx, "str(new),set-var(txn.x,ifset),concat(:,txn.x)"), "new:new");
  // Not checked against HAProxy: without variables here, the converter fails.
  ctx.no_vars = true;
  EXPECT_EQ(eval(ctx, "str(a),set-var(txn.x)"), kNone);
  EXPECT_EQ(eval(ctx, "str(a),unset-var(txn.x)"), kNone);
}

// Each case runs on fresh variables: `old` is txn.x's value before (nullopt:
// it does not exist); `result` is the converter's.
TEST(ConverterVars, SetVarConditions) {
  struct Case {
    const char* expr;
    std::optional<Sample> old;
    std::optional<std::string> result;
  } cases[] = {
      {"str(a),set-var(txn.x,ifexists)", std::nullopt, kNone},
      {"str(a),set-var(txn.x,ifexists)", str("old"), "a"},
      {"str(a),set-var(txn.x,ifnotexists)", str("old"), kNone},
      {"str(a),set-var(txn.x,ifnotexists)", std::nullopt, "a"},
      {"str(),set-var(txn.x,ifnotempty)", std::nullopt, kNone},
      {"str(),set-var(txn.x,ifempty)", std::nullopt, ""},
      {"int(1),set-var(txn.x,ifempty)", std::nullopt, kNone},  // scalars are never empty
      {"int(1),set-var(txn.x,ifnotempty)", std::nullopt, "1"},
      {"str(a),set-var(txn.x,ifset)", std::nullopt, kNone},
      {"str(a),set-var(txn.x,ifset)", str("old"), "a"},
      {"str(new),set-var(txn.x,ifnotset)", str("old"), kNone},
      {"int(5),set-var(txn.x,ifgt)", sint(10), "5"},
      {"int(15),set-var(txn.x,ifgt)", sint(10), kNone},
      {"int(15),set-var(txn.x,iflt)", sint(10), "15"},
      {"int(5),set-var(txn.x,iflt)", sint(10), kNone},
      {"int(5),set-var(txn.x,ifgt)", str("10"), "5"},  // only integers compare
      {"int(5),set-var(txn.x,ifgt,ifexists)", std::nullopt, kNone},
      {"int(5),set-var(txn.x,ifgt,ifexists)", sint(10), "5"},
  };
  for (const Case& c : cases) {
    FakeContext ctx;
    if (c.old) set_var(ctx, "txn.x", *c.old);
    EXPECT_EQ(eval(ctx, c.expr), c.result) << c.expr << (c.old ? " (set)" : "");
    if (c.result) {
      EXPECT_EQ(get_var(ctx, "txn.x"), *c.result) << c.expr;
    }
  }
}

// A failed set-var still creates the variable (unset), except with ifexists:
// HAProxy's var_set() creates it before testing the other conditions.
TEST(ConverterVars, FailedSetVarCreatesTheVariable) {
  struct Case {
    const char* expr;
    bool exists;
  } cases[] = {
      {"str(new),set-var(txn.x,ifset)", true},
      {"int(1),set-var(txn.x,ifempty)", true},
      {"str(b),set-var(txn.x,ifexists)", false},
      {"str(),set-var(txn.x,ifnotempty)", true},
  };
  for (const Case& c : cases) {
    FakeContext ctx;
    EXPECT_EQ(eval(ctx, c.expr), kNone) << c.expr;
    EXPECT_EQ(var_exists(ctx, "txn.x"), c.exists) << c.expr;
    EXPECT_EQ(get_var(ctx, "txn.x"), kNone) << c.expr;
  }
  FakeContext ctx;
  set_var(ctx, "txn.x", str("old"));
  EXPECT_EQ(eval(ctx, "str(new),set-var(txn.x,ifnotset)"), kNone);
  EXPECT_EQ(eval(ctx, "str(zz),concat(:,txn.x)"), "zz:old");
}

TEST(ConverterVars, UnsetVar) {
  FakeContext ctx;
  set_var(ctx, "txn.x", str("old"));
  EXPECT_EQ(eval(ctx, "str(a),unset-var(txn.x),concat(:,txn.x)"), "a:");
  EXPECT_EQ(get_var(ctx, "txn.x"), kNone);
  EXPECT_EQ(eval(ctx, "str(a),unset-var(txn.y)"), "a");
}

TEST(ConverterVars, SetVarParsing) {
  EXPECT_EQ(parse_error("str(a),set-var(txn.x,ifset,ifset,ifset,ifset)"), "");
  EXPECT_NE(parse_error("str(a),set-var(txn.x,nosuch)"), "");
  EXPECT_NE(parse_error("str(a),set-var(txn.x,)"), "");
  EXPECT_NE(parse_error("str(a),set-var(txn.x,ifset,ifset,ifset,ifset,ifset)"), "");
  EXPECT_NE(parse_error("str(a),set-var()"), "");
  EXPECT_NE(parse_error("str(a),set-var(foo)"), "");
  EXPECT_NE(parse_error("str(a),unset-var(txn.x,ifset)"), "");
}

TEST(ConverterVars, ArithmeticTakesVariables) {
  FakeContext ctx;
  set_var(ctx, "txn.v", sint(3));
  const std::pair<const char*, const char*> ops[] = {{"add", "8"}, {"sub", "2"}, {"mul", "15"},
                                                     {"div", "1"}, {"mod", "2"}, {"and", "1"},
                                                     {"or", "7"},  {"xor", "6"}};
  for (const auto& [op, result] : ops)
    EXPECT_EQ(eval(ctx, std::string("int(5),") + op + "(txn.v)"), result) << op;
  set_var(ctx, "req.v", sint(2));
  EXPECT_EQ(eval(ctx, "int(5),add(req.v)"), "7");
  // The variable is cast to an integer.
  set_var(ctx, "txn.v", str("7abc"));
  EXPECT_EQ(eval(ctx, "int(5),add(txn.v)"), "12");
  set_var(ctx, "txn.v", str("abc"));
  EXPECT_EQ(eval(ctx, "int(5),add(txn.v)"), "5");
  set_var(ctx, "txn.v", str(""));
  EXPECT_EQ(eval(ctx, "int(5),add(txn.v)"), kNone);
  set_var(ctx, "txn.v", boolean(true));
  EXPECT_EQ(eval(ctx, "int(5),add(txn.v)"), "6");
  EXPECT_EQ(eval(ctx, "int(5),add(txn.unset)"), kNone);
}

TEST(ConverterVars, ArithmeticConstants) {
  EXPECT_EQ(eval("int(5),add(-3)"), "2");
  EXPECT_EQ(eval("int(5),add(+3)"), "8");
  EXPECT_EQ(eval("int(5),add()"), "5");  // "" reads as 0
  EXPECT_EQ(eval("int(5),add(99999999999999999999)"), "9223372036854775807");
  EXPECT_EQ(eval("int(5),add(-99999999999999999999)"), "-9223372036854775803");
  EXPECT_NE(parse_error("int(5),add(3x)").find("expects an integer or a variable name"),
            std::string::npos);
  EXPECT_NE(parse_error("int(5),add(foo)"), "");
  EXPECT_NE(parse_error("int(5),add(txn.)"), "");
  EXPECT_NE(parse_error("int(5),add(0x10)"), "");
  // A proc variable that is not set reads as nothing: add() fails.
  EXPECT_EQ(parse_error("int(5),add(proc.never_set_anywhere)"), "");
}

TEST(ConverterTime, Utime) {
  EXPECT_EQ(eval("int(0),utime(%Y-%m-%d %H:%M:%S)"), "1970-01-01 00:00:00");
  EXPECT_EQ(eval("int(1700000000),utime(%Y%m%d%H%M%S)"), "20231114221320");
  EXPECT_EQ(eval("int(1700000000),utime(%Y%m%d%H%M%S,3600)"), "20231114231320");
  EXPECT_EQ(eval("int(1700000000),utime(%Y%m%d%H%M%S,-3600)"), "20231114211320");
  EXPECT_EQ(eval("int(1700000000),utime(%a %b %j %Z %%)"), "Tue Nov 318 GMT %");
  EXPECT_EQ(eval("int(1700000000),utime()"), "");
  // The date is masked to 55 bits: -1 is far in the future.
  EXPECT_EQ(eval("int(-1),utime(%Y%m%d%H%M%S)"), "11417090970613062607");
  EXPECT_EQ(eval("int(9223372036854775807),utime(%Y)"), "1141709097");
}

// Sets TZ for the scope of a test.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTz() {
    if (old_)
      setenv("TZ", old_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

// Checked against HAProxy run with TZ=Europe/Paris.
TEST(ConverterTime, Ltime) {
  ScopedTz tz("Europe/Paris");
  EXPECT_EQ(eval("int(1700000000),ltime(%Y%m%d%H%M%S %Z)"), "20231114231320 CET");
  EXPECT_EQ(eval("int(1700000000),ltime(%Y%m%d%H%M%S %Z,-7200)"), "20231114211320 CET");
  EXPECT_EQ(eval("int(1688000000),ltime(%Y%m%d%H%M%S %Z)"), "20230629025320 CEST");
}

TEST(ConverterTime, HttpDate) {
  EXPECT_EQ(eval("int(1700000000),http_date"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(eval("int(1700000000),http_date()"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(eval("int(1700000000),http_date(3600)"), "Tue, 14 Nov 2023 23:13:20 GMT");
  EXPECT_EQ(eval("int(1700000000),http_date(0,s)"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(eval("int(0),http_date"), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(eval("int(1700000000123),http_date(0,ms)"), "Tue, 14 Nov 2023 22:13:20.123 GMT");
  EXPECT_EQ(eval("int(1700000000123),http_date(1000,ms)"), "Tue, 14 Nov 2023 22:13:21.123 GMT");
  // HAProxy prints the fraction with %d.
  EXPECT_EQ(eval("int(1700000000012),http_date(0,ms)"), "Tue, 14 Nov 2023 22:13:20.12 GMT");
  EXPECT_EQ(eval("int(1700000000000012),http_date(0,us)"), "Tue, 14 Nov 2023 22:13:20.12 GMT");
  EXPECT_EQ(eval("int(-1500),http_date(0,ms)"), "Sun, 13 Jun 1141709097 06:26:07.-500 GMT");
  EXPECT_EQ(eval("int(-1),http_date"), "Sun, 13 Jun 1141709097 06:26:07 GMT");
  EXPECT_NE(parse_error("int(1),http_date(0,ns)").find("expects 's', 'ms' or 'us', got 'ns'"),
            std::string::npos);
  EXPECT_NE(parse_error("int(1),http_date(,ms)"), "");
}

}  // namespace
}  // namespace hearth::expr

namespace hearth::expr {
namespace {

// xxHash's published values for the empty input, and seeds that change them.
TEST(ConverterXxh, KnownValuesAndSeeds) {
  EXPECT_EQ(eval("bin(),xxh32"), "46947589");              // 0x02CC5D05
  EXPECT_EQ(eval("bin(),xxh64"), "-1205034819632174695");  // 0xEF46DB3751D8E999
  EXPECT_EQ(eval("bin(),xxh3"), "3244421341483603138");    // 0x2D06800538D394C2
  EXPECT_NE(eval("str(abc),xxh32"), eval("str(abc),xxh32(1)"));
  EXPECT_NE(eval("str(abc),xxh64"), eval("str(abc),xxh64(1)"));
  EXPECT_NE(eval("str(abc),xxh3"), eval("str(abc),xxh3(1)"));
  EXPECT_EQ(eval("str(abc),xxh3(0)"), eval("str(abc),xxh3"));
}

TEST(FetchCheck, SrvIsUpNamesAServer) {
  EXPECT_EQ(parse_error("srv_is_up(s1)"), "");
  EXPECT_EQ(parse_error("srv_is_up(be/s1)"), "");
  for (const char* bad : {"srv_is_up()", "srv_is_up(be/)", "srv_is_up(/s1)"})
    EXPECT_NE(parse_error(bad).find("[BACKEND/]SERVER"), std::string::npos) << bad;
  EXPECT_NE(parse_error("srv_is_up").find("srv_is_up"), std::string::npos);
}

}  // namespace
}  // namespace hearth::expr
