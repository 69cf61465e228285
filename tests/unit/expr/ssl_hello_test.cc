// The TLS ClientHello reader behind req.ssl_hello_type, req.ssl_ver,
// req.ssl_sni, req.ssl_alpn, req.ssl_ec_ext and req.ssl_st_ext: real hellos captured from openssl
// s_client, every truncation of them, and hand-made broken ones.
#include "expr/ssl_hello.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::expr {
namespace {

// openssl s_client (OpenSSL 3) tls13_sni, captured from a plain TCP listener.
const char* const kTls13Sni =
    "160301013a01000136030310367874e5c0f1c7ed33b4e1243d2fe1b6643cf4781db03c93b7516207"
    "c844d520b2409cd1853a831c5f931e83f85d261547543f6bbdefa2baf42c6694ca52357b003e1302"
    "13031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039"
    "c009c0130033009d009c003d003c0035002f00ff010000af00000012001000000d612e6578616d70"
    "6c652e636f6d000b000403000102000a00160014001d0017001e0019001801000101010201030104"
    "002300000016000000170000000d002a0028040305030603080708080809080a080b080408050806"
    "040105010601030303010302040205020602002b0009080304030303020301002d00020101003300"
    "260024001d002024bddd4499b93dda33665458b4111bfcd2a2a5a55477522e3bb32d9de51ef179";

// openssl s_client (OpenSSL 3) tls12_sni, captured from a plain TCP listener.
const char* const kTls12Sni =
    "16030100cd010000c9030359f00cd292863d4afcdf0830a76431911023b5d5627772834d97265f2f"
    "68dcfd000038c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac014"
    "0039c009c0130033009d009c003d003c0035002f00ff0100006800000012001000000d622e657861"
    "6d706c652e636f6d000b000403000102000a000c000a001d0017001e001900180023000000160000"
    "00170000000d002a0028040305030603080708080809080a080b0804080508060401050106010303"
    "03010302040205020602";

// openssl s_client (OpenSSL 3) nosni, captured from a plain TCP listener.
const char* const kNosni =
    "16030101240100012003035796d1528c46f4ad82524126c6520160cd4f48501385312253e22e22f5"
    "39b0a420def75cfa3fb9a55b6952ba8c6d584feecc482429410d266453c27e0c34a9431e003e1302"
    "13031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039"
    "c009c0130033009d009c003d003c0035002f00ff01000099000b000403000102000a00160014001d"
    "0017001e0019001801000101010201030104002300000016000000170000000d002a002804030503"
    "0603080708080809080a080b080408050806040105010601030303010302040205020602002b0009"
    "080304030303020301002d00020101003300260024001d002019e3af38ff18d2024328d2fbb7a324"
    "5411bcce5dd86f03af0ddaf9063f5bd148";

std::string unhex(const char* h) {
  std::string out;
  for (size_t i = 0; h[i] && h[i + 1]; i += 2)
    out.push_back(char(std::stoi(std::string(h + i, 2), nullptr, 16)));
  return out;
}

TEST(SslHello, RealHellos) {
  std::string_view sni;
  int type = 0;
  uint32_t ver = 0;
  const std::string a = unhex(kTls13Sni), b = unhex(kTls12Sni), none = unhex(kNosni);
  ASSERT_EQ(ssl_hello_sni(a, &sni), HelloStatus::kOk);
  EXPECT_EQ(sni, "a.example.com");
  ASSERT_EQ(ssl_hello_sni(b, &sni), HelloStatus::kOk);
  EXPECT_EQ(sni, "b.example.com");
  EXPECT_EQ(ssl_hello_sni(none, &sni), HelloStatus::kInvalid);
  for (const std::string* h : {&a, &b, &none}) {
    ASSERT_EQ(ssl_hello_type(*h, &type), HelloStatus::kOk);
    EXPECT_EQ(type, 1);
    ASSERT_EQ(ssl_record_version(*h, &ver), HelloStatus::kOk);
    EXPECT_EQ(ver, 0x30001u);  // OpenSSL 3 writes TLS 1.0 in the record layer
  }
  // Bytes after the first record change nothing.
  const std::string more = a + "\x17\x03\x03garbage";  // sni points into it
  ASSERT_EQ(ssl_hello_sni(more, &sni), HelloStatus::kOk);
  EXPECT_EQ(sni, "a.example.com");
}

// Every prefix of a hello is incomplete, never an answer nor a crash.
TEST(SslHello, EveryPrefixIsIncomplete) {
  const std::string a = unhex(kTls13Sni);
  std::string_view sni;
  int type;
  uint32_t ver;
  for (size_t n = 0; n < a.size(); ++n) {
    const std::string_view p(a.data(), n);
    EXPECT_EQ(ssl_hello_sni(p, &sni), HelloStatus::kIncomplete) << n;
    EXPECT_EQ(ssl_hello_type(p, &type), HelloStatus::kIncomplete) << n;
    EXPECT_EQ(ssl_record_version(p, &ver), HelloStatus::kIncomplete) << n;
  }
}

TEST(SslHello, NotTlsIsInvalid) {
  std::string_view sni;
  int type;
  EXPECT_EQ(ssl_hello_sni("GET / HTTP/1.1\r\n", &sni), HelloStatus::kInvalid);
  EXPECT_EQ(ssl_hello_type("GET / HTTP/1.1\r\n", &type), HelloStatus::kInvalid);
  EXPECT_EQ(ssl_hello_type(std::string("\x16\x02", 2), &type), HelloStatus::kInvalid);
  // A record too short for a handshake header.
  EXPECT_EQ(ssl_hello_type(std::string("\x16\x03\x01\x00\x02\x01\x00", 7), &type),
            HelloStatus::kInvalid);
}

// Lengths inside the record that point past it: invalid, never read.
TEST(SslHello, LyingLengthsAreInvalid) {
  std::string a = unhex(kTls13Sni);
  std::string_view sni;
  std::string h = a;
  h[6] = char(0xff);  // handshake length larger than the record
  EXPECT_EQ(ssl_hello_sni(h, &sni), HelloStatus::kInvalid);
  h = a;
  h[5 + 4 + 2 + 32] = char(0xff);  // session id length
  EXPECT_EQ(ssl_hello_sni(h, &sni), HelloStatus::kInvalid);
  h = a;
  h[5] = 2;  // a ServerHello
  int type;
  EXPECT_EQ(ssl_hello_sni(h, &sni), HelloStatus::kInvalid);
  ASSERT_EQ(ssl_hello_type(h, &type), HelloStatus::kOk);
  EXPECT_EQ(type, 2);
  // A record length of 65535 with 300 bytes: still waiting, bounded.
  h = a;
  h[3] = char(0xff);
  h[4] = char(0xff);
  EXPECT_EQ(ssl_hello_sni(h, &sni), HelloStatus::kIncomplete);
}

// A hand-built hello whose server_name list holds a non-host entry first.
TEST(SslHello, HandBuiltServerNameList) {
  auto u16 = [](size_t n) { return std::string{char(n >> 8), char(n & 0xff)}; };
  const std::string names =
      std::string("\x01", 1) + u16(3) + "abc" + std::string("\x00", 1) + u16(5) + "x.org";
  const std::string ext = u16(0) + u16(names.size() + 2) + u16(names.size()) + names;
  std::string hello = std::string("\x03\x03", 2) + std::string(32, 'r') + std::string("\x00", 1) +
                      u16(2) + std::string("\x13\x01", 2) + std::string("\x01\x00", 2) +
                      u16(ext.size()) + ext;
  const std::string hs =
      std::string("\x01", 1) + std::string("\x00", 1) + u16(hello.size()) + hello;
  const std::string rec = std::string("\x16\x03\x01", 3) + u16(hs.size()) + hs;
  std::string_view sni;
  ASSERT_EQ(ssl_hello_sni(rec, &sni), HelloStatus::kOk);
  EXPECT_EQ(sni, "x.org");
}

// A hand-built hello with the given extensions block.
std::string hello_with(const std::string& exts) {
  auto u16 = [](size_t n) { return std::string{char(n >> 8), char(n & 0xff)}; };
  std::string hello = std::string("\x03\x03", 2) + std::string(32, 'r') + std::string("\x00", 1) +
                      u16(2) + std::string("\x13\x01", 2) + std::string("\x01\x00", 2);
  hello += u16(exts.size()) + exts;
  const std::string hs = std::string("\x01\x00", 2) + u16(hello.size()) + hello;
  return std::string("\x16\x03\x01", 3) + u16(hs.size()) + hs;
}

std::string ext(uint16_t type, const std::string& body) {
  return std::string{char(type >> 8), char(type & 0xff), char(body.size() >> 8),
                     char(body.size() & 0xff)} +
         body;
}

TEST(SslHello, AlpnGivesTheFirstProtocol) {
  // "h2", "http/1.1": HAProxy's req.ssl_alpn gives "h2".
  const std::string list = std::string("\x02", 1) + "h2" + std::string("\x08", 1) + "http/1.1";
  const std::string body = std::string{0, char(list.size())} + list;
  std::string_view p;
  const std::string h = hello_with(ext(0, std::string(2, '\0')) + ext(16, body));
  ASSERT_EQ(ssl_hello_alpn(h, &p), HelloStatus::kOk);
  EXPECT_EQ(p, "h2");
  for (size_t n = 0; n < h.size(); ++n)
    EXPECT_EQ(ssl_hello_alpn(std::string_view(h.data(), n), &p), HelloStatus::kIncomplete) << n;
  // No ALPN, an empty list, a protocol longer than the list: no sample.
  EXPECT_EQ(ssl_hello_alpn(unhex(kTls13Sni), &p), HelloStatus::kInvalid);
  EXPECT_EQ(ssl_hello_alpn(hello_with(ext(16, std::string(2, '\0'))), &p), HelloStatus::kInvalid);
  const std::string lying = std::string("\x00\x03\x09h2x", 6);
  EXPECT_EQ(ssl_hello_alpn(hello_with(ext(16, lying)), &p), HelloStatus::kInvalid);
}

TEST(SslHello, ExtensionsFoundOrAbsent) {
  bool found = true;
  std::string_view body;
  // OpenSSL's hellos carry supported_groups (10) and an empty session_ticket (35).
  for (const char* hex : {kTls13Sni, kTls12Sni, kNosni}) {
    const std::string h = unhex(hex);
    ASSERT_EQ(ssl_hello_extension(h, 10, &found, &body), HelloStatus::kOk);
    EXPECT_TRUE(found);
    EXPECT_FALSE(body.empty());
    ASSERT_EQ(ssl_hello_extension(h, 35, &found, &body), HelloStatus::kOk);
    EXPECT_TRUE(found);
    EXPECT_TRUE(body.empty());
    ASSERT_EQ(ssl_hello_extension(h, 0x7777, &found, &body), HelloStatus::kOk);
    EXPECT_FALSE(found);
  }
  // A ticket being resumed: a non-empty session_ticket.
  const std::string resumed = hello_with(ext(35, "tkt"));  // body views it
  ASSERT_EQ(ssl_hello_extension(resumed, 35, &found, &body), HelloStatus::kOk);
  EXPECT_TRUE(found);
  EXPECT_EQ(body, "tkt");
  // Not a hello: no answer either way.
  EXPECT_EQ(ssl_hello_extension("GET / HTTP/1.1\r\n", 10, &found, &body), HelloStatus::kInvalid);
}

}  // namespace
}  // namespace hearth::expr
