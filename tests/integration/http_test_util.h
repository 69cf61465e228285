#pragma once
// Helpers for the HTTP integration tests: a scripted HTTP/1.1 backend with
// per-connection bookkeeping and misbehaviours, a small blocking HTTP client,
// a fast verifiable payload pattern, hearth config templates, nginx as a real
// backend, and the resident memory of a process.
//
// The backend (HttpBackend) serves one thread per connection and records
// every request it read completely. What it answers depends on the target:
//   /size/N       200, content-length N, N bytes of the payload pattern
//   /chunked/N    200, chunked, N bytes of the pattern in chunks of varied sizes
//                 (with a trailer field "x-trailer: done")
//   /until-close/N  200 with neither length nor chunking, N bytes of the
//                 pattern, then the close (a close-delimited payload)
//   /slow/MS      waits MS ms, then answers like "/"
//   /pause/MS     200, content-length 13: "first\n", a pause of MS ms, "second\n"
//   /never        reads, never answers (until the peer or stop() closes)
//   /garbage      writes bytes that are not HTTP, then closes
//   /ws           101 Switching Protocols if the request asks for a websocket
//                 upgrade, then writes "hello\n" and echoes every byte
//   /status/N     status N, small body
//   /hash         body "<size> <sha256 hex>" of the request body it received
//   /echo         the request body back
//   /ntlm         401 with "www-authenticate: NTLM" unless the request has an
//                 authorization field, then 200 "welcome"
//   anything else 200, body "ok\n"
// Every response carries x-conn (the connection's number, from 1), x-req (the
// request's number on its connection, from 1) and x-target.
// A request with "Expect: 100-continue" gets "100 Continue" before its body is
// read (unless Options::answer_100 is false).
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/hearth_process.h"
#include "support/process.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"

namespace hearth::test::http {

using std::chrono::milliseconds;

// ---------------------------------------------------------------------------
// Payload pattern: 64 KiB blocks, each an 8-byte little-endian block number
// followed by a fixed pseudo-random tail. Cheap to generate and to check at any
// offset (memcpy/memcmp), and a lost, duplicated or reordered block is caught.

// Writes bytes [offset, offset + n) of the pattern into out.
void pattern_fill(uint64_t offset, char* out, size_t n);

// Checks a stream of bytes against the pattern from offset 0.
class PatternChecker {
 public:
  void feed(const char* p, size_t n);
  uint64_t size() const { return size_; }
  // Returns: true if every byte fed so far matched.
  bool ok() const { return first_bad_ < 0; }
  int64_t first_bad() const { return first_bad_; }

 private:
  uint64_t size_ = 0;
  int64_t first_bad_ = -1;
};

// ---------------------------------------------------------------------------
// The scripted HTTP backend.

struct HttpRequestRecord {
  uint64_t conn = 0;  // connection number, from 1
  int index = 0;      // request number on its connection, from 1
  std::string method, target, version;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;  // the first 64 KiB of the (decoded) body
  uint64_t body_size = 0;
  std::string body_sha256;
  bool chunked = false;
  std::vector<std::pair<std::string, std::string>> trailers;  // of a chunked body
  bool killed = false;  // read, then closed or reset without an answer

