// Cookie persistence compared with HAProxy 2.6: the same configuration and the
// same requests through hearth and haproxy, in front of three nginx servers
// that say who they are (x-srv), echo the Cookie field they received
// (x-got-cookie) and send the Set-Cookie, Expires and Cache-Control the
// request asks for. For each request the client's view (status, server,
// Set-Cookie and Cache-Control fields), the server's view (its Cookie field)
// and the log line (server, %tsc with its cookie characters, %CC, %CS) must be
// the same. Date stamps of maxidle/maxlife are checked to encode "now" and
// then masked, since the two runs may straddle a 4-second step.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

// The three servers, shared by every case: nginx, each with its name.
class Servers {
 public:
  static Servers& get() {
    static Servers s;
    return s;
  }
  bool ready() const {
    for (const auto& n : nginx_)
      if (!n->ready()) return false;
    return true;
  }
  uint16_t port(int i) const { return nginx_[size_t(i)]->port(); }

 private:
  Servers() {
    for (const char* name : {"s1", "s2", "s3"}) {
      nginx_.push_back(
          std::make_unique<Nginx>(std::string("    location / {\n"
                                              "      add_header x-srv ") +
                                  name +
                                  " always;\n"
                                  "      add_header x-got-cookie \"$http_cookie\" always;\n"
                                  "      add_header set-cookie $http_x_set_cookie always;\n"
                                  "      add_header expires $http_x_expires always;\n"
                                  "      add_header cache-control $http_x_cache_control always;\n"
                                  "      return 200 \"ok\\n\";\n"
                                  "    }\n"));
    }
  }
  std::vector<std::unique_ptr<Nginx>> nginx_;
};

struct Req {
  std::string method = "GET";
  std::vector<std::string> headers;
};

struct Case {
  const char* name;
  std::string backend_lines;  // "cookie ..." and the like
  std::vector<std::string> server_opts = {"cookie a1", "cookie b2", ""};
  std::vector<Req> requests;
  // Expected %tsc cookie characters (the 3rd and 4th), one per request: the
  // two runs must agree, and agree with what HAProxy was seen to log.
  std::vector<std::string> flags;
  std::string frontend_lines;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// HAProxy's date stamp: 5 base64 digits, most significant first (-1: not one).
int64_t stamp_value(std::string_view s) {
  static const std::string kB64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (s.size() < 5) return -1;
  int64_t v = 0;
  for (size_t i = 0; i < 5; ++i) {
    const size_t d = kB64.find(s[i]);
    if (d == std::string::npos) return -1;
    v = (v << 6) | int64_t(d);
  }
  return v;
}

// A stamp "|XXXXX" in a Set-Cookie value must encode about now; it is then
// replaced by "|<now>".
std::string mask_stamps(std::string v) {
  const int64_t now = int64_t(time(nullptr));
  size_t bar = 0;
  while ((bar = v.find('|', bar)) != std::string::npos) {
    const int64_t s = stamp_value(std::string_view(v).substr(bar + 1)) * 4;
    if (s >= now - 20 && s <= now + 8) v.replace(bar + 1, 5, "<now>");
    ++bar;
  }
  return v;
}

std::string field(const HttpResponse& r, const std::string& name) {
  std::string out;
  for (const auto& h : r.headers)
    if (h.first == name) out += (out.empty() ? "" : " | ") + mask_stamps(h.second);
  return out;
}

// Runs the case through `binary` ("" = hearth). Returns: one line per request
// (the client's and server's views), then the log lines, by request.
std::vector<std::string> run(const std::string& binary, const Case& c) {
  Servers& srv = Servers::get();
  const uint16_t port = free_tcp_port();
  std::string cfg =
      "global\n  log stdout format raw local0\n"
      "defaults\n  mode http\n  log global\n  timeout client 5s\n"
      "  timeout server 5s\n  timeout connect 2s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n  log-format \"L %HU %b/%s %tsc %CC %CS\"\n" + c.frontend_lines +
      "  default_backend be\nbackend be\n" + c.backend_lines;
  for (int i = 0; i < 3; ++i)
    cfg += "  server s" + std::to_string(i + 1) + " 127.0.0.1:" + std::to_string(srv.port(i)) +
           " " + c.server_opts[size_t(i)] + "\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  for (size_t i = 0; i < c.requests.size(); ++i) {
    const Req& q = c.requests[i];
    HttpClient cl(port);
    const HttpResponse r = cl.request(q.method, "/r" + std::to_string(i), q.headers);
    out.push_back("r" + std::to_string(i) + " " + std::to_string(r.status) +
                  " srv=" + field(r, "x-srv") + " got=[" + field(r, "x-got-cookie") + "] set=[" +
                  field(r, "set-cookie") + "] cc=[" + field(r, "cache-control") + "]");
  }
  std::vector<std::string> logs;
  wait_until(
      [&] {
        logs = lines_with(h.output(), {"L /r"});
        return logs.size() >= c.requests.size();
      },
      milliseconds{3000});
  std::sort(logs.begin(), logs.end());
  out.insert(out.end(), logs.begin(), logs.end());
  return out;
}

