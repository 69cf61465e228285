// The layer-6 fetches added after the first catalog, compared with HAProxy
// 2.6 on the same configuration and the same client bytes: req.ssl_alpn,
// req.ssl_ec_ext and req.ssl_st_ext on real ClientHellos from openssl
// s_client, req.rdp_cookie and req.rdp_cookie_cnt (named, any, in any case)
// on RDP connection requests, and the deprecated payload(). Each connection's
// values are stored by tcp-request content rules and logged raw to stderr;
// the log lines must be equal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/command.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string rdp(const std::string& text) {
  const size_t x224 = text.size() + 6, total = 4 + 1 + x224;
  std::string out = {3, 0, char(total >> 8), char(total & 0xff), char(x224), char(0xe0), 0, 0, 0,
                     0, 0};
  return out + text;
}

const char* const kVars[][2] = {
    {"a", "req.ssl_alpn"},
    {"ec", "req.ssl_ec_ext"},
    {"st", "req.ssl_st_ext"},
    {"r", "req.rdp_cookie"},
    {"rm", "rdp_cookie(mstshash)"},
    {"rc", "req.rdp_cookie_cnt"},
    {"rcm", "rdp_cookie_cnt(MSTSHASH)"},
    {"pl", "payload(0,3),hex"},
};

// The "L6 ..." log lines of `binary` for the same clients, in order.
std::vector<std::string> run(const std::string& binary) {
  const uint16_t port = free_tcp_port();
  std::string cfg =
      "global\n  log stderr format raw local0\ndefaults\n  mode tcp\n  log global\n"
      "  timeout client 3s\n  timeout server 3s\n  timeout connect 3s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n  tcp-request inspect-delay 1s\n";
  std::string fmt = "L6";
  for (const auto& v : kVars) {
    cfg += std::string("  tcp-request content set-var(sess.") + v[0] + ") " + v[1] +
           " if RDP_COOKIE || { req.ssl_hello_type 1 }\n";
    fmt += std::string(" ") + v[0] + "=[%[var(sess." + v[0] + ")]]";
  }
  cfg +=
      "  tcp-request content accept if { req.len gt 20 }\n  log-format \"" + fmt +
      "\"\n  default_backend be\nbackend be\n  server s 127.0.0.1:" + std::to_string(dead_port()) +
      "\n";
  HearthProcess h(cfg, options_for(binary, port));
  EXPECT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
  if (!h.ready()) return {};
  const std::string target = "127.0.0.1:" + std::to_string(port);
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"-alpn", "h2,http/1.1", "-servername", "x.org"},
        std::vector<std::string>{"-tls1_2", "-no_ticket"},
        std::vector<std::string>{"-alpn", "ab"}}) {
    std::vector<std::string> argv = {"openssl", "s_client", "-connect", target};
    argv.insert(argv.end(), extra.begin(), extra.end());
    run_command(argv, std::chrono::milliseconds{5000});
  }
  for (const std::string& req :
       {rdp(std::string("Cookie: mstshash=rzhou\r\n\x01\x00\x08\x00\x03\x00\x00\x00", 32)),
        rdp("Cookie: msts=1.2.3.4\r\n"), rdp("Cookie:mstshash=abc\r\nCookie: foo=bar\r\n"),
        rdp("cookie: MSTSHASH=lc\r\n"), rdp("Cookie:  mstshash = sp \r\n")}) {
    UniqueFd fd(connect_from("127.0.0.1", port));
    EXPECT_TRUE(send_all(fd.get(), req));
    drain(fd.get());
  }
  std::vector<std::string> lines;
  wait_until(
      [&] {
        lines.clear();
        const std::string out = h.output();
        for (size_t at = out.find("L6 "); at != std::string::npos; at = out.find("L6 ", at + 1))
          lines.push_back(out.substr(at, out.find('\n', at) - at));
        return lines.size() >= 8;
      },
      std::chrono::milliseconds{5000});
  return lines;
}

TEST(L6FetchVsHAProxy, SameValues) {
  const std::vector<std::string> ours = run("");
  const std::vector<std::string> theirs = run("haproxy");
  ASSERT_EQ(theirs.size(), 8u);
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << "connection " << i;
  // Not all empty: the run saw what it meant to.
  EXPECT_NE(theirs[0].find("a=[h2]"), std::string::npos) << theirs[0];
  EXPECT_NE(theirs[3].find("r=[rzhou]"), std::string::npos) << theirs[3];
}

}  // namespace
}  // namespace hearth::test::tcp