  // Returns: the value of the first field named `name` (lowercase), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  // Returns: how many fields are named `name`.
  int header_count(std::string_view name) const;
};

class HttpBackend {
 public:
  enum class OnReuse { kServe, kClose, kReset };
  struct Options {
    // Close a keep-alive connection that stays idle this long after a response
    // (0: never). The close is a FIN, after which the backend keeps reading for
    // linger_ms: anything arriving then is counted in late_requests().
    int64_t idle_timeout_ms = 0;
    int64_t linger_ms = 500;
    // Emulates a link with this one-way latency (ms) for the idle close: a
    // request arriving within latency_ms either side of the idle timeout was
    // in flight when the server closed, so it is dropped unanswered (counted
    // in late_requests()); with no request, the FIN leaves latency_ms late,
    // when it would reach the proxy. 0: loopback timing.
    int64_t latency_ms = 0;
    // Close after this many responses on a connection (0: never); the last
    // response says "connection: close" when announce_close.
    int close_after = 0;
    bool announce_close = true;
    // A connection's 2nd and later requests: read completely, then close (FIN)
    // or reset (RST) without answering.
    OnReuse on_reuse = OnReuse::kServe;
    // With on_reuse: the share of reused requests (in percent) killed that
    // way, drawn at random (a flaky NAT, a server resetting under load); the
    // others are served.
    int reuse_drop_percent = 100;
    uint32_t seed = 1;  // of the draws (each connection draws from seed and its number)
    // A silent cap: after this many responses on a connection (0: none), the
    // next request is read, then the connection closed (FIN) unanswered.
    int serve_limit = 0;
    bool answer_100 = true;
    std::string body = "ok\n";  // body of the default answer
    uint16_t port = 0;          // listen on this port (0: an ephemeral one)
  };

  HttpBackend();
  explicit HttpBackend(Options options);
  ~HttpBackend();
  HttpBackend(const HttpBackend&) = delete;
  HttpBackend& operator=(const HttpBackend&) = delete;

  uint16_t port() const { return server_->port(); }
  // Connections accepted so far.
  uint64_t connections() const { return server_->accepted(); }
  // Connections currently open on the backend side.
  int active() const { return server_->active(); }
  // Every request read completely, in completion order.
  std::vector<HttpRequestRecord> requests() const;
  size_t request_count() const;
  // Returns: requests with this method.
  size_t count_method(std::string_view method) const;
  // Returns: requests per connection number.
  std::map<uint64_t, int> per_connection() const;
  // Returns: connections on which bytes arrived after the backend had closed
  // its side because of idle_timeout_ms (a request sent on a dead connection).
  uint64_t late_requests() const;
  // Returns: connections closed because of idle_timeout_ms.
  uint64_t idle_closes() const;
  // Returns: bytes of a request head or body that were cut short (the peer
  // closed mid-message) or unparsable.
  uint64_t partial_requests() const;
  bool wait_requests(size_t n, milliseconds timeout) const;
  void stop() { server_->stop(); }

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<ScriptedServer> server_;
};

// ---------------------------------------------------------------------------
// A blocking HTTP/1.1 client on one connection.

struct HttpResponse {
  int status = 0;  // 0: no (complete) head
  std::string reason;
  std::string version;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;                                          // decoded; empty when a sink was given
  uint64_t body_size = 0;
  bool chunked = false;
  bool complete = false;  // the head and the whole body were read
  std::vector<std::pair<std::string, std::string>> trailers;