class CookieVsHAProxy : public ::testing::TestWithParam<Case> {};

TEST_P(CookieVsHAProxy, SameServersFieldsAndFlags) {
  const Case& c = GetParam();
  ASSERT_TRUE(Servers::get().ready());
  const auto ours = run("", c);
  const auto theirs = run("haproxy", c);
  ASSERT_EQ(ours.size(), 2 * c.requests.size());
  EXPECT_EQ(ours, theirs);
  // The cookie characters of the termination state, as HAProxy logs them:
  // the last two of %tsc, the 4th word of "L %HU %b/%s %tsc %CC %CS".
  for (size_t i = 0; i < c.flags.size(); ++i) {
    const std::string& line = ours[c.requests.size() + i];
    std::istringstream words(line);
    std::string w[4];
    for (std::string& x : w) words >> x;
    EXPECT_EQ(w[3].size() == 4 ? w[3].substr(2) : w[3], c.flags[i])
        << "request " << i << ": " << line;
  }
}

Req get(std::vector<std::string> headers) { return Req{"GET", std::move(headers)}; }
Req post(std::vector<std::string> headers) { return Req{"POST", std::move(headers)}; }

// Requests most cases share: no cookie, a valid one, an invalid one, one
// among others, a server that sets the cookie itself, one for the server
// without a cookie value.
const std::vector<Req> kCommon = {
    get({}),
    get({"cookie: SRV=a1"}),
    get({"cookie: SRV=zz"}),
    get({"cookie: x=1; SRV=b2; y=2"}),
    get({"cookie: SRV=b2", "x-set-cookie: SRV=abc; path=/x"}),
    get({"cookie: SRV=a1~xyz; o=1", "x-set-cookie: SRV=abc"}),
    get({"cookie: a=1;SRV=a1 ;  b = 2, SRV=b2"}),
    get({"cookie: $Version=1; SRV=b2; $Path=/; x=1"}),
};

