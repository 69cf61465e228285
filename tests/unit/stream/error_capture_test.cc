// "show errors": the dump of captured bytes (rows of 70 characters, escapes
// included, "+" on continued rows, \t \r \n \\ and \xHH as HAProxy prints
// them), the store keeping the last capture of each proxy and kind with
// process-wide event numbers, and the whole answer's layout.
#include "stream/error_capture.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::stream {
namespace {

TEST(ErrorCapture, DumpsLongLinesAndEscapesLikeHAProxy) {
  const std::string line = "GET /" + std::string(150, 'a') + "\\x\"y\tz HTTP/1.1\r\n";
  EXPECT_EQ(dump_text(line + "Host: x\r\n\r\n"),
            "  00000  GET /" + std::string(65, 'a') + "\n  00070+ " + std::string(70, 'a') +
                "\n  00140+ " + std::string(15, 'a') +
                "\\\\x\"y\\tz HTTP/1.1\\r\\n\n  00172  Host: x\\r\\n\n  00181  \\r\\n\n");
  EXPECT_EQ(dump_text(std::string("a\x01\xff", 3)), "  00000  a\\x01\\xff\n");
  EXPECT_EQ(dump_text(""), "");
  // An escape never splits across rows.
  const std::string near_end = std::string(69, 'b') + "\x01";
  EXPECT_EQ(dump_text(near_end), "  00000  " + std::string(69, 'b') + "\n  00069+ \\x01\n");
}

TEST(ErrorCapture, KeepsTheLastOfEachProxyAndKind) {
  uint64_t before = 0;
  captured_errors(&before);
  for (int i = 0; i < 3; ++i) {
    ErrorCapture c;
    c.proxy = "p900";
    c.proxy_id = 900;
    c.response = i == 2;
    c.data = "x" + std::to_string(i);
    capture_error(c);
  }
  uint64_t total = 0;
  int requests = 0, responses = 0;
  for (const ErrorCapture& c : captured_errors(&total)) {
    if (c.proxy_id != 900) continue;
    if (c.response) {
      ++responses;
      EXPECT_EQ(c.data, "x2");
      EXPECT_EQ(c.event, before + 2);
    } else {
      ++requests;
      EXPECT_EQ(c.data, "x1");  // the later one replaced the first
      EXPECT_EQ(c.event, before + 1);
    }
  }
  EXPECT_EQ(requests, 1);
  EXPECT_EQ(responses, 1);
  EXPECT_EQ(total, before + 3);
}

TEST(ErrorCapture, FormatsTheAnswer) {
  ErrorCapture c;
  c.when_ms = 0;
  c.proxy = "fe";
  c.proxy_id = 2;
  c.src = "127.0.0.1:4000";
  c.data = "GET /\x01 HTTP/1.1\r\n\r\n";
  c.buffer_size = 16384;
  c.error_at = 5;
  c.reason = "invalid character in request target";
  c.status = 400;
  const std::string out = format_errors({c}, 7, 0);
  EXPECT_NE(out.find(" : 7\n \n["), std::string::npos) << out;
  EXPECT_NE(out.find("] frontend fe (#2): invalid request\n"
                     "  backend <NONE> (#-1), server <NONE> (#-1), event #0, src 127.0.0.1:4000\n"
                     "  buffer starts at 0 (including 0 out), 16365 free,\n"
                     "  len 19, wraps at 16384, error at position 5\n"
                     "  invalid character in request target, answered 400 :\n  \n"
                     "  00000  GET /\\x01 HTTP/1.1\\r\\n\n  00017  \\r\\n\n\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(format_errors({}, 0, 0).find("Total events captured on ["), 0u);
}

}  // namespace
}  // namespace hearth::stream
