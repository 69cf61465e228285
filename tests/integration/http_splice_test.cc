// HTTP mode with kernel splicing (option splice-request / splice-response /
// splice-auto): large payloads of known length go socket -> pipe -> socket
// and arrive intact; show info's SplicedBytes (bytes that never crossed user
// space) proves the pipe carried them; the log counts them; both connections
// stay alive for the next request (the server connection back in its pool).
// A payload the rules look at, and a chunked one, keep the buffered path.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http_test_util.h"
#include "stat_csv.h"
#include "support/output_lines.h"
#include "support/pseudo_random.h"
#include "support/scripted_server.h"
#include "support/sha256.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

constexpr uint64_t kBig = 200ull << 20;
// What goes through the buffers before a pipe takes over: the payload that
// came with the head and at most a couple of buffer reads (tune.bufsize).
constexpr uint64_t kSlack = 256u << 10;

// hearth in mode http against an HttpBackend, with a stats socket and a log
// line per transaction on stdout: "splice-log <%U> <%B> <%ST> <%ts>".
struct SpliceHttp {
  explicit SpliceHttp(const std::string& defaults_extra, const std::string& be_extra = "",
                      const std::string& fe_extra = "", const std::string& global_extra = "")
      : sock(dir.file("stats.sock")),
        proxy(
            HearthHttpConfig{
                .be_port = backend.port(),
                .global_extra = "  stats socket " + sock +
                                " level admin\n  log stdout format raw local0\n" + global_extra,
                .defaults_extra =
                    "  log global\n  log-format \"splice-log %U %B %ST %ts\"\n" + defaults_extra,
                .fe_extra = fe_extra,
                .be_extra = be_extra,
                .timeouts = "  timeout connect 1s\n  timeout client 30s\n"
                            "  timeout server 30s\n"},
            HearthOptions{.wait_output = "stats socket"}) {}
  // A figure of show info.
  uint64_t info(const std::string& name) const {
    std::istringstream in(stats_command(sock, "show info"));
    const std::string prefix = name + ": ";
    for (std::string line; std::getline(in, line);)
      if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
    ADD_FAILURE() << "no " << name << " in show info";
    return 0;
  }
  uint64_t spliced() const { return info("SplicedBytes"); }
  // The frontend's bin and bout columns of show stat.
  std::pair<uint64_t, uint64_t> fe_bytes() const {
    std::istringstream in(stats_command(sock, "show stat"));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("fe,FRONTEND,", 0) != 0) continue;
      std::vector<std::string> f;
      std::istringstream cols(line);
      for (std::string c; std::getline(cols, c, ',');) f.push_back(c);
      if (f.size() > 9) return {std::stoull(f[8]), std::stoull(f[9])};  // bin, bout
    }
    ADD_FAILURE() << "no frontend row in show stat";
    return {0, 0};
  }
  // The log lines so far, waiting for at least n. Returns: their fields.
  struct LogLine {
    uint64_t bytes_in = 0, bytes_out = 0;
    int status = 0;
    std::string term;
  };
  std::vector<LogLine> logs(size_t n, milliseconds timeout = milliseconds{5000}) {
    std::vector<std::string> lines;
    wait_until(
        [&] {
          lines = lines_with(proxy.hearth().output(), {"splice-log "});
          return lines.size() >= n;
        },
        timeout);
    std::vector<LogLine> out;
    const std::regex re(R"(splice-log (\d+) (\d+) (-?\d+) (\S+))");
    for (const std::string& l : lines) {
      std::smatch m;
      if (!std::regex_search(l, m, re)) continue;
      out.push_back({std::stoull(m[1]), std::stoull(m[2]), std::stoi(m[3]), m[4]});
    }
    return out;
  }

  HttpBackend backend;
  TempDir dir;
  std::string sock;
  HttpProxy proxy;
};

