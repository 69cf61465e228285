// Every malformed or ambiguous request head, with the status the proxy must
// answer. Each case is also fed byte by byte to prove the verdict does not
// depend on how the bytes arrive.
#include <gtest/gtest.h>

#include <string>

#include "http/head_parser.h"
#include "http_test_util.h"

namespace hearth::http {
namespace {

using namespace std::string_literals;

struct RejectCase {
  const char* name;
  std::string head;  // complete head (terminated) unless noted
  int status;
  const char* reason;  // the parser's reason, proving which rule fired
};

std::string req(std::string_view fields, std::string_view line = "POST / HTTP/1.1") {
  return std::string(line) + "\r\n" + std::string(fields) + "\r\n";
}

const RejectCase kCases[] = {
    // Content-Length and Transfer-Encoding together, in every disguise.
    {"cl_and_te", req("Host: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400,
     "both Content-Length and Transfer-Encoding"},
    {"te_and_cl", req("Host: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n"), 400,
     "both Content-Length and Transfer-Encoding"},
    {"te_and_cl_case", req("Host: a\r\ntRaNsFeR-eNcOdInG: chunked\r\nCONTENT-LENGTH: 3\r\n"), 400,
     "both Content-Length and Transfer-Encoding"},
    {"te_unknown_and_cl", req("Host: a\r\nContent-Length: 3\r\nTransfer-Encoding: gzip2\r\n"), 400,
     "both Content-Length and Transfer-Encoding"},
    {"space_before_colon_te", req("Host: a\r\nTransfer-Encoding : chunked\r\n"), 400,
     "invalid character in field name"},
    {"space_before_colon_cl", req("Host: a\r\nContent-Length :5\r\n"), 400,
     "invalid character in field name"},
    {"tab_before_colon", req("Host: a\r\nContent-Length\t: 5\r\n"), 400,
     "invalid character in field name"},
    // Content-Length values.
    {"cl_conflict", req("Host: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n"), 400,
     "conflicting Content-Length"},
    {"cl_list_same", req("Host: a\r\nContent-Length: 5, 5\r\n"), 400, "invalid Content-Length"},
    {"cl_list_diff", req("Host: a\r\nContent-Length: 5,6\r\n"), 400, "invalid Content-Length"},
    {"cl_plus", req("Host: a\r\nContent-Length: +5\r\n"), 400, "invalid Content-Length"},
    {"cl_minus", req("Host: a\r\nContent-Length: -5\r\n"), 400, "invalid Content-Length"},
    {"cl_hex", req("Host: a\r\nContent-Length: 0x5\r\n"), 400, "invalid Content-Length"},
    {"cl_suffix", req("Host: a\r\nContent-Length: 5a\r\n"), 400, "invalid Content-Length"},
    {"cl_inner_space", req("Host: a\r\nContent-Length: 5 5\r\n"), 400, "invalid Content-Length"},
    {"cl_empty", req("Host: a\r\nContent-Length:\r\n"), 400, "invalid Content-Length"},
    {"cl_overflow_int64", req("Host: a\r\nContent-Length: 9223372036854775808\r\n"), 400,
     "invalid Content-Length"},
    {"cl_overflow_uint64", req("Host: a\r\nContent-Length: 18446744073709551616\r\n"), 400,
     "invalid Content-Length"},
    {"cl_huge", req("Host: a\r\nContent-Length: 99999999999999999999999999\r\n"), 400,
     "invalid Content-Length"},
    // Transfer-Encoding values.
    {"te_gzip_only", req("Host: a\r\nTransfer-Encoding: gzip\r\n"), 400,
     "final transfer coding is not chunked"},
    {"te_chunked_not_last", req("Host: a\r\nTransfer-Encoding: chunked, gzip\r\n"), 400,
     "final transfer coding is not chunked"},
    {"te_chunked_twice", req("Host: a\r\nTransfer-Encoding: chunked, chunked\r\n"), 400,
     "chunked applied more than once"},
    {"te_chunked_twice_lines",
     req("Host: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400,
     "chunked applied more than once"},
    {"te_unknown", req("Host: a\r\nTransfer-Encoding: gzip2\r\n"), 501, "unknown transfer coding"},
    {"te_unknown_then_chunked", req("Host: a\r\nTransfer-Encoding: foo, chunked\r\n"), 501,
     "unknown transfer coding"},
    {"te_identity", req("Host: a\r\nTransfer-Encoding: identity\r\n"), 501,
     "unknown transfer coding"},
    {"te_xchunked", req("Host: a\r\nTransfer-Encoding: xchunked\r\n"), 501,
     "unknown transfer coding"},
    {"te_empty", req("Host: a\r\nTransfer-Encoding:\r\n"), 400, "malformed Transfer-Encoding"},
    {"te_empty_element", req("Host: a\r\nTransfer-Encoding: , chunked\r\n"), 400,
     "malformed Transfer-Encoding"},
    {"te_chunked_param", req("Host: a\r\nTransfer-Encoding: chunked;q=1\r\n"), 400,
     "malformed Transfer-Encoding"},
    {"te_quoted", req("Host: a\r\nTransfer-Encoding: \"chunked\"\r\n"), 400,
     "malformed Transfer-Encoding"},
    {"te_vtab",
     req("Host: a\r\nTransfer-Encoding: \x0b"
         "chunked\r\n"),
     400, "invalid character in field value"},
    {"te_nul", req("Host: a\r\nTransfer-Encoding: chunked\0\r\n"s), 400,
     "invalid character in field value"},
    {"te_http10", req("Transfer-Encoding: chunked\r\n", "POST / HTTP/1.0"), 400,
     "Transfer-Encoding in HTTP/1.0"},
    // Line structure.
    {"obs_fold", req("Host: a\r\nX-A: b\r\n c\r\n"), 400, "obs-fold or leading whitespace"},
    {"obs_fold_tab", req("Host: a\r\nX-A: b\r\n\tc\r\n"), 400, "obs-fold or leading whitespace"},
    {"space_before_first_field", req(" Host: a\r\n"), 400, "obs-fold or leading whitespace"},
    {"bare_cr_in_field", req("Host: a\rX: b\r\n"), 400, "bare CR"},
    {"bare_cr_in_line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bare CR"},
    {"bare_lf_start_line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400, "bare LF"},
    {"bare_lf_field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400, "bare LF"},
    {"bare_lf_end", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400, "bare LF"},
    {"leading_bare_lf", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bare LF"},
    {"nul_in_value", req("Host: a\r\nX: a\0b\r\n"s), 400, "invalid character in field value"},
    {"ctl_in_value",
     req("Host: a\r\nX: a\x01"
         "b\r\n"),
     400, "invalid character in field value"},
    {"del_in_value", req("Host: a\r\nX: a\x7f\r\n"), 400, "invalid character in field value"},
    {"bad_name_char", req("Host: a\r\nX(y): 1\r\n"), 400, "invalid character in field name"},
    {"space_in_name", req("Host: a\r\nX y: 1\r\n"), 400, "invalid character in field name"},
    {"utf8_in_name", req("Host: a\r\nX\xc3\xa9: 1\r\n"), 400, "invalid character in field name"},
    {"empty_name", req("Host: a\r\n: x\r\n"), 400, "empty field name"},
    {"no_colon", req("Host: a\r\nJustAName\r\n"), 400, "field line without colon"},
    // Host.
    {"two_hosts", req("Host: a\r\nHost: a\r\n", "GET / HTTP/1.1"), 400, "more than one Host"},
    {"absolute_host_mismatch", req("Host: b.example\r\n", "GET http://a.example/ HTTP/1.1"), 400,
     "Host differs from target authority"},
    // Versions.
    {"http20", req("Host: a\r\n", "GET / HTTP/2.0"), 505, "unsupported HTTP version"},
    {"http12", req("Host: a\r\n", "GET / HTTP/1.2"), 505, "unsupported HTTP version"},
    {"http09", req("Host: a\r\n", "GET / HTTP/0.9"), 505, "unsupported HTTP version"},
    {"http3_short", req("Host: a\r\n", "GET / HTTP/3"), 400, "malformed HTTP version"},
    {"lowercase_version", req("Host: a\r\n", "GET / http/1.1"), 400, "malformed HTTP version"},
    {"version_trailing_space", req("Host: a\r\n", "GET / HTTP/1.1 "), 400,
     "malformed HTTP version"},
    {"version_two_digits", req("Host: a\r\n", "GET / HTTP/1.10"), 400, "malformed HTTP version"},
    {"no_version", req("Host: a\r\n", "GET /"), 400, "malformed request line"},
    {"garbage_line", req("Host: a\r\n", "\x16\x03\x01\x02"), 400, "invalid method"},
    // Request-line.
    {"bad_method_char", req("Host: a\r\n", "G@T / HTTP/1.1"), 400, "invalid method"},
    {"leading_space", req("Host: a\r\n", " GET / HTTP/1.1"), 400, "empty method"},
    {"double_space", req("Host: a\r\n", "GET  / HTTP/1.1"), 400, "empty request target"},
    {"tab_separator", req("Host: a\r\n", "GET\t/ HTTP/1.1"), 400, "invalid method"},
    {"space_in_target", req("Host: a\r\n", "GET /a b HTTP/1.1"), 400, "malformed HTTP version"},
    {"ctl_in_target", req("Host: a\r\n", "GET /a\x01 HTTP/1.1"), 400,
     "invalid character in request target"},
    {"fragment_in_target", req("Host: a\r\n", "GET /a#b HTTP/1.1"), 400,
     "invalid character in request target"},
    {"utf8_in_target", req("Host: a\r\n", "GET /caf\xc3\xa9 HTTP/1.1"), 400,
     "invalid character in request target"},
    {"asterisk_with_get", req("Host: a\r\n", "GET * HTTP/1.1"), 400,
     "asterisk-form target outside OPTIONS"},
    {"relative_target", req("Host: a\r\n", "GET index.html HTTP/1.1"), 400,
     "invalid request target"},
    {"connect_origin_form", req("Host: a\r\n", "CONNECT / HTTP/1.1"), 400,
     "CONNECT needs authority-form"},
    {"connect_no_port", req("Host: a\r\n", "CONNECT a.example HTTP/1.1"), 400,
     "CONNECT needs authority-form"},
    {"connect_bad_port", req("Host: a\r\n", "CONNECT a.example:123456 HTTP/1.1"), 400,
     "CONNECT needs authority-form"},
    {"authority_form_with_get", req("Host: a\r\n", "GET a.example:443 HTTP/1.1"), 400,
     "invalid request target"},
    {"absolute_userinfo", req("Host: a\r\n", "GET http://u@a/ HTTP/1.1"), 400,
     "invalid authority in absolute-form target"},
    {"absolute_empty_authority", req("Host: a\r\n", "GET http:///x HTTP/1.1"), 400,
     "invalid authority in absolute-form target"},
    {"absolute_other_scheme", req("Host: a\r\n", "GET ftp://a/x HTTP/1.1"), 400,
     "invalid request target"},
    // Connection options.
    {"connection_bad_token", req("Host: a\r\nConnection: clo se\r\n"), 400,
     "invalid Connection field"},
    {"connection_too_many",
     req("Host: a\r\nConnection: a1,a2,a3,a4,a5,a6,a7,a8,a9,b1,b2,b3,b4,b5,b6,b7,b8\r\n"), 400,
     "invalid Connection field"},
};

class RequestRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(RequestRejectTest, WholeHead) {
  HeadParser parser;
  RequestHead head;
  const ParseResult r = parser.parse_request(GetParam().head, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, GetParam().status) << r.reason;
  EXPECT_STREQ(r.reason, GetParam().reason);
}

TEST_P(RequestRejectTest, ByteByByte) {
  HeadParser parser;
  RequestHead head;
  std::string storage;
  const ParseResult r = testing::parse_bytewise(&parser, GetParam().head, &head, &storage);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, GetParam().status) << r.reason;
  EXPECT_STREQ(r.reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(Smuggling, RequestRejectTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<RejectCase>& info) {
                           return std::string(info.param.name);
                         });

// The same vectors minus the fault must parse, so each case above fails for
// the reason it names and not for an unrelated one.
TEST(RequestRejectControl, NeighboursOfTheVectorsAreAccepted) {
  const std::string ok[] = {
      req("Host: a\r\nContent-Length: 5\r\n"),
      req("Host: a\r\nTransfer-Encoding: chunked\r\n"),
      req("Host: a\r\nTransfer-Encoding:\tchunked \r\n"),
      req("Host: a\r\nX-A: b\r\n"),
      req("Host: a\r\nX: a\tb\r\n"),
      req("Host: a:8080\r\n", "GET / HTTP/1.1"),
      req("Host: a.example\r\n", "GET http://a.example/ HTTP/1.1"),
      req("Host: a\r\n", "CONNECT a.example:443 HTTP/1.1"),
      req("Host: a\r\nConnection: a1,a2,a3,a4,a5,a6,a7,a8,a9,b1,b2,b3,b4,b5,b6,b7\r\n"),
      req("Host: a\r\nConnection: close,,keep-alive\r\n"),
      req("Host:\r\n", "GET / HTTP/1.1"),
      req("Accept: */*\r\n", "GET / HTTP/1.1"),  // no Host: forwarded, as HAProxy does
      // A Host that is not a valid authority goes to the rules as it is, as
      // HAProxy 2.6 does (its reg-test map_redirect.vtc sends ":8443example.org").
      req("Host: a b\r\n", "GET / HTTP/1.1"),
      req("Host: u@a\r\n", "GET / HTTP/1.1"),
      req("Host: a/b\r\n", "GET / HTTP/1.1"),
      req("Host: a:8x\r\n", "GET / HTTP/1.1"),
      req("Host: :8443example.org\r\n", "GET / HTTP/1.1"),
  };
  for (const std::string& head : ok) {
    HeadParser parser;
    RequestHead out;
    const ParseResult r = parser.parse_request(head, &out);
    EXPECT_EQ(r.status, ParseStatus::kDone) << head << " -> " << r.reason;
  }
}

}  // namespace
}  // namespace hearth::http

namespace hearth::http {
namespace {

// Where the parser says the error is ("show errors" prints it): the wrong
// byte when there is one, else the start of its line; the same whether the
// head arrived whole or byte by byte.
TEST(RequestRejectPosition, NamesTheWrongByteOrItsLine) {
  struct Pos {
    std::string head;
    size_t at;
  };
  const Pos cases[] = {
      {"GET /a\x01"
       "b HTTP/1.1\r\nHost: x\r\n\r\n",
       6},
      {"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 1},
      {"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 28},
      {"GET / HTTP/1.1\r\nHost: x\r\nX: a\x7f"
       "b\r\n\r\n",
       29},
      {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: z\r\n\r\n", 25},
      {"GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", 23},
  };
  for (const Pos& c : cases) {
    HeadParser whole;
    RequestHead out;
    const ParseResult r = whole.parse_request(c.head, &out);
    ASSERT_EQ(r.status, ParseStatus::kError) << c.head;
    EXPECT_EQ(r.error_at, c.at) << c.head << " (" << r.reason << ")";
    HeadParser pieces;
    ParseResult p;
    for (size_t n = 1; n <= c.head.size(); ++n) {
      p = pieces.parse_request(std::string_view(c.head.data(), n), &out);
      if (p.status != ParseStatus::kNeedMore) break;
    }
    ASSERT_EQ(p.status, ParseStatus::kError) << c.head;
    EXPECT_EQ(p.error_at, c.at) << c.head << " byte by byte (" << p.reason << ")";
  }
}

}  // namespace
}  // namespace hearth::http