  std::optional<std::string> header(std::string_view name) const;
  bool has_token(std::string_view name, std::string_view token) const;
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port (check connected()).
  explicit HttpClient(uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  bool send(std::string_view data, milliseconds timeout = milliseconds{5000});
  // Reads one response. head_request: the request was HEAD (no body). With a
  // sink, body bytes go there instead of into HttpResponse::body. 1xx interim
  // responses are returned like any other (call again for the final one).
  HttpResponse read_response(milliseconds timeout = milliseconds{5000}, bool head_request = false,
                             const std::function<void(const char*, size_t)>& sink = {});
  // Sends a request and reads its response. Adds Host and Content-Length.
  HttpResponse request(std::string_view method, std::string_view target,
                       const std::vector<std::string>& headers = {}, std::string_view body = {},
                       milliseconds timeout = milliseconds{5000});
  // Returns: true if the server closed the connection (EOF or reset) within
  // timeout with no further bytes; bytes that did arrive go to *extra.
  bool closed_by_peer(milliseconds timeout, std::string* extra = nullptr);
  // Reads exactly n bytes (pending ones first), fewer on EOF or timeout.
  std::string read_n(size_t n, milliseconds timeout = milliseconds{5000});
  // Returns: bytes already read and not yet consumed.
  const std::string& pending() const { return buf_; }
  void close();

 private:
  // Reads more into buf_. Returns: false on EOF, error or timeout.
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  uint16_t port_;
  std::string buf_;
};

// Returns: the HTTP status of a raw response, after any 1xx ones, or 0.
int final_status(std::string_view raw);

// ---------------------------------------------------------------------------
// Hearth configs. ${FE} and ${BE} are the frontend and backend ports, FE_EXTRA
// lines go in the frontend, BE_EXTRA in the backend (before the server line),
// SRV_EXTRA at the end of the server line.
struct HearthHttpConfig {
  uint16_t fe_port = 0;
  uint16_t be_port = 0;
  std::string global_extra;
  std::string defaults_extra;
  std::string fe_extra;
  std::string be_extra;
  std::string srv_extra;
  std::string timeouts = "  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n";
};
std::string hearth_http_config(const HearthHttpConfig& c);

// A hearth started on hearth_http_config(c) (fe_port picked if 0), ready once
// its frontend port listens.
class HttpProxy {
 public:
  explicit HttpProxy(HearthHttpConfig c, HearthOptions options = {});
  bool ready() const { return hearth_->ready(); }
  std::string describe() const { return hearth_->describe(); }
  uint16_t port() const { return port_; }
  HearthProcess& hearth() { return *hearth_; }
  pid_t pid() { return hearth_->process().pid(); }
  // Stops hearth gracefully (SIGTERM). Returns: "" if it exited with status 0
  // and printed no sanitizer report, else what went wrong and its output.
  std::string stop_and_check();

 private:
  uint16_t port_;
  std::unique_ptr<HearthProcess> hearth_;
};

// ---------------------------------------------------------------------------
// nginx as a real backend, started in the foreground on an ephemeral port with
// its files in a temp dir. The access log records one line per request:
// "<connection serial> <connection requests> <status> <request>".
// With `tls`, it listens with ssl on that certificate and key, and each log
// line ends with " <$ssl_session_reused> <$ssl_server_name> <$ssl_protocol>".
// With `proxy_protocol`, it expects a PROXY header (v1 or v2) on every
// connection, and each line ends with " <$proxy_protocol_addr>
// <$proxy_protocol_port> <$proxy_protocol_server_addr>
// <$proxy_protocol_server_port>".
struct NginxTls {
  std::string cert, key;
  std::string protocols = "TLSv1.2 TLSv1.3";
};
class Nginx {
 public:
  // server_block_extra goes inside the server block.
  explicit Nginx(std::string server_block_extra = {}, const NginxTls* tls = nullptr,
                 bool proxy_protocol = false);
  ~Nginx();
  bool ready() const { return ready_; }
  std::string describe() const;
  uint16_t port() const { return port_; }
  const TempDir& dir() const { return dir_; }
  std::string root() const { return dir_.file("www"); }
  // Access log lines so far (nginx writes them as requests end).
  std::vector<std::string> access_log() const;
  // Returns: distinct connection serials in the access log.
  size_t distinct_connections() const;

 private:
  TempDir dir_;
  uint16_t port_ = 0;
  std::unique_ptr<Process> proc_;
  bool ready_ = false;
};

// Sends one command to hearth's stats socket at path. Returns: the answer
// ("" if the socket could not be reached).
std::string stats_command(const std::string& path, const std::string& command);
// Returns: the columns of `show servers conn` for server "be/s1" (backend/
// server), keyed by the header's column names; empty if absent.
std::map<std::string, std::string> server_conn_stats(const std::string& path,
                                                     const std::string& server);

// Returns: the resident set size of pid in KiB (VmRSS), or -1.
long rss_kib(pid_t pid);

}  // namespace hearth::test::http
