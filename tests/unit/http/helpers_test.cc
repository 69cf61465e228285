// Methods, status phrases, error responses, Connection and hop-by-hop rules.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "http/connection.h"
#include "http/head_parser.h"
#include "http/headers.h"
#include "http/method.h"
#include "http/status.h"

namespace hearth::http {
namespace {

TEST(MethodTest, ParseAndName) {
  EXPECT_EQ(parse_method("GET"), Method::kGet);
  EXPECT_EQ(parse_method("CONNECT"), Method::kConnect);
  EXPECT_EQ(parse_method("PATCH"), Method::kPatch);
  EXPECT_EQ(parse_method("Get"), Method::kOther);
  EXPECT_EQ(parse_method("GETX"), Method::kOther);
  EXPECT_EQ(method_name(Method::kDelete), "DELETE");
  EXPECT_EQ(method_name(Method::kOther), "");
}

TEST(MethodTest, IdempotentMethodsPerRfc9110) {
  for (Method m : {Method::kGet, Method::kHead, Method::kOptions, Method::kTrace, Method::kPut,
                   Method::kDelete}) {
    EXPECT_TRUE(is_idempotent(m)) << method_name(m);
  }
  for (Method m : {Method::kPost, Method::kPatch, Method::kConnect, Method::kOther}) {
    EXPECT_FALSE(is_idempotent(m)) << method_name(m);
  }
}

TEST(StatusTest, ReasonPhrasesForProxyStatuses) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(400), "Bad Request");
  EXPECT_EQ(reason_phrase(403), "Forbidden");
  EXPECT_EQ(reason_phrase(408), "Request Timeout");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(414), "URI Too Long");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(500), "Internal Server Error");
  EXPECT_EQ(reason_phrase(501), "Not Implemented");
  EXPECT_EQ(reason_phrase(502), "Bad Gateway");
  EXPECT_EQ(reason_phrase(503), "Service Unavailable");
  EXPECT_EQ(reason_phrase(504), "Gateway Timeout");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(799), "Unknown");
}

TEST(StatusTest, ErrorResponseWithDefaultBody) {
  char buf[256];
  const size_t n = write_error_response(400, "", buf, sizeof(buf));
  EXPECT_EQ(std::string(buf, n),
            "HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\ncontent-type: text/plain\r\n"
            "connection: close\r\n\r\nBad Request\n");
}

TEST(StatusTest, ErrorResponseWithCustomBody) {
  char buf[256];
  const size_t n = write_error_response(503, "no server available\n", buf, sizeof(buf));
  EXPECT_EQ(std::string(buf, n),
            "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 20\r\n"
            "content-type: text/plain\r\nconnection: close\r\n\r\nno server available\n");
}

TEST(StatusTest, ErrorResponseThatDoesNotFitWritesNothing) {
  char buf[64];
  std::memset(buf, 'z', sizeof(buf));
  EXPECT_EQ(write_error_response(431, "", buf, sizeof(buf)), 0u);
  const size_t full = write_error_response(502, "", nullptr, 0);
  EXPECT_EQ(full, 0u);
  char exact[105];
  EXPECT_EQ(write_error_response(502, "", exact, sizeof(exact)), 105u);
  EXPECT_EQ(write_error_response(502, "", exact, sizeof(exact) - 1), 0u);
}