// Uploads n pattern bytes to /hash. Returns: the sha256 sent ("" on failure).
std::string upload(HttpClient& c, uint64_t n) {
  const std::string head =
      "POST /hash HTTP/1.1\r\nhost: a\r\ncontent-length: " + std::to_string(n) + "\r\n\r\n";
  if (!c.send(head)) return "";
  Sha256 sent;
  std::string chunk(1 << 20, '\0');
  for (uint64_t off = 0; off < n;) {
    const size_t k = size_t(std::min<uint64_t>(n - off, chunk.size()));
    pattern_fill(off, chunk.data(), k);
    if (!c.send(std::string_view(chunk.data(), k), milliseconds{60000})) return "";
    sent.update(std::string_view(chunk.data(), k));
    off += k;
  }
  return sent.hex_digest();
}

// Downloads /size/n (or /chunked/n) and checks the pattern.
void download(HttpClient& c, const std::string& kind, uint64_t n) {
  ASSERT_TRUE(c.send("GET /" + kind + "/" + std::to_string(n) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
  PatternChecker check;
  HttpResponse r = c.read_response(milliseconds{120000}, false,
                                   [&](const char* p, size_t k) { check.feed(p, k); });
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(check.size(), n);
  EXPECT_TRUE(check.ok()) << "first bad byte at " << check.first_bad();
}

TEST(HttpSplice, RequestBodyIsSplicedAndBothConnectionsStay) {
  SpliceHttp h("", "  option splice-request\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  const std::string digest = upload(c, kBig);
  ASSERT_FALSE(digest.empty());
  // Pipelined right behind the payload: the pipe takes the payload's bytes
  // and not one more.
  ASSERT_TRUE(c.send("GET /after HTTP/1.1\r\nhost: a\r\n\r\n"));
  HttpResponse r = c.read_response(milliseconds{60000});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, std::to_string(kBig) + " " + digest);
  // The same client connection, the same server connection (back in its pool).
  EXPECT_EQ(c.read_response().status, 200);
  const uint64_t spliced = h.spliced();
  EXPECT_GE(spliced, kBig - kSlack);
  EXPECT_LE(spliced, kBig);
  EXPECT_EQ(h.backend.connections(), 1u);
  EXPECT_EQ(h.spliced(), spliced);  // a response of "ok" is not spliced
  auto logs = h.logs(2);
  ASSERT_EQ(logs.size(), 2u);
  // The frontend's counters as the log: bytes in from the client, out to it.
  EXPECT_EQ(h.fe_bytes(), std::make_pair(logs[0].bytes_in + logs[1].bytes_in,
                                         logs[0].bytes_out + logs[1].bytes_out));
  EXPECT_GT(logs[0].bytes_in, kBig);  // the head and the whole payload
  EXPECT_LT(logs[0].bytes_in, kBig + 200);
  EXPECT_EQ(logs[0].status, 200);
  EXPECT_EQ(logs[0].term, "--");
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// A client that sends faster than Hearth forwards always has more payload
// waiting on its socket: the pipe still takes over once the buffered bytes
// left, instead of the buffer being refilled forever.
TEST(HttpSplice, FastUploaderIsSpliced) {
  constexpr size_t kSize = 64u << 20;
  SpliceHttp h("  option splice-auto\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  const std::string payload = pseudo_random_bytes(9, kSize);
  HttpClient c(h.proxy.port());
  for (int round = 1; round <= 3; ++round) {
    SCOPED_TRACE(round);
    const uint64_t before = h.spliced();
    ASSERT_TRUE(c.send("POST /hash HTTP/1.1\r\nhost: a\r\ncontent-length: " +
                           std::to_string(kSize) + "\r\n\r\n" + payload,
                       milliseconds{60000}));
    HttpResponse r = c.read_response(milliseconds{60000});
    EXPECT_EQ(r.body, std::to_string(kSize) + " " + sha256_hex(payload));
    EXPECT_GE(h.spliced() - before, kSize - kSlack);
  }
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

TEST(HttpSplice, ResponseBodyIsSplicedAndBothConnectionsStay) {
  SpliceHttp h("", "", "  option splice-response\n");  // the frontend's option is enough
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  download(c, "size", kBig);
  const uint64_t spliced = h.spliced();
  EXPECT_GE(spliced, kBig - kSlack);
  EXPECT_LE(spliced, kBig);
  EXPECT_EQ(c.request("GET", "/after").status, 200);
  download(c, "size", 3u << 20);  // and once more through a pipe
  EXPECT_GE(h.spliced(), spliced + (3u << 20) - kSlack);
  // Each payload gave its pipe back when it ended, kept for the next one.
  EXPECT_EQ(h.info("PipesUsed"), 0u);
  EXPECT_EQ(h.info("PipesFree"), 1u);
  EXPECT_EQ(h.backend.connections(), 1u);
  auto logs = h.logs(3);
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(h.fe_bytes().second, logs[0].bytes_out + logs[1].bytes_out + logs[2].bytes_out);
  EXPECT_GT(logs[0].bytes_out, kBig);  // the head and the whole payload
  EXPECT_LT(logs[0].bytes_out, kBig + 300);
  EXPECT_EQ(logs[0].term, "--");
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// The common real-world shape: the option in a "defaults" section of mode
// http. The config loads, and splice-auto takes over both ways once a
// payload streams.
TEST(HttpSplice, AutoFromDefaultsSplicesBothWays) {
  SpliceHttp h("  option splice-auto\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  EXPECT_EQ(c.request("GET", "/small").status, 200);
  EXPECT_EQ(h.spliced(), 0u);  // a small message never streams
  download(c, "size", kBig);
  const uint64_t down = h.spliced();
  EXPECT_GE(down, kBig - 4 * kSlack);
  const std::string digest = upload(c, kBig);
  ASSERT_FALSE(digest.empty());
  HttpResponse r = c.read_response(milliseconds{60000});
  EXPECT_EQ(r.body, std::to_string(kBig) + " " + digest);
  EXPECT_GE(h.spliced(), down + kBig - 4 * kSlack);
  EXPECT_EQ(c.request("GET", "/after").status, 200);
  EXPECT_EQ(h.backend.connections(), 1u);
  // The third request of its connection: %U counts its head too (the bytes
  // that woke the idle connection) and its payload.
  auto logs = h.logs(4);
  ASSERT_EQ(logs.size(), 4u);
  EXPECT_GT(logs[1].bytes_out, kBig);
  EXPECT_GT(logs[2].bytes_in, kBig + 50);
  EXPECT_LT(logs[2].bytes_in, kBig + 200);
  // show stat's h1 module: the frontend's pipes took the upload in and gave
  // the download out; the backend's the other way round; all of it is what
  // show info counts as spliced.
  auto fe = stat_row(h.sock, "fe", "FRONTEND");
  auto be = stat_row(h.sock, "be", "BACKEND");
  ASSERT_FALSE(fe["h1_spliced_bytes_in"].empty()) << stats_command(h.sock, "show stat");
  ASSERT_FALSE(be["h1_spliced_bytes_in"].empty()) << stats_command(h.sock, "show stat");
  const uint64_t fe_in = std::stoull(fe["h1_spliced_bytes_in"]);
  const uint64_t fe_out = std::stoull(fe["h1_spliced_bytes_out"]);
  EXPECT_GE(fe_in, kBig - 4 * kSlack);
  EXPECT_GE(fe_out, kBig - 4 * kSlack);
  EXPECT_EQ(fe_in + fe_out, h.spliced());
  EXPECT_EQ(be["h1_spliced_bytes_in"], fe["h1_spliced_bytes_out"]);
  EXPECT_EQ(be["h1_spliced_bytes_out"], fe["h1_spliced_bytes_in"]);
  EXPECT_EQ(be["h1_bytes_in"], be["bout"]);  // the server side's view
  EXPECT_EQ(be["h1_bytes_out"], be["bin"]);
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// Rules that need the request payload keep it in the buffered path for that
// transaction; the next one splices again.
TEST(HttpSplice, ARuleOnTheBodyKeepsTheBufferedPath) {
  constexpr uint64_t kSize = 20u << 20;
  for (const char* rule :
       {"  http-request wait-for-body time 2s\n", "  http-request set-var(txn.len) req.body_len\n",
        "  option http-buffer-request\n"}) {
    SCOPED_TRACE(rule);
    SpliceHttp h("", std::string("  option splice-request\n") + rule);
    ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
    HttpClient c(h.proxy.port());
    const std::string digest = upload(c, kSize);
    HttpResponse r = c.read_response(milliseconds{60000});
    EXPECT_EQ(r.body, std::to_string(kSize) + " " + digest);
    EXPECT_EQ(h.spliced(), 0u);
    EXPECT_EQ(h.proxy.stop_and_check(), "");
  }
}

// A chunked payload is decoded and re-encoded by the muxes: never spliced.
TEST(HttpSplice, ChunkedPayloadIsNotSpliced) {
  SpliceHttp h("  option splice-request\n  option splice-response\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  download(c, "chunked", 4u << 20);
  EXPECT_EQ(h.spliced(), 0u);
  download(c, "size", 4u << 20);
  EXPECT_GE(h.spliced(), (4u << 20) - kSlack);
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// A response delimited by the server's close goes through the pipe up to
// that close, and stays close-delimited toward the client.
TEST(HttpSplice, CloseDelimitedResponseIsSpliced) {
  constexpr uint64_t kSize = 16u << 20;
  SpliceHttp h("  option splice-response\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  download(c, "until-close", kSize);
  EXPECT_GE(h.spliced(), kSize - kSlack);
  EXPECT_TRUE(c.closed_by_peer(milliseconds{3000}));
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// No pipe to take (maxpipes 0, or nosplice): the buffers carry the payload.
TEST(HttpSplice, NoPipeMeansTheBufferedPath) {
  for (const char* global : {"  maxpipes 0\n", "  nosplice\n"}) {
    SCOPED_TRACE(global);
    SpliceHttp h("  option splice-request\n  option splice-response\n", "", "", global);
    ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
    HttpClient c(h.proxy.port());
    download(c, "size", 8u << 20);
    EXPECT_EQ(h.spliced(), 0u);
    EXPECT_EQ(h.proxy.stop_and_check(), "");
  }
}

// The inactivity timeouts hold while a pipe carries the payload: a client
// that stops reading a spliced response, and one that stops sending a spliced
// request, are dropped after `timeout client` (cD).
TEST(HttpSplice, StalledClientsTimeOutWhileSpliced) {
  SpliceHttp h("  option splice-request\n  option splice-response\n", "", "  timeout client 1s\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient down(h.proxy.port());
  ASSERT_TRUE(down.send("GET /size/" + std::to_string(kBig) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
  EXPECT_EQ(down.read_n(1 << 20, milliseconds{5000}).size(), size_t(1) << 20);
  auto logs = h.logs(1);  // ... and reads no more
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].term, "cD");
  EXPECT_GT(h.spliced(), 0u);
  const uint64_t before = h.spliced();
  HttpClient up(h.proxy.port());
  ASSERT_TRUE(up.send("POST /hash HTTP/1.1\r\nhost: a\r\ncontent-length: " + std::to_string(kBig) +
                      "\r\n\r\n"));
  ASSERT_TRUE(up.send(pseudo_random_bytes(3, 4u << 20)));  // ... then nothing
  logs = h.logs(2);
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[1].term, "cD");
  EXPECT_GT(h.spliced(), before);
  EXPECT_TRUE(up.closed_by_peer(milliseconds{3000}));
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// A client that reads slowly holds the server back through the full pipe:
// that is no server inactivity (timeout server does not fire).
TEST(HttpSplice, SlowReaderOfASplicedResponseIsNoServerTimeout) {
  constexpr uint64_t kSize = 32u << 20;
  SpliceHttp h("  option splice-response\n", "  timeout server 1s\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  ASSERT_TRUE(c.send("GET /size/" + std::to_string(kSize) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
  const std::string first = c.read_n(1 << 20);
  const size_t head_end = first.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  std::this_thread::sleep_for(milliseconds{2500});
  const size_t rest = kSize - (first.size() - head_end - 4);
  EXPECT_EQ(c.read_n(rest, milliseconds{20000}).size(), rest);
  EXPECT_GT(h.spliced(), kSize / 2);
  auto logs = h.logs(1);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].term, "--");
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

// A server that closes before its Content-Length is reached, while a pipe
// carries the payload: the client sees the connection end (the payload cut
// short, as without splicing), the log says SD.
TEST(HttpSplice, ServerCutMidSplicedBodyClosesTheClient) {
  constexpr size_t kSent = 4u << 20;
  const std::string head =
      "HTTP/1.1 200 OK\r\ncontent-length: " + std::to_string(2 * kSent) + "\r\n\r\n";
  ScriptedServer liar(scripted::reply_and_close(head + pseudo_random_bytes(4, kSent)));
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  HttpProxy proxy(
      {.be_port = liar.port(),
       .global_extra = "  stats socket " + sock + " level admin\n  log stdout format raw local0\n",
       .defaults_extra = "  log global\n  log-format \"splice-log %U %B %ST %ts\"\n"
                         "  option splice-response\n"},
      HearthOptions{.wait_output = "stats socket"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  HttpClient c(proxy.port());
  HttpResponse r = c.request("GET", "/", {}, {}, milliseconds{5000});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.body.size(), kSent);
  std::vector<std::string> lines;
  wait_until(
      [&] {
        lines = lines_with(proxy.hearth().output(), {"splice-log "});
        return !lines.empty();
      },
      milliseconds{3000});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(" 200 SD"), std::string::npos) << lines[0];
  EXPECT_NE(stats_command(sock, "show info").find("SplicedBytes: "), std::string::npos);
  EXPECT_EQ(stats_command(sock, "show info").find("SplicedBytes: 0\n"), std::string::npos);
  EXPECT_EQ(proxy.stop_and_check(), "");
}

// After a 101 the tunnel's bytes go through pipes both ways (the server's
// first bytes, which came with its head, through the buffer first).
TEST(HttpSplice, UpgradedTunnelIsSplicedBothWays) {
  constexpr size_t kSize = 32u << 20;
  SpliceHttp h("  option splice-request\n  option splice-response\n");
  ASSERT_TRUE(h.proxy.ready()) << h.proxy.describe();
  HttpClient c(h.proxy.port());
  ASSERT_TRUE(
      c.send("GET /ws HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
             "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"));
  ASSERT_EQ(c.read_response().status, 101);
  EXPECT_EQ(c.read_n(6), "hello\n");
  const std::string frame = pseudo_random_bytes(7, kSize);
  std::thread writer([&] { EXPECT_TRUE(c.send(frame, milliseconds{60000})); });
  const std::string back = c.read_n(frame.size(), milliseconds{60000});
  writer.join();
  EXPECT_EQ(sha256_hex(back), sha256_hex(frame));
  EXPECT_GE(h.spliced(), 2 * kSize - kSlack);
  shutdown(c.fd(), SHUT_WR);  // the FIN follows the piped bytes to the server
  EXPECT_TRUE(c.closed_by_peer(milliseconds{3000}));
  EXPECT_EQ(h.proxy.stop_and_check(), "");
}

}  // namespace
}  // namespace hearth::test::http
