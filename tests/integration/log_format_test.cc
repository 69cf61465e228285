// Access-log lines compared with HAProxy 2.6: the same configuration and the
// same requests through hearth and haproxy, both logging to stdout. Dates,
// ports, timers and process ids differ from run to run: each digit run is
// compared by shape ("9"), dates as DATE; a second set of formats prints the
// stable numbers and the strings exactly, field by field. (The connection
// counts %ac %fc %bc %sc are compared by shape only: whether a previous
// connection's close was processed when a line is written is a race in both.)
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

// Runs `requests` (raw, one connection each) through `binary` ("" = hearth)
// configured with `proxy_lines` (a frontend on the port, default_backend b).
// Returns: the log lines starting with `tag`.
std::vector<std::string> run(const std::string& binary, const std::string& proxy_lines,
                             const std::vector<std::string>& requests, const std::string& tag,
                             HttpBackend& backend) {
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  log stdout format raw local0\n"
      "defaults\n  mode http\n  log global\n  timeout client 5s\n"
      "  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n" + proxy_lines +
      "  default_backend b\n"
      "backend b\n  server s1 127.0.0.1:" +
      std::to_string(backend.port()) + "\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> lines;
  auto collect = [&](size_t n) {
    return wait_until(
        [&] {
          lines.clear();
          for (const std::string& l : lines_with(h.output(), {tag}))
            if (l.compare(0, tag.size(), tag) == 0) lines.push_back(l);
          return lines.size() >= n;
        },
        milliseconds{3000});
  };
  // One request at a time, each logged before the next is sent, so that the
  // lines come in the same order from both.
  for (size_t i = 0; i < requests.size(); ++i) {
    {
      HttpClient c(port);
      EXPECT_TRUE(c.send(requests[i]));
      c.read_response();
    }
    EXPECT_TRUE(collect(i + 1)) << (binary.empty() ? "hearth" : binary) << ": request " << i
                                << " logged no line tagged '" << tag << "':\n"
                                << h.output();
  }
  return lines;
}

std::string shape(const std::string& line) {
  static const std::regex date(
      R"(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(\.\d{3})?( [+-]\d{4})?)");
  static const std::regex digits(R"(\d+)");
  return std::regex_replace(std::regex_replace(line, date, "DATE"), digits, "9");
}

const std::vector<std::string> kRequests = {
    "GET /a%20b?q=1&r=%22 HTTP/1.1\r\nhost: ex.com\r\nuser-agent: t\"x|{y}\r\n"
    "x-one: 1\r\nx-one: second-value-long\r\n\r\n",
    "GET / HTTP/1.0\r\n\r\n",
    "POST /p HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\nabc",
};