TEST(HeadersTest, FindAndCountIgnoreCase) {
  const HeaderField fields[] = {{"Set-Cookie", "a=1"}, {"Host", "x"}, {"set-cookie", "b=2"}};
  const Headers headers(fields, 3);
  EXPECT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers.count("SET-COOKIE"), 2u);
  EXPECT_EQ(headers.count("cookie"), 0u);
  ASSERT_NE(headers.find("set-cookie"), nullptr);
  EXPECT_EQ(headers.find("set-cookie")->value, "a=1");
  EXPECT_TRUE(iequals("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(iequals("Content-Length", "Content-Lengt"));
}

TEST(HeadersTest, ListCursorTrimsAndKeepsEmptyElements) {
  ListCursor cursor(" a ,\tb,, c ");
  std::string_view e;
  std::string seen;
  while (cursor.next(&e)) seen += "[" + std::string(e) + "]";
  EXPECT_EQ(seen, "[a][b][][c]");
}

TEST(ConnectionTokensTest, ParsesOptions) {
  ConnectionTokens tokens;
  EXPECT_TRUE(tokens.add_value("close, Upgrade"));
  EXPECT_TRUE(tokens.add_value("X-Secret ,upgrade"));
  EXPECT_TRUE(tokens.close());
  EXPECT_TRUE(tokens.upgrade());
  EXPECT_FALSE(tokens.keep_alive());
  EXPECT_EQ(tokens.size(), 3u);
  EXPECT_TRUE(tokens.contains("x-secret"));
  EXPECT_FALSE(tokens.contains("x-other"));
  EXPECT_FALSE(tokens.add_value("bad token"));
}

// hop_by_hop() of a field as a rule adds it (name unclassified) and as the
// parser gives it (classified): both must agree.
bool hop(std::string_view name, const ConnectionTokens& tokens) {
  const bool plain = hop_by_hop(HeaderField{name, "v"}, tokens);
  EXPECT_EQ(plain, hop_by_hop(HeaderField{name, "v", classify_field_name(name)}, tokens)) << name;
  return plain;
}

TEST(ClassifyFieldNameTest, KnownNamesAnyCaseOthersAreOther) {
  EXPECT_EQ(classify_field_name("Content-Length"), FieldName::kContentLength);
  EXPECT_EQ(classify_field_name("TRANSFER-ENCODING"), FieldName::kTransferEncoding);
  EXPECT_EQ(classify_field_name("connection"), FieldName::kConnection);
  EXPECT_EQ(classify_field_name("Keep-Alive"), FieldName::kKeepAlive);
  EXPECT_EQ(classify_field_name("Proxy-Connection"), FieldName::kProxyConnection);
  EXPECT_EQ(classify_field_name("tE"), FieldName::kTe);
  EXPECT_EQ(classify_field_name("Host"), FieldName::kHost);
  EXPECT_EQ(classify_field_name("Upgrade"), FieldName::kUpgrade);
  EXPECT_EQ(classify_field_name("Expect"), FieldName::kExpect);
  for (const char* other : {"", "Date", "hosts", "content-lengths", "Content-Type", "Connectio_"})
    EXPECT_EQ(classify_field_name(other), FieldName::kOther) << other;
}

// Every byte value at every position of every known name: the name is
// recognised exactly when it still equals the known one ignoring case.
TEST(ClassifyFieldNameTest, AnyOneByteChangeAgreesWithIequals) {
  const std::pair<const char*, FieldName> known[] = {
      {"te", FieldName::kTe},
      {"host", FieldName::kHost},
      {"expect", FieldName::kExpect},
      {"upgrade", FieldName::kUpgrade},
      {"connection", FieldName::kConnection},
      {"keep-alive", FieldName::kKeepAlive},
      {"content-length", FieldName::kContentLength},
      {"proxy-connection", FieldName::kProxyConnection},
      {"transfer-encoding", FieldName::kTransferEncoding}};
  for (const auto& [lit, id] : known) {
    const std::string base(lit);
    for (size_t i = 0; i < base.size(); ++i) {
      for (int c = 0; c < 256; ++c) {
        std::string name = base;
        name[i] = static_cast<char>(c);
        const FieldName want = iequals(name, base) ? id : FieldName::kOther;
        ASSERT_EQ(classify_field_name(name), want) << base << " byte " << i << " = " << c;
      }
    }
  }
}

TEST(HopByHopTest, FixedSetAndConnectionListedNames) {
  ConnectionTokens tokens;
  ASSERT_TRUE(tokens.add_value("X-Secret, keep-alive"));
  for (const char* name :
       {"Connection", "keep-alive", "Proxy-Connection", "TE", "Upgrade", "x-secret"}) {
    EXPECT_TRUE(hop(name, tokens)) << name;
  }
  for (const char* name : {"Accept", "Trailer", "Transfer-Encoding", "Content-Length", "Host"}) {
    EXPECT_FALSE(hop(name, tokens)) << name;
  }
}

TEST(HopByHopTest, CloseNamesAFieldKeepAliveAndUpgradeNameOnlyFixedOnes) {
  ConnectionTokens plain;
  ASSERT_TRUE(plain.add_value("keep-alive, Upgrade"));
  EXPECT_FALSE(plain.names_other_fields());
  EXPECT_FALSE(hop("Close", plain));
  EXPECT_TRUE(hop("Keep-Alive", plain));
  ConnectionTokens closing;
  ASSERT_TRUE(closing.add_value("close"));
  EXPECT_TRUE(closing.close() && closing.names_other_fields());
  EXPECT_TRUE(hop("Close", closing));
  EXPECT_FALSE(hop("Date", closing));
}

TEST(HopByHopTest, FramingFieldsSurviveBeingListedInConnection) {
  ConnectionTokens tokens;
  ASSERT_TRUE(tokens.add_value("Content-Length, Transfer-Encoding, Host, Cookie"));
  EXPECT_FALSE(hop("content-length", tokens));
  EXPECT_FALSE(hop("transfer-encoding", tokens));
  EXPECT_FALSE(hop("host", tokens));
  EXPECT_TRUE(hop("cookie", tokens));
}

TEST(FindHeadEndTest, OffsetJustPastTheBlankLine) {
  constexpr size_t npos = std::string_view::npos;
  EXPECT_EQ(find_head_end("HTTP/1.1 100 Continue\r\n\r\nHTTP", 0), 25u);
  EXPECT_EQ(find_head_end("a\n\nb", 0), 3u);      // bare LF: still found
  EXPECT_EQ(find_head_end("a\n\r\nb", 0), 4u);
  EXPECT_EQ(find_head_end("a\r\nb: c\r\n", 0), npos);  // no blank line yet
  EXPECT_EQ(find_head_end("a\r\n\r", 0), npos);         // its end not here yet
  EXPECT_EQ(find_head_end("a\r\n\r\nb\r\n\r\n", 5), 10u);  // from skips the first
  EXPECT_EQ(find_head_end("", 0), npos);
}

}  // namespace
}  // namespace hearth::http