INSTANTIATE_TEST_SUITE_P(
    Modes, CookieVsHAProxy,
    ::testing::Values(
        Case{"InsertIndirectNocache",
             "  cookie SRV insert indirect nocache\n",
             {"cookie a1", "cookie b2", ""},
             {get({}), get({"cookie: SRV=a1"}), get({"cookie: SRV=zz"}),
              get({"cookie: x=1; SRV=b2; y=2"}), get({"cookie: SRV=b2", "x-set-cookie: SRV=abc"}),
              get({"x-set-cookie: SRV=abc"}), get({"x-expires: Thu, 01 Jan 2037 00:00:00 GMT"}),
              get({"x-cache-control: max-age=10"}), get({"x-cache-control: private"}),
              post({"x-expires: 0"})},
             {"NI", "VN", "II", "VN", "VD", "NI", "NI", "NI", "NI", "NI"}},
        Case{"Insert",
             "  cookie SRV insert\n",
             {"cookie a1", "cookie b2", ""},
             kCommon,
             {"NI", "VN", "II", "VN", "VD", "II", "VN", "VN"}},
        Case{"Rewrite",
             "  cookie SRV rewrite\n",
             {"cookie a1", "cookie b2", ""},
             kCommon,
             {"NN", "VN", "IN", "VN", "VR", "IP", "VN", "VN"}},
        Case{"Prefix",
             "  cookie SRV prefix\n",
             {"cookie a1", "cookie b2", ""},
             kCommon,
             {"NN", "VN", "IN", "VN", "VR", "VR", "VN", "VN"}},
        Case{"PrefixIndirect",
             "  cookie SRV prefix indirect\n",
             {"cookie a1", "cookie b2", ""},
             kCommon,
             {"NN", "VN", "IN", "VN", "VD", "VD", "VN", "VN"}},
        Case{"Passive",
             "  cookie SRV\n",
             {"cookie a1", "cookie b2", ""},
             kCommon,
             {"--", "--", "--", "--", "--", "--", "--", "--"}},
        Case{"PassiveIndirect",
             "  cookie SRV indirect\n",
             {"cookie a1", "cookie b2", ""},
             kCommon,
             {"NN", "VN", "IN", "VN", "VD", "IP", "VN", "VN"}},
        Case{"PostOnly",
             "  cookie SRV insert postonly\n",
             {"cookie a1", "cookie b2", ""},
             {get({}), post({}), post({"cookie: SRV=a1"}), post({"cookie: SRV=zz"})},
             {"NN", "NI", "VN", "II"}},
        Case{"Preserve",
             "  cookie SRV insert preserve\n",
             {"cookie a1", "cookie b2", ""},
             {get({"x-set-cookie: SRV=mine"}), get({}), get({"cookie: SRV=b2"}),
              get({"cookie: SRV=zz", "x-set-cookie: SRV=mine; path=/"})},
             {"NP", "NI", "VN", "IP"}},
        Case{"Attributes",
             "  cookie SRV insert httponly secure domain .a.example domain .b.example attr "
             "SameSite=Lax attr Partitioned\n",
             {"cookie a1", "cookie b2", ""},
             {get({}), get({}), get({})},
             {"NI", "NI", "NI"}},
        Case{"Dynamic",
             "  cookie SRV insert dynamic\n  dynamic-cookie-key SeCrEt\n",
             {"cookie a1", "", ""},
             {get({}), get({}), get({}), get({"cookie: SRV=zz"})},
             {"NI", "NI", "NI", "II"}},
        Case{"MaxIdleMaxLife",
             "  cookie SRV insert indirect maxidle 60s maxlife 1h\n",
             {"cookie a1", "cookie b2", ""},
             {get({}), get({"cookie: SRV=a1|AAAAB"}), get({"cookie: SRV=a1|$$$$$"}),
              get({"cookie: SRV=b2"})},
             {"NI", "EI", "VU", "VU"}},
        Case{"DownServer",
             "  cookie SRV insert indirect\n  ignore-persist if { hdr(x-ip) -m found }\n",
             {"cookie a1", "cookie b2 disabled", ""},
             {get({"cookie: SRV=b2"}), get({"cookie: SRV=a1", "x-ip: 1"}),
              get({"x-ip: 1", "x-set-cookie: SRV=abc"})},
             {"DI", "UN", "NN"}},
        Case{"PersistToDownServer",
             "  cookie SRV insert indirect\n  option persist\n",
             {"cookie a1", "cookie b2 disabled", ""},
             {get({"cookie: SRV=b2"}), get({"cookie: SRV=a1"})},
             {"DN", "VN"}},
        Case{"ForcePersist",
             "  cookie SRV insert indirect\n  force-persist if { hdr(x-fp) -m found }\n",
             {"cookie a1", "cookie b2 disabled", ""},
             {get({"cookie: SRV=b2", "x-fp: 1"}), get({"cookie: SRV=b2"})},
             {"DN", "DI"}},
        Case{
            "UseServerFirst",
            "  cookie SRV insert indirect\n  use-server s3 if { hdr(x-us) -m found }\n",
            {"cookie a1", "cookie b2", ""},
            {get({"cookie: SRV=a1", "x-us: 1"}), get({"x-us: 1"}), get({"cookie: SRV=zz; SRV=a1"})},
            {"UN", "NN", "VN"}},
        Case{"DeniedStillReadsCookies",
             "  cookie SRV insert indirect\n  http-request deny if { hdr(x-deny) -m found }\n"
             "  http-request tarpit if { hdr(x-tp) -m found }\n  timeout tarpit 50ms\n",
             {"cookie a1", "cookie b2", ""},
             {get({"cookie: SRV=a1", "x-deny: 1"}), get({"x-deny: 1"}),
              get({"cookie: SRV=zz", "x-deny: 1"}), get({"cookie: SRV=b2", "x-tp: 1"})},
             {"VN", "NN", "IN", "VN"},
             "  capture cookie SRV len 10\n"},
        Case{"CaptureCookie",
             "  cookie SRV insert indirect\n",
             {"cookie a1", "cookie b2", ""},
             {get({"cookie: SRV=a1"}), get({"cookie: x=1; SRV = b2"}),
              get({"x-set-cookie: SRV=abc; path=/"}), get({"cookie: SRVX=1; SRV=a1"})},
             {"VN", "VN", "NI", "VN"},
             "  capture cookie SRV len 5\n"}));

