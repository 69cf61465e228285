// http-request early-hint through the real binary and through HAProxy 2.6
// with the same configuration: the bytes of the 103 Early Hints responses
// before the final one. An early-hint rule and the unconditional ones right
// after it make one 103; any other rule, or a conditional early-hint, starts
// another; an HTTP/1.0 client gets none.
#include <gtest/gtest.h>

#include <string>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string early_hint_config(uint16_t port, uint16_t be_port) {
  return "defaults\n  mode http\n"
         "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  http-request early-hint Link \"</a.css>; rel=preload\" if { path /e }\n"
         "  http-request early-hint Link \"</b.js>; rel=preload\"\n"
         "  http-request set-var(txn.x) str(1)\n"
         "  http-request early-hint x-path %[path]\n"
         "  http-request early-hint x-empty %[req.hdr(nothere)]\n"
         "  http-request early-hint x-cond yes if { path /e }\n"
         "  default_backend be\n"
         "backend be\n  server s 127.0.0.1:" +
         std::to_string(be_port) + "\n";
}

// What arrives before the final response's status line.
std::string before_final(uint16_t port, const std::string& request) {
  UniqueFd fd(connect_from("127.0.0.1", port));
  if (!send_all(fd.get(), request)) return "send failed";
  const std::string got = drain(fd.get(), milliseconds{5000}).bytes;
  const size_t final_at = got.find(" 200 ");
  if (final_at == std::string::npos) return "no final response: " + got;
  return got.substr(0, final_at - 8);  // "HTTP/1.x"
}

TEST(EarlyHint, SameBytesAsHAProxy) {
  http::HttpBackend backend;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    HearthProcess h(early_hint_config(port, backend.port()), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    EXPECT_EQ(before_final(port, "GET /e HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"),
              "HTTP/1.1 103 Early Hints\r\n"
              "link: </a.css>; rel=preload\r\nlink: </b.js>; rel=preload\r\n\r\n"
              "HTTP/1.1 103 Early Hints\r\nx-path: /e\r\nx-empty: \r\n\r\n"
              "HTTP/1.1 103 Early Hints\r\nx-cond: yes\r\n\r\n")
        << who;
    // The first rule's condition fails: the second starts the first 103.
    EXPECT_EQ(before_final(port, "GET /f HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"),
              "HTTP/1.1 103 Early Hints\r\nlink: </b.js>; rel=preload\r\n\r\n"
              "HTTP/1.1 103 Early Hints\r\nx-path: /f\r\nx-empty: \r\n\r\n")
        << who;
    EXPECT_EQ(before_final(port, "GET /e HTTP/1.0\r\nhost: x\r\n\r\n"), "") << who;
  }
}

}  // namespace
}  // namespace hearth::test::tcp
