// protobuf, ungrpc and language compared with HAProxy 2.6: the same
// configuration through hearth and haproxy, the same requests, the answers
// (one response header each) compared exactly. The protobuf messages are
// the request body (option http-buffer-request): hand-made ones for the wire
// types, the value types and HAProxy's walk, then a few hundred generated
// ones (nested messages, cut short or with a byte changed, some framed as
// gRPC). The language cases are Accept-Language values read by req.fhdr.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

struct PbCase {
  std::string body;  // the message's bytes
  std::string conv;  // e.g. "protobuf(1.2,int32)"; raw values get ",hex"
};

const char* const kHandMade[][2] = {
    {"0801", "protobuf(1,int32)"},
    {"0801", "protobuf(1)"},
    {"08ac02", "protobuf(1)"},
    {"0a03080102", "protobuf(1)"},
    {"0a03080102", "protobuf(1.1,int32)"},
    {"02020801", "protobuf(.1,int32)"},
    {"0a0402020801", "protobuf(1..1,int32)"},
    {"0801", "protobuf(4294967297,int32)"},
    {"090102030405060708", "protobuf(1)"},
    {"0d01020304", "protobuf(1)"},
    {"0d010203", "protobuf(1)"},
    {"0a05", "protobuf(1)"},
    {"0b0801", "protobuf(1)"},
    {"08ffffffffffffffffff01", "protobuf(1,int32)"},
    {"08ffffffffffffffffff01", "protobuf(1,sint32)"},
    {"08ffffffffffffffffff01", "protobuf(1)"},
    {"08ffffffffffffffffffff01", "protobuf(1)"},
    {"0803", "protobuf(1,sint64)"},
    {"1002", "protobuf(2,bool)"},
    {"1096", "protobuf(2,enum)"},
    {"109601", "protobuf(2,uint32)"},
    {"09ffffffffffffffff", "protobuf(1,fixed64)"},
    {"09ffffffffffffffff", "protobuf(1,sfixed64)"},
    {"0dffffffff", "protobuf(1,fixed32)"},
    {"0dffffffff", "protobuf(1,sfixed32)"},
    {"099a99999999990d40", "protobuf(1,double)"},
    {"099a99999999990dc0", "protobuf(1,double)"},
    {"09003d9160e458e143", "protobuf(1,double)"},
    {"09000000000000f07f", "protobuf(1,double)"},
    {"09000000000000f87f", "protobuf(1,double)"},
    {"0900a138149b39ef43", "protobuf(1,double)"},
    {"0dcdcc6c40", "protobuf(1,float)"},
    {"0dcdcc6cc0", "protobuf(1,float)"},
    {"0df9021550", "protobuf(1,float)"},
    {"0d000080ff", "protobuf(1,float)"},
    {"0801", "protobuf(1,fixed32)"},
    {"0d01020304", "protobuf(1,int64)"},
    {"0a020801", "protobuf(1,int32)"},
    {"820307da0304080110028a0307da030408031004", "protobuf(48.59.1,int32)"},
    {"820307da0304080110028a0307da030408031004", "protobuf(49.59.2,int32)"},
    {"820307da0304080110028a0307da030408031004", "protobuf(49.59)"},
    {"0808", "protobuf(1.1,int32)"},
    {"08081001", "protobuf(1.1,int32)"},
    {"0a041a001005", "protobuf(1.2,int32)"},
    {"0a0410051a00", "protobuf(1.2,int32)"},
    {"0a021a000a021007", "protobuf(1.2,int32)"},
    {"0000000002080100000000020802", "ungrpc(1,int32)"},
    {"00000000030a01010000000208020000000002", "ungrpc(1,int32)"},
    {"00000000030a01010000000208020000000002", "ungrpc(1)"},
    {"010000000208050000000001", "ungrpc(1,int32)"},
    {"000000000208", "ungrpc(1,int32)"},
    {"00000000000000000002080a", "ungrpc(1,int32)"},
    {"0000000006820307da03", "ungrpc(48.59)"},
};