// A listen section "app" on `port` with a stats socket, `lines`, and the
// first two servers with their options.
std::string listen_app(uint16_t port, const std::string& sock, const std::string& lines,
                       const std::vector<std::string>& server_opts) {
  Servers& srv = Servers::get();
  std::string cfg = "global\n  stats socket " + sock +
                    " level admin\n"
                    "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
                    "  timeout connect 2s\n"
                    "listen app\n  bind 127.0.0.1:" +
                    std::to_string(port) + "\n" + lines;
  for (size_t i = 0; i < server_opts.size(); ++i)
    cfg += "  server s" + std::to_string(i + 1) + " 127.0.0.1:" + std::to_string(srv.port(int(i))) +
           server_opts[i] + "\n";
  return cfg;
}

// The runtime API's dynamic cookie commands, as HAProxy's: the same commands
// and requests give the same answers and the same inserted cookies.
std::vector<std::string> dynamic_commands(const std::string& binary) {
  const uint16_t port = free_tcp_port();
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const std::string cfg = listen_app(port, sock, "  cookie SRV insert\n", {"", " cookie b2"});
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  auto cmd = [&](const std::string& c) { out.push_back(c + " -> " + stats_command(sock, c)); };
  auto two_requests = [&] {
    for (int i = 0; i < 2; ++i) {
      HttpClient cl(port);
      const HttpResponse r = cl.request("GET", "/", {});
      out.push_back("set-cookie: " + field(r, "set-cookie"));
    }
  };
  two_requests();
  cmd("enable dynamic-cookie backend app");  // no key yet: nothing changes
  two_requests();
  cmd("set dynamic-cookie-key backend app k");
  two_requests();
  cmd("set dynamic-cookie-key backend app k2");
  two_requests();
  cmd("disable dynamic-cookie backend app");
  two_requests();
  cmd("enable dynamic-cookie backend nope");
  cmd("set dynamic-cookie-key backend app");
  cmd("set dynamic-cookie-key backend");
  return out;
}

TEST(CookieDynamicCommands, SameAnswersAndCookiesAsHAProxy) {
  ASSERT_TRUE(Servers::get().ready());
  const auto ours = dynamic_commands("");
  ASSERT_EQ(ours.size(), 17u);
  EXPECT_EQ(ours, dynamic_commands("haproxy"));
  // With the key, s1 (round robin's first) gets 16 hex digits; s2 keeps b2.
  EXPECT_TRUE(std::regex_match(ours[6], std::regex("set-cookie: SRV=[0-9a-f]{16}; path=/")))
      << ours[6];
  EXPECT_EQ(ours[7], "set-cookie: SRV=b2; path=/");
}

// Persistence with a real client: curl keeps the inserted cookie in its jar,
// so every later request reaches the same server; once that server is put in
// maintenance the next request is redispatched and gets a new cookie, which
// the requests after it follow.
TEST(CookiePersistCurl, StaysOnItsServerAndMovesWhenItGoesDown) {
  Servers& srv = Servers::get();
  ASSERT_TRUE(srv.ready());
  const uint16_t port = free_tcp_port();
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const std::string cfg =
      listen_app(port, sock, "  balance roundrobin\n  cookie SRV insert indirect nocache\n",
                 {" cookie s1", " cookie s2"});
  HearthProcess h(cfg, HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string jar = tmp.file("jar.txt");
  auto curl = [&] {
    Process p(
        ProcessOptions{.argv = {"/usr/bin/curl", "-s", "-b", jar, "-c", jar, "-D", "-", "-o",
                                "/dev/null", "http://127.0.0.1:" + std::to_string(port) + "/"}});
    p.wait_exit(milliseconds{5000});
    const std::string out = p.output();
    const size_t at = out.find("x-srv: ");
    return at == std::string::npos ? std::string("?") : out.substr(at + 7, 2);
  };
  const std::string first = curl();
  ASSERT_TRUE(first == "s1" || first == "s2") << first;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(curl(), first) << "request " << i;
  stats_command(sock, "disable server app/" + first);
  const std::string other = first == "s1" ? "s2" : "s1";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(curl(), other) << "after the disable, request " << i;
  // Back in service: the client stays where its cookie now points.
  stats_command(sock, "enable server app/" + first);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(curl(), other) << "after the enable, request " << i;
}

}  // namespace
}  // namespace hearth::test::http
