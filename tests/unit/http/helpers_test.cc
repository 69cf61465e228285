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

TEST(HopByHopTest, FixedSetAndConnectionListedNames) {
  ConnectionTokens tokens;
  ASSERT_TRUE(tokens.add_value("X-Secret, keep-alive"));
  for (const char* name :
       {"Connection", "keep-alive", "Proxy-Connection", "TE", "Upgrade", "x-secret"}) {
    EXPECT_TRUE(hop_by_hop(name, tokens)) << name;
  }
  for (const char* name : {"Accept", "Trailer", "Transfer-Encoding", "Content-Length", "Host"}) {
    EXPECT_FALSE(hop_by_hop(name, tokens)) << name;
  }
}

TEST(HopByHopTest, FramingFieldsSurviveBeingListedInConnection) {
  ConnectionTokens tokens;
  ASSERT_TRUE(tokens.add_value("Content-Length, Transfer-Encoding, Host, Cookie"));
  EXPECT_FALSE(hop_by_hop("content-length", tokens));
  EXPECT_FALSE(hop_by_hop("transfer-encoding", tokens));
  EXPECT_FALSE(hop_by_hop("host", tokens));
  EXPECT_TRUE(hop_by_hop("cookie", tokens));
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