struct Case {
  const char* name;
  std::string proxy_lines;
  std::string tag;  // the start of each line
  bool exact;       // compare the lines exactly (no varying field printed)
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class LogFormatVsHAProxy : public ::testing::TestWithParam<Case> {};

TEST_P(LogFormatVsHAProxy, SameLines) {
  const Case& c = GetParam();
  HttpBackend backend;
  const auto ours = run("", c.proxy_lines, kRequests, c.tag, backend);
  const auto theirs = run("haproxy", c.proxy_lines, kRequests, c.tag, backend);
  ASSERT_EQ(ours.size(), kRequests.size());
  ASSERT_EQ(theirs.size(), kRequests.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    if (c.exact)
      EXPECT_EQ(ours[i], theirs[i]) << "request " << i;
    else
      EXPECT_EQ(shape(ours[i]), shape(theirs[i]))
          << "request " << i << "\n hearth  " << ours[i] << "\n haproxy " << theirs[i];
  }
}

const std::string kCaps =
    "  capture request header User-Agent len 6\n  capture request header X-One len 8\n"
    "  capture request header X-None len 4\n  capture response header Content-Length len 1\n";

INSTANTIATE_TEST_SUITE_P(
    Formats, LogFormatVsHAProxy,
    ::testing::Values(
        Case{"Httplog", "  option httplog\n", "127.0.0.1:", false},
        Case{"HttplogCaptures", "  option httplog\n" + kCaps, "127.0.0.1:", false},
        Case{"HttplogClf", "  option httplog clf\n" + kCaps, "127.0.0.1 - - ", false},
        Case{"TcplogInHttp", "  option tcplog\n", "127.0.0.1:", false},
        Case{"NoOption", "", "Connect from ", false},
        Case{"AllVars",
             "  log-format \"L ci=%ci fi=%fi si=%si sp=%sp f=%f ft=%ft b=%b s=%s ST=%ST "
             "CC=%CC CS=%CS ts=%ts tsc=%tsc rc=%rc sq=%sq bq=%bq "
             "rt=%rt lc=%lc HM=%HM HP=%HP HPO=%HPO HQ=%HQ HU=%HU HV=%HV r=%r hr=%hr hrl=%hrl "
             "hs=%hs hsl=%hsl ID=%ID H=%H Th=%Th %%\"\n" +
                 kCaps,
             "L ", true},
        Case{"Quoted",
             "  log-format \"Q %{+Q}o ci=%ci fi=%fi f=%f ft=%ft b=%b s=%s ST=%ST CC=%CC "
             "CS=%CS ts=%ts HM=%HM HP=%HP HQ=%HQ HU=%HU HV=%HV r=%r hr=%hr hrl=%hrl hs=%hs "
             "hsl=%hsl ID=%ID H=%H src=%[src] c=%[capture.req.hdr(1)] "
             "n=%[capture.req.hdr(2)] %{-Q}o u=%HU\"\n" +
                 kCaps,
             "Q ", true},
        Case{"HexAndEscape",
             "  log-format \"X ci=%{+X}ci fi=%{+X}fi si=%{+X}si sp=%{+X}sp rt=%{+X}rt "
             "lc=%{+X}lc r=%{+E}r hu=%{+E,+Q}HU hr=%{+E}hr x=%{+E}[capture.req.hdr(0)]\"\n" +
                 kCaps,
             "X ", true},
        Case{"Timers",
             "  log-format \"T %t %T %Tl %tr %trg %trl %ms %Ts %pid %cp %fp %bi %bp "
             "%Th %Ti %TR %Tq %Tw %Tc %Tr %Ta %Tt %Td %Tu %B %U\"\n",
             "T ", false},
        // option logasap: the line goes with the response head, and Tt, Ta,
        // Tu and B carry a '+' (shape only: HAProxy's B counts its internal
        // head size, Hearth's the head's bytes on the wire).
        Case{"HttplogLogasap", "  option httplog\n  option logasap\n", "127.0.0.1:", false},
        Case{"TimersLogasap",
             "  option logasap\n  log-format \"T %Th %Ti %TR %Tw %Tc %Tr %Ta %Tt %Td %Tu %B "
             "%ST %ts\"\n",
             "T ", false},
        // Sample text ends at its first NUL; empty text is "-" (or "" quoted).
        Case{"EmptyAndNul",
             "  log-format \"E a=%[bin(00)] b=%[bin(6100)] c=%[str(a),bytes(1)] "
             "d=%{+Q}[str(a),bytes(1)] e=%{+Q}[bin(00)] f=%[bin(0061)] g=%[str(a),regsub(a,)] "
             "h=%[int(0)]\"\n",
             "E ", true},
        Case{"Separators", "  log-format \"   S  a   %ci  b%%c  %hr   %hs  z \"\n", "S ", true},
        Case{"UniqueId",
             "  unique-id-format %{+X}o\\ %ci:%fi_%rt\n  unique-id-header X-Req-Id\n"
             "  log-format \"U %ID %[unique-id] %{+Q}ID\"\n",
             "U ", true}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace hearth::test::http
