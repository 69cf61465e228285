// stream/head_reader: finding and parsing a head in a connection's input buffer.
#include "mux/h1_head_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::mux {
namespace {

using http::ParseStatus;

void set(Buffer& b, std::string_view s) {
  b.clear();
  ASSERT_EQ(b.append(s.data(), s.size()), s.size());
}

// The plain sequence: search for the end of the head, then parse if found.
template <typename Head>
BufferedHead reference(http::HeadParser& p, const Buffer& in, size_t* scan_pos, Head* out) {
  BufferedHead h;
  if constexpr (std::is_same_v<Head, http::RequestHead>) {
    // Bytes that cannot begin a request are answered at once (first look).
    if (*scan_pos == 0) {
      p.reset();
      h.result = p.parse_request(std::string_view(in.head(), in.len()), out);
      p.reset();
      if (is_bad_method(h.result)) {
        h.complete = true;
        return h;
      }
      h = BufferedHead();
    }
  }
  if (!head_complete(in, scan_pos)) return h;
  h.complete = true;
  p.reset();
  if constexpr (std::is_same_v<Head, http::RequestHead>) {
    h.result = p.parse_request(std::string_view(in.head(), in.len()), out);
  } else {
    h.result = p.parse_response(std::string_view(in.head(), in.len()), out);
  }
  if (h.result.status == ParseStatus::kNeedMore) p.reset();
  return h;
}

void expect_same(const BufferedHead& a, const BufferedHead& b, const std::string& what) {
  EXPECT_EQ(a.complete, b.complete) << what;
  if (!a.complete || !b.complete) return;
  EXPECT_EQ(a.result.status, b.result.status) << what;
  EXPECT_EQ(a.result.consumed, b.result.consumed) << what;
  EXPECT_EQ(a.result.http_status, b.result.http_status) << what;
  EXPECT_STREQ(a.result.reason, b.result.reason) << what;
}

TEST(HeadReader, WholeRequestIsParsedAtFirstLook) {
  http::HeadParser p;
  Buffer in;
  const std::string_view text = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b";
  set(in, text);
  size_t scan_pos = 0;
  http::RequestHead req;
  BufferedHead h = parse_buffered_request(p, in, &scan_pos, &req);
  ASSERT_TRUE(h.complete);
  ASSERT_EQ(h.result.status, ParseStatus::kDone);
  EXPECT_EQ(h.result.consumed, text.find("GET /b"));
  EXPECT_EQ(req.target, "/a");
  EXPECT_EQ(req.host, "x");
  EXPECT_EQ(scan_pos, 0u);
}

TEST(HeadReader, PartialRequestWaitsAndResumes) {
  http::HeadParser p;
  Buffer in;
  size_t scan_pos = 0;
  http::RequestHead req;
  set(in, "GET / HTTP/1.1\r\nHo");
  BufferedHead h = parse_buffered_request(p, in, &scan_pos, &req);
  EXPECT_FALSE(h.complete);
  EXPECT_EQ(scan_pos, in.len() - 2);
  set(in, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  h = parse_buffered_request(p, in, &scan_pos, &req);
  ASSERT_TRUE(h.complete);
  EXPECT_EQ(h.result.status, ParseStatus::kDone);
  EXPECT_EQ(req.host, "x");
}

// An error the parser could already see is reported only once the head is
// complete (or the buffer full), as before the parser went first.
TEST(HeadReader, ErrorWaitsForTheEndOfTheHead) {
  http::HeadParser p;
  Buffer in;
  size_t scan_pos = 0;
  http::RequestHead req;
  set(in, "GET / HTTP/1.1\nHost: x");
  BufferedHead h = parse_buffered_request(p, in, &scan_pos, &req);
  EXPECT_FALSE(h.complete);
  set(in, "GET / HTTP/1.1\nHost: x\n\n");
  h = parse_buffered_request(p, in, &scan_pos, &req);
  ASSERT_TRUE(h.complete);
  EXPECT_EQ(h.result.status, ParseStatus::kError);
  EXPECT_EQ(h.result.http_status, 400);
}

TEST(HeadReader, LeadingEmptyLinesAreCompleteButNeedMore) {
  http::HeadParser p;
  Buffer in;
  size_t scan_pos = 0;
  http::RequestHead req;
  set(in, "\r\n\r\nGET / HTTP/1.1\r\n");
  BufferedHead h = parse_buffered_request(p, in, &scan_pos, &req);
  ASSERT_TRUE(h.complete);
  EXPECT_EQ(h.result.status, ParseStatus::kNeedMore);
}

TEST(HeadReader, Response) {
  http::HeadParser p;
  Buffer in;
  size_t scan_pos = 0;
  http::ResponseHead res;
  set(in, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  BufferedHead h = parse_buffered_response(p, in, &scan_pos, &res);
  ASSERT_TRUE(h.complete);
  ASSERT_EQ(h.result.status, ParseStatus::kDone);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_length, 2u);
  set(in, "HTTP/1.1 2000 OK\r\n\r\n");
  scan_pos = 0;
  h = parse_buffered_response(p, in, &scan_pos, &res);
  ASSERT_TRUE(h.complete);
  EXPECT_EQ(h.result.status, ParseStatus::kError);
  EXPECT_EQ(h.result.http_status, 502);
}

// Every input, grown one byte at a time and also in two pieces at every
// split, gets the outcome and resume position of the plain sequence.
TEST(HeadReader, SameAsSearchThenParse) {
  const std::vector<std::string> inputs = {
      "GET / HTTP/1.1\r\nHost: 127.0.0.1:8003\r\n\r\n",
      "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET / HTTP/1.1\nHost: a\n\n",
      "GET / HTTP/1.1\r\nHost: a\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\n\n",
      "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
      "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "\n\n",
      "\r\n",
      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 12\r\n\r\nhello world\n",
      "HTTP/1.1 200 OK\n\n",
      "\r\nHTTP/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
  };
  http::HeadParser p1, p2;
  for (const std::string& text : inputs) {
    for (size_t split = 0; split <= text.size(); ++split) {
      for (bool response : {false, true}) {
        Buffer a, b;
        size_t pos_a = 0, pos_b = 0;
        std::vector<size_t> sizes = {split, text.size()};
        if (split == 0) {  // byte by byte
          sizes.clear();
          for (size_t n = 1; n <= text.size(); ++n) sizes.push_back(n);
        }
        for (size_t n : sizes) {
          set(a, std::string_view(text).substr(0, n));
          set(b, std::string_view(text).substr(0, n));
          const std::string what = "input " + std::to_string(&text - &inputs[0]) + " split " +
                                   std::to_string(split) + " n " + std::to_string(n) +
                                   (response ? " response" : " request");
          BufferedHead ha, hb;
          if (response) {
            http::ResponseHead ra, rb;
            ha = parse_buffered_response(p1, a, &pos_a, &ra);
            hb = reference(p2, b, &pos_b, &rb);
          } else {
            http::RequestHead ra, rb;
            ha = parse_buffered_request(p1, a, &pos_a, &ra);
            hb = reference(p2, b, &pos_b, &rb);
          }
          expect_same(ha, hb, what);
          EXPECT_EQ(pos_a, pos_b) << what;
          if (ha.complete) break;
        }
      }
    }
  }
}

}  // namespace
}  // namespace hearth::mux