// Generated messages: fields 0 to 3 and 300 of every wire type, nested up
// to 3 deep, then maybe cut, changed or extended by a byte.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  PbCase next() {
    static const char* const kTypes[] = {"int32",  "uint32",  "sint32",   "int64",   "uint64",
                                         "sint64", "bool",    "enum",     "fixed32", "sfixed32",
                                         "float",  "fixed64", "sfixed64", "double"};
    const bool grpc = pick(4) == 0;
    std::string body;
    if (grpc) {
      for (int i = 0, n = 1 + pick(3); i < n; ++i) {
        const std::string m = mutate(message(0));
        size_t len = m.size();
        if (pick(10) == 0) len = len + pick(3) > 1 ? len + pick(3) - 1 : 0;
        body += '\0';
        for (int s = 24; s >= 0; s -= 8) body += char((len >> s) & 0xff);
        body += m;
      }
    } else {
      body = mutate(message(0));
    }
    std::string path;
    static const int kNums[] = {1, 1, 2, 2, 3, 0};
    for (int i = 0, n = 1 + pick(6) / 3; i < n; ++i)
      path += (i ? "." : "") + std::to_string(kNums[pick(6)]);
    const int t = pick(19);
    return {body, std::string(grpc ? "ungrpc(" : "protobuf(") + path +
                      (t < 14 ? std::string(",") + kTypes[t] : "") + ")"};
  }

 private:
  int pick(int n) { return int(rng_() % uint32_t(n)); }
  static std::string varint(uint64_t v) {
    std::string out;
    do {
      out += char((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v >>= 7;
    } while (v);
    return out;
  }
  std::string bytes(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += char(rng_() & 0xff);
    return out;
  }
  std::string message(int depth) {
    static const uint64_t kNums[] = {1, 1, 2, 2, 3, 0, 300};
    static const uint64_t kValues[] = {0, 1, 150, ~uint64_t(0), ~uint64_t(1), uint64_t(1) << 63};
    std::string out;
    for (int i = 0, n = pick(5); i < n; ++i) {
      const uint64_t num = kNums[pick(7)];
      switch (pick(6)) {
        case 0:
        case 1:
          out += varint(num << 3) + varint(pick(2) ? kValues[pick(6)] : rng_());
          break;
        case 2:
          out += varint(num << 3 | 1) + bytes(8);
          break;
        case 3:
          out += varint(num << 3 | 5) + bytes(4);
          break;
        default: {
          const std::string sub = depth < 3 && pick(10) < 7 ? message(depth + 1) : bytes(pick(5));
          out += varint(num << 3 | 2) + varint(sub.size()) + sub;
        }
      }
    }
    return out;
  }
  std::string mutate(std::string m) {
    const int r = pick(20);
    if (r < 3 && !m.empty()) return m.substr(0, size_t(pick(int(m.size()))));
    if (r < 5 && !m.empty()) m[size_t(pick(int(m.size())))] = char(rng_() & 0xff);
    if (r == 5) m += "\x0a\x08\x09\x0d\x80"[pick(5)];
    return m;
  }
  std::mt19937 rng_;
};

std::vector<PbCase> pb_cases() {
  std::vector<PbCase> cases;
  for (const auto& c : kHandMade) cases.push_back({unhex(c[0]), c[1]});
  Generator g(20261202);
  for (int i = 0; i < 300; ++i) cases.push_back(g.next());
  return cases;
}

struct LangCase {
  const char* args;
  const char* value;
};

const char* const kLists[] = {"es;fr;en", "en;en-US", "en-US;en", "fr;en,def", "*;en", ";fr,dflt"};
// Each value ends with an item that has no weight: HAProxy reads the byte
// after a weight's digits even at the end of the value, outside it.
const char* const kValues[] = {
    "en",
    "en-US",
    "fr;q=0.8,en;q=0.9,x",
    "fr;q=0.9,en;q=0.9,x",
    "fr;q=0,en;q=0,x",
    "fr;q=0,en",
    "fr;q=0.,en",
    "fr;q=0.5,es;q=0.50,en;q=0.500,x",
    "en-us",
    "*",
    "*;q=0.5,fr;q=0.4,x",
    "de,fr;q=0.2,x",
    "de",
    "  fr ; q = 0.7 , en ; q=0.6,x",
    "fr;level=1,en",
    "fr;q=1.5,en",
    "fr;q=.9,en;q=0.5,x",
    "fr;q=0.1234,en;q=0.123,x",
    "fr;q=0.0001,en;q=0,x",
    "fr x,en;q=0.1,x",
    "fr-CA-x;q=0.3,en-GB;q=0.2,x",
    ",,;,fr;q=0.1,x",
    ";q=0.5,fr",
    "-x;q=0.6,fr;q=0.5,x",
    "fr;q=a,en",
    "fr;Q=0.1,en;q=0.2,x",
    "fr;q=0.3;q=0.9,en;q=0.5,x",
    "es;q=0.9,fr;q=0.9,en;q=0.95,x",
    "fr;q",
};

std::string config(uint16_t port, const std::vector<std::string>& convs) {
  std::string c =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n  option http-buffer-request\n";
  for (size_t i = 0; i < convs.size(); ++i) {
    const bool lang = convs[i].rfind("language", 0) == 0;
    const bool raw = !lang && convs[i].find(',') == std::string::npos;  // bytes: in hex
    c += "  http-request return status 200 hdr x \"<%[" +
         std::string(lang ? "req.fhdr(accept-language)," : "req.body,") + convs[i] +
         (raw ? ",hex" : "") + "]>\" if { path /" + std::to_string(i) + " }\n";
  }
  return c;
}

// Returns: the x header of each request, in order.
std::vector<std::string> run(const std::string& binary, const std::vector<std::string>& convs,
                             const std::vector<std::pair<size_t, std::string>>& pb,
                             const std::vector<std::pair<size_t, std::string>>& lang) {
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(config(port, convs), opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  HttpClient c(port);
  for (const auto& [rule, body] : pb) {
    HttpResponse r = c.request("POST", "/" + std::to_string(rule), {}, body);
    out.push_back(r.header("x").value_or("(none)"));
  }
  for (const auto& [rule, value] : lang) {
    HttpResponse r = c.request("GET", "/" + std::to_string(rule), {"accept-language: " + value});
    out.push_back(r.header("x").value_or("(none)"));
  }
  return out;
}

TEST(PbufLanguageVsHAProxy, SameAnswers) {
  std::vector<std::string> convs;
  std::map<std::string, size_t> rule_of;
  auto rule = [&](const std::string& conv) {
    auto [it, added] = rule_of.emplace(conv, convs.size());
    if (added) convs.push_back(conv);
    return it->second;
  };
  std::vector<std::pair<size_t, std::string>> pb, lang;
  for (const PbCase& c : pb_cases()) pb.emplace_back(rule(c.conv), c.body);
  for (const char* l : kLists)
    for (const char* v : kValues) lang.emplace_back(rule(std::string("language(") + l + ")"), v);

  const std::vector<std::string> ours = run("", convs, pb, lang);
  const std::vector<std::string> theirs = run("haproxy", convs, pb, lang);
  ASSERT_EQ(ours.size(), pb.size() + lang.size());
  ASSERT_EQ(theirs.size(), ours.size());
  size_t found = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    const std::string what =
        i < pb.size() ? convs[pb[i].first]
                      : convs[lang[i - pb.size()].first] + " on " + lang[i - pb.size()].second;
    EXPECT_EQ(ours[i], theirs[i]) << i << ": " << what;
    found += ours[i] != "<>";
  }
  // The cases find something often enough to mean something.
  EXPECT_GT(found, ours.size() / 4);
  // A few answers written out, as the manual's example reads them.
  EXPECT_EQ(ours[38], "<1>");  // Rectangle: lo's latitude
  EXPECT_EQ(ours[39], "<4>");  // hi's longitude
  EXPECT_EQ(ours[40], "<08031004>");
  EXPECT_EQ(ours[pb.size() + 2], "<en>");
}

}  // namespace
}  // namespace hearth::test::http
