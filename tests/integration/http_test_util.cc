// Implementation of http_test_util.h. CMakeLists.txt compiles only
// tests/integration/*_test.cc into integration_tests, so this file is compiled
// as part of http_util_selftest_test.cc (which #includes it).
#include "http_test_util.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "support/client.h"
#include "support/ports.h"
#include "support/pseudo_random.h"
#include "support/sha256.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kBlock = 65536;

const std::string& pattern_tail() {
  static const std::string tail = pseudo_random_bytes(42, kBlock);
  return tail;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool has_token(std::string_view value, std::string_view token) {
  std::string v = lower(value);
  std::string t = lower(token);
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t end = v.find(',', pos);
    if (end == std::string::npos) end = v.size();
    if (trim(std::string_view(v).substr(pos, end - pos)) == t) return true;
    pos = end + 1;
  }
  return false;
}

int ms_left(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left, 1 << 30));
}

enum class Fill { kData, kEof, kTimeout };

// Reads what is available on fd into buf, waiting up to timeout_ms (-1: forever).
Fill fill_buf(int fd, std::string& buf, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  for (;;) {
    int r = poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return Fill::kTimeout;
    if (r < 0) return Fill::kEof;
    break;
  }
  char tmp[65536];
  for (;;) {
    ssize_t n = recv(fd, tmp, sizeof tmp, MSG_DONTWAIT);
    if (n > 0) {
      buf.append(tmp, static_cast<size_t>(n));
      return Fill::kData;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Fill::kTimeout;
    return Fill::kEof;
  }
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void set_reset_on_close(int fd) {
  linger lg{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

using Fields = std::vector<std::pair<std::string, std::string>>;

// Parses "Name: value" lines of a head (after its first line).
void parse_fields(std::string_view block, Fields* out) {
  size_t pos = 0;
  while (pos < block.size()) {
    size_t end = block.find("\r\n", pos);
    if (end == std::string::npos) end = block.size();
    std::string_view line = block.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos)
      out->emplace_back(lower(line.substr(0, colon)), trim(line.substr(colon + 1)));
    pos = end + 2;
  }
}

std::optional<std::string> find_field(const Fields& f, std::string_view name) {
  for (const auto& [n, v] : f)
    if (n == name) return v;
  return std::nullopt;
}

// Reads a message body from a buffered connection into sink.
// Returns: false if the connection ended (or the deadline passed) first, or
// the chunked framing was malformed.
class BodyIn {
 public:
  BodyIn(int fd, std::string& buf, SteadyClock::time_point deadline)
      : fd_(fd), buf_(buf), deadline_(deadline) {}

  bool fixed(uint64_t n, const std::function<void(const char*, size_t)>& sink) {
    while (n > 0) {
      if (buf_.empty() && !more()) return false;
      size_t take = static_cast<size_t>(std::min<uint64_t>(n, buf_.size()));
      sink(buf_.data(), take);
      buf_.erase(0, take);
      n -= take;
    }
    return true;
  }

  bool until_eof(const std::function<void(const char*, size_t)>& sink) {
    for (;;) {
      if (!buf_.empty()) {
        sink(buf_.data(), buf_.size());
        buf_.clear();
      }
      if (!more()) return !timed_out_;
    }
  }

  bool chunked(const std::function<void(const char*, size_t)>& sink, Fields* trailers) {
    for (;;) {
      std::string line;
      if (!read_line(&line)) return false;
      size_t semi = line.find(';');
      std::string hex = trim(line.substr(0, semi));
      if (hex.empty() || hex.size() > 15 ||
          hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return false;
      uint64_t size = std::stoull(hex, nullptr, 16);
      if (size == 0) {
        for (;;) {
          if (!read_line(&line)) return false;
          if (line.empty()) return true;
          if (trailers) parse_fields(line, trailers);
        }
      }
      if (!fixed(size, sink)) return false;
      if (!read_line(&line) || !line.empty()) return false;
    }
  }

 private:
  bool more() {
    Fill f = fill_buf(fd_, buf_, ms_left(deadline_));
    timed_out_ = f == Fill::kTimeout;
    return f == Fill::kData;
  }
  bool read_line(std::string* line) {
    for (;;) {
      size_t end = buf_.find("\r\n");
      if (end != std::string::npos) {
        *line = buf_.substr(0, end);
        buf_.erase(0, end + 2);
        return true;
      }
      if (buf_.size() > 65536 || !more()) return false;
    }
  }

  int fd_;
  std::string& buf_;
  SteadyClock::time_point deadline_;
  bool timed_out_ = false;
};

// Reads a head ending in CRLF CRLF. Returns: the head without its final CRLF
// CRLF; nullopt on EOF, timeout, or more than 64 KiB without an end.
std::optional<std::string> read_head(int fd, std::string& buf, SteadyClock::time_point deadline) {
  for (;;) {
    size_t end = buf.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::string head = buf.substr(0, end);
      buf.erase(0, end + 4);
      return head;
    }
    if (buf.size() > 65536) return std::nullopt;
    if (fill_buf(fd, buf, ms_left(deadline)) != Fill::kData) return std::nullopt;
  }
}

}  // namespace

// ---------------------------------------------------------------------------

void pattern_fill(uint64_t offset, char* out, size_t n) {
  const std::string& tail = pattern_tail();
  while (n > 0) {
    uint64_t block = offset / kBlock;
    size_t within = static_cast<size_t>(offset % kBlock);
    size_t take = std::min(n, kBlock - within);
    if (within < 8) {
      char hdr[8];
      for (int i = 0; i < 8; ++i) hdr[i] = static_cast<char>((block >> (8 * i)) & 0xff);
      size_t h = std::min(take, 8 - within);
      memcpy(out, hdr + within, h);
      if (take > h) memcpy(out + h, tail.data() + 8, take - h);
    } else {
      memcpy(out, tail.data() + within, take);
    }
    out += take;
    offset += take;
    n -= take;
  }
}

void PatternChecker::feed(const char* p, size_t n) {
  thread_local std::string expect(kBlock, '\0');
  while (n > 0) {
    size_t take = std::min(n, kBlock);
    if (first_bad_ < 0) {
      pattern_fill(size_, expect.data(), take);
      if (memcmp(expect.data(), p, take) != 0) {
        size_t i = 0;
        while (expect[i] == p[i]) ++i;
        first_bad_ = static_cast<int64_t>(size_ + i);
      }
    }
    size_ += take;
    p += take;
    n -= take;
  }
}

// ---------------------------------------------------------------------------

std::optional<std::string> HttpRequestRecord::header(std::string_view name) const {
  return find_field(headers, lower(name));
}

int HttpRequestRecord::header_count(std::string_view name) const {
  std::string n = lower(name);
  int c = 0;
  for (const auto& f : headers) c += f.first == n;
  return c;
}

struct HttpBackend::State {
  Options opt;
  std::atomic<uint64_t> next_conn{0};
  std::atomic<uint64_t> late{0}, idle_closes{0}, partial{0};
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  std::vector<HttpRequestRecord> records;

  void record(const HttpRequestRecord& r) {
    std::lock_guard<std::mutex> lock(mu);
    records.push_back(r);
  }
  void serve(int fd);
};

namespace {

// One connection of the backend.
class BackendConn {
 public:
  BackendConn(HttpBackend::State& st, int fd, uint64_t id) : st_(st), fd_(fd), id_(id) {}
  void run();

 private:
  // Waits for the first byte of the next request. Returns: false to close.
  bool await_request();
  bool read_request(HttpRequestRecord* rec);
  // Returns: false to close the connection after this response.
  bool respond(const HttpRequestRecord& rec, bool last);
  std::string head(int status, std::string_view reason, const HttpRequestRecord& rec,
                   std::string_view framing, bool close);
  void tunnel();

  HttpBackend::State& st_;
  int fd_;
  uint64_t id_;
  std::string buf_;
};

void BackendConn::run() {
  std::mt19937 rng(st_.opt.seed * 2654435761u + uint32_t(id_));
  for (int index = 1;; ++index) {
    if (!await_request()) return;
    HttpRequestRecord rec;
    rec.conn = id_;
    rec.index = index;
    if (!read_request(&rec)) {
      st_.partial.fetch_add(1);
      return;
    }
    const bool dropped = index > 1 && st_.opt.on_reuse != HttpBackend::OnReuse::kServe &&
                         int(rng() % 100) < st_.opt.reuse_drop_percent;
    if (st_.opt.serve_limit > 0 && index > st_.opt.serve_limit) {
      rec.killed = true;
      st_.record(rec);
      return;
    }
    if (dropped) {
      rec.killed = true;
      st_.record(rec);
      if (st_.opt.on_reuse == HttpBackend::OnReuse::kReset) set_reset_on_close(fd_);
      return;
    }
    st_.record(rec);
    bool last = st_.opt.close_after > 0 && index >= st_.opt.close_after;
    if (!respond(rec, last) || last) return;
  }
}

bool BackendConn::await_request() {
  if (!buf_.empty()) return true;
  const int64_t idle = st_.opt.idle_timeout_ms;
  const int64_t lat = std::min(st_.opt.latency_ms, idle);
  Fill f = fill_buf(fd_, buf_, idle > 0 ? static_cast<int>(idle - lat) : -1);
  if (f == Fill::kData) return true;
  if (f == Fill::kEof) return false;
  if (lat > 0) {
    f = fill_buf(fd_, buf_, static_cast<int>(2 * lat));
    if (f == Fill::kEof) return false;
    if (f == Fill::kData) {  // in flight while we closed: never answered
      st_.idle_closes.fetch_add(1);
      st_.late.fetch_add(1);
      return false;
    }
  }
  // Idle too long: close our side, then watch for a request sent regardless.
  st_.idle_closes.fetch_add(1);
  shutdown(fd_, SHUT_WR);
  auto deadline = SteadyClock::now() + milliseconds{st_.opt.linger_ms};
  std::string late;
  while (!st_.stopping.load() && fill_buf(fd_, late, ms_left(deadline)) == Fill::kData) {
  }
  if (!late.empty()) st_.late.fetch_add(1);
  return false;
}

bool BackendConn::read_request(HttpRequestRecord* rec) {
  auto deadline = SteadyClock::now() + milliseconds{30000};
  std::optional<std::string> head = read_head(fd_, buf_, deadline);
  if (!head) return false;
  size_t eol = head->find("\r\n");
  std::string line = head->substr(0, eol);
  size_t s1 = line.find(' '), s2 = line.rfind(' ');
  if (s1 == std::string::npos || s2 == s1) return false;
  rec->method = line.substr(0, s1);
  rec->target = line.substr(s1 + 1, s2 - s1 - 1);
  rec->version = line.substr(s2 + 1);
  if (eol != std::string::npos)
    parse_fields(std::string_view(*head).substr(eol + 2), &rec->headers);
  if (auto e = rec->header("expect"); e && lower(*e) == "100-continue" && st_.opt.answer_100) {
    if (!write_all(fd_, "HTTP/1.1 100 Continue\r\n\r\n")) return false;
  }
  Sha256 hash;
  auto sink = [&](const char* p, size_t n) {
    if (rec->body.size() < 65536) rec->body.append(p, std::min(n, 65536 - rec->body.size()));
    hash.update(std::string_view(p, n));
  };
  BodyIn body(fd_, buf_, SteadyClock::now() + milliseconds{600000});
  bool ok = true;
  auto te = rec->header("transfer-encoding");
  if (te && has_token(*te, "chunked")) {
    rec->chunked = true;
    ok = body.chunked(sink, &rec->trailers);
  } else if (auto cl = rec->header("content-length")) {
    ok = body.fixed(std::stoull(*cl), sink);
  }
  rec->body_size = hash.size();
  rec->body_sha256 = hash.hex_digest();
  return ok;
}

std::string BackendConn::head(int status, std::string_view reason, const HttpRequestRecord& rec,
                              std::string_view framing, bool close) {
  std::string h = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  h += "x-conn: " + std::to_string(rec.conn) + "\r\n";
  h += "x-req: " + std::to_string(rec.index) + "\r\n";
  h += "x-target: " + rec.target + "\r\n";
  h += std::string(framing);
  if (close) h += "connection: close\r\n";
  h += "\r\n";
  return h;
}

bool BackendConn::respond(const HttpRequestRecord& rec, bool last) {
  const std::string& t = rec.target;
  auto conn = rec.header("connection");
  bool close = (conn && has_token(*conn, "close")) ||
               (rec.version == "HTTP/1.0" && !(conn && has_token(*conn, "keep-alive")));
  if (last && st_.opt.announce_close) close = true;
  const bool keep = !close && !last;
  const bool head_only = rec.method == "HEAD";
  auto simple = [&](int status, std::string_view reason, const std::string& body) {
    const bool no_body = status == 204 || status == 304 || status < 200;
    std::string framing = "content-length: " + std::to_string(body.size()) + "\r\n";
    std::string out = head(status, reason, rec, no_body ? "" : framing, close);
    if (!head_only && !no_body) out += body;
    return write_all(fd_, out) && keep;
  };
  auto number_after = [&](std::string_view prefix) -> uint64_t {
    return std::stoull(t.substr(prefix.size()));
  };
  const bool until_close = t.rfind("/until-close/", 0) == 0;
  if (t.rfind("/size/", 0) == 0 || until_close) {
    uint64_t n = number_after(until_close ? "/until-close/" : "/size/");
    const std::string framing =
        until_close ? std::string() : "content-length: " + std::to_string(n) + "\r\n";
    if (!write_all(fd_, head(200, "OK", rec, framing, close || until_close))) return false;
    if (head_only) return keep && !until_close;
    std::string chunk(256 * 1024, '\0');
    for (uint64_t off = 0; off < n;) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(n - off, chunk.size()));
      pattern_fill(off, chunk.data(), take);
      if (!write_all(fd_, std::string_view(chunk.data(), take))) return false;
      off += take;
    }
    return keep && !until_close;
  }
  if (t.rfind("/chunked/", 0) == 0) {
    uint64_t n = number_after("/chunked/");
    if (!write_all(fd_, head(200, "OK", rec, "transfer-encoding: chunked\r\n", close)))
      return false;
    if (head_only) return keep;
    static const size_t kSizes[] = {1, 7, 100, 4096, 65536, 300000, 3};
    std::string chunk;
    size_t k = 0;
    for (uint64_t off = 0; off < n; ++k) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(n - off, kSizes[k % 7]));
      char line[32];
      snprintf(line, sizeof line, "%zx\r\n", take);
      chunk.assign(line);
      size_t at = chunk.size();
      chunk.resize(at + take);
      pattern_fill(off, chunk.data() + at, take);
      chunk += "\r\n";
      if (!write_all(fd_, chunk)) return false;
      off += take;
    }
    return write_all(fd_, "0\r\nx-trailer: done\r\n\r\n") && keep;
  }
  if (t.rfind("/slow/", 0) == 0) {
    std::this_thread::sleep_for(milliseconds{number_after("/slow/")});
    return simple(200, "OK", st_.opt.body);
  }
  if (t.rfind("/pause/", 0) == 0) {  // half the body, a pause, the rest
    if (!write_all(fd_, head(200, "OK", rec, "content-length: 13\r\n", close) + "first\n"))
      return false;
    std::this_thread::sleep_for(milliseconds{number_after("/pause/")});
    return write_all(fd_, "second\n") && keep;
  }
  if (t == "/never") {
    std::string sink;
    while (!st_.stopping.load() && fill_buf(fd_, sink, 100) != Fill::kEof) sink.clear();
    return false;
  }
  if (t == "/garbage") {
    write_all(fd_, "this is not HTTP at all\r\n\r\n");
    return false;
  }
  if (t == "/ws") {
    auto up = rec.header("upgrade");
    if (!up || !has_token(*up, "websocket")) return simple(400, "Bad Request", "no upgrade\n");
    std::string h =
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
        "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nx-conn: " +
        std::to_string(rec.conn) + "\r\n\r\nhello\n";
    if (!write_all(fd_, h)) return false;
    tunnel();
    return false;
  }
  if (t.rfind("/status/", 0) == 0) {
    int status = static_cast<int>(number_after("/status/"));
    return simple(status, "Whatever", "status " + std::to_string(status) + "\n");
  }
  if (t == "/ntlm") {  // a connection-bound handshake: 401 until authorized
    if (rec.header("authorization")) return simple(200, "OK", "welcome\n");
    return write_all(fd_, head(401, "Unauthorized", rec,
                               "www-authenticate: NTLM\r\ncontent-length: 0\r\n", close)) &&
           keep;
  }
  if (t == "/hash") return simple(200, "OK", std::to_string(rec.body_size) + " " + rec.body_sha256);
  if (t == "/echo") return simple(200, "OK", rec.body);
  return simple(200, "OK", st_.opt.body);
}

// Echoes every byte until EOF.
void BackendConn::tunnel() {
  for (;;) {
    if (!buf_.empty()) {
      if (!write_all(fd_, buf_)) return;
      buf_.clear();
    }
    if (st_.stopping.load()) return;
    Fill f = fill_buf(fd_, buf_, 100);
    if (f == Fill::kEof) return;
  }
}

}  // namespace

void HttpBackend::State::serve(int fd) {
  BackendConn c(*this, fd, next_conn.fetch_add(1) + 1);
  c.run();
}

HttpBackend::HttpBackend() : HttpBackend(Options()) {}

HttpBackend::HttpBackend(Options options) : state_(std::make_shared<State>()) {
  state_->opt = std::move(options);
  std::shared_ptr<State> st = state_;
  server_ = std::make_unique<ScriptedServer>([st](int fd) { st->serve(fd); }, st->opt.port);
}

HttpBackend::~HttpBackend() {
  state_->stopping.store(true);
  server_->stop();
}

std::vector<HttpRequestRecord> HttpBackend::requests() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->records;
}

size_t HttpBackend::request_count() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->records.size();
}

size_t HttpBackend::count_method(std::string_view method) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  size_t n = 0;
  for (const auto& r : state_->records) n += r.method == method;
  return n;
}

std::map<uint64_t, int> HttpBackend::per_connection() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::map<uint64_t, int> m;
  for (const auto& r : state_->records) ++m[r.conn];
  return m;
}

uint64_t HttpBackend::late_requests() const { return state_->late.load(); }
uint64_t HttpBackend::idle_closes() const { return state_->idle_closes.load(); }
uint64_t HttpBackend::partial_requests() const { return state_->partial.load(); }

bool HttpBackend::wait_requests(size_t n, milliseconds timeout) const {
  return wait_until([&] { return request_count() >= n; }, timeout);
}

// ---------------------------------------------------------------------------

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  return find_field(headers, lower(name));
}

bool HttpResponse::has_token(std::string_view name, std::string_view token) const {
  std::string n = lower(name);
  for (const auto& [fn, v] : headers)
    if (fn == n && http::has_token(v, token)) return true;
  return false;
}

HttpClient::HttpClient(uint16_t port) : port_(port) { fd_ = connect_tcp(port, milliseconds{2000}); }

HttpClient::~HttpClient() { close(); }

void HttpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool HttpClient::send(std::string_view data, milliseconds timeout) {
  return fd_ >= 0 && send_all(fd_, data, timeout);
}

bool HttpClient::fill(SteadyClock::time_point deadline) {
  return fd_ >= 0 && fill_buf(fd_, buf_, ms_left(deadline)) == Fill::kData;
}

HttpResponse HttpClient::read_response(milliseconds timeout, bool head_request,
                                       const std::function<void(const char*, size_t)>& sink) {
  HttpResponse r;
  if (fd_ < 0) return r;
  auto deadline = SteadyClock::now() + timeout;
  std::optional<std::string> head = read_head(fd_, buf_, deadline);
  if (!head) return r;
  size_t eol = head->find("\r\n");
  std::string line = head->substr(0, eol);
  if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0) return r;
  r.version = line.substr(0, 8);
  r.status = std::atoi(line.substr(9, 3).c_str());
  r.reason = line.size() > 13 ? line.substr(13) : "";
  if (eol != std::string::npos) parse_fields(std::string_view(*head).substr(eol + 2), &r.headers);
  auto keep = [&](const char* p, size_t n) {
    r.body_size += n;
    if (sink)
      sink(p, n);
    else
      r.body.append(p, n);
  };
  BodyIn body(fd_, buf_, deadline);
  if (head_request || r.status < 200 || r.status == 204 || r.status == 304) {
    r.complete = true;
  } else if (auto te = r.header("transfer-encoding"); te && http::has_token(*te, "chunked")) {
    r.chunked = true;
    r.complete = body.chunked(keep, &r.trailers);
  } else if (auto cl = r.header("content-length")) {
    r.complete = body.fixed(std::stoull(*cl), keep);
  } else {
    r.complete = body.until_eof(keep);
  }
  return r;
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 const std::vector<std::string>& headers, std::string_view body,
                                 milliseconds timeout) {
  std::string req = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  req += "host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  bool has_te = false;
  for (const std::string& h : headers) {
    req += h + "\r\n";
    has_te = has_te || lower(h).rfind("transfer-encoding:", 0) == 0;
  }
  if (!has_te && (!body.empty() || method == "POST" || method == "PUT"))
    req += "content-length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  if (!send(req, timeout)) return HttpResponse();
  return read_response(timeout, method == "HEAD");
}

std::string HttpClient::read_n(size_t n, milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  while (buf_.size() < n && fill(deadline)) {
  }
  std::string out = buf_.substr(0, n);
  buf_.erase(0, out.size());
  return out;
}

bool HttpClient::closed_by_peer(milliseconds timeout, std::string* extra) {
  if (fd_ < 0) return true;
  auto deadline = SteadyClock::now() + timeout;
  std::string got;
  got.swap(buf_);
  Fill f;
  while ((f = fill_buf(fd_, got, ms_left(deadline))) == Fill::kData) {
  }
  if (extra) *extra = got;
  return f == Fill::kEof && got.empty();
}

int final_status(std::string_view raw) {
  for (;;) {
    int s = http_status(raw);
    if (s < 100 || s >= 200 || s == 101) return s;
    size_t end = raw.find("\r\n\r\n");
    if (end == std::string_view::npos) return 0;
    raw.remove_prefix(end + 4);
  }
}

// ---------------------------------------------------------------------------

std::string hearth_http_config(const HearthHttpConfig& c) {
  std::string out = "global\n  maxconn 1000\n" + c.global_extra;
  out += "defaults\n  mode http\n" + c.timeouts + c.defaults_extra;
  out += "frontend fe\n  bind 127.0.0.1:" + std::to_string(c.fe_port) + "\n" + c.fe_extra;
  out += "  default_backend be\n";
  out += "backend be\n" + c.be_extra;
  out += "  server s1 127.0.0.1:" + std::to_string(c.be_port);
  if (!c.srv_extra.empty()) out += " " + c.srv_extra;
  return out + "\n";
}

HttpProxy::HttpProxy(HearthHttpConfig c, HearthOptions options) {
  if (c.fe_port == 0) c.fe_port = free_tcp_port();
  port_ = c.fe_port;
  options.wait_ports.push_back(port_);
  hearth_ = std::make_unique<HearthProcess>(hearth_http_config(c), std::move(options));
}

std::string HttpProxy::stop_and_check() {
  std::optional<int> code = hearth_->stop(milliseconds{5000});
  std::string out = hearth_->output();
  std::string problems;
  if (code != 0) problems += "exit status " + (code ? std::to_string(*code) : "none") + "\n";
  for (const char* needle : {"AddressSanitizer", "LeakSanitizer", "runtime error:"})
    if (out.find(needle) != std::string::npos) problems += std::string(needle) + " report\n";
  if (!problems.empty()) {
    size_t from = out.find("==ERROR");  // the first sanitizer report, if any
    if (from == std::string::npos) from = out.size() > 3000 ? out.size() - 3000 : 0;
    problems += "output:\n" + out.substr(from, 3000);
  }
  return problems;
}

// ---------------------------------------------------------------------------

Nginx::Nginx(std::string server_block_extra, const NginxTls* tls, bool proxy_protocol) {
  port_ = free_tcp_port();
  const std::string d = dir_.path();
  mkdir(root().c_str(), 0755);
  write_file(root() + "/index.html", "hello from nginx\n");
  std::string conf =
      "daemon off;\nmaster_process off;\nworker_processes 1;\n"
      "error_log " +
      d + "/error.log info;\npid " + d +
      "/nginx.pid;\n"
      "events { worker_connections 1024; }\n"
      "http {\n"
      "  log_format hearth '$connection $connection_requests $status \"$request\"" +
      std::string(tls ? " $ssl_session_reused $ssl_server_name $ssl_protocol" : "") +
      std::string(proxy_protocol ? " $proxy_protocol_addr $proxy_protocol_port "
                                   "$proxy_protocol_server_addr $proxy_protocol_server_port"
                                 : "") +
      "';\n"
      "  access_log " +
      d +
      "/access.log hearth;\n"
      "  client_body_temp_path " +
      d + "/body;\n  proxy_temp_path " + d +
      "/proxy;\n"
      "  fastcgi_temp_path " +
      d + "/fastcgi;\n  uwsgi_temp_path " + d +
      "/uwsgi;\n"
      "  scgi_temp_path " +
      d +
      "/scgi;\n"
      "  keepalive_timeout 30s;\n  keepalive_requests 1000;\n"
      "  server {\n    listen 127.0.0.1:" +
      std::to_string(port_) + (tls ? " ssl" : "") + (proxy_protocol ? " proxy_protocol" : "") +
      ";\n" +
      (tls ? "    ssl_certificate " + tls->cert + ";\n    ssl_certificate_key " + tls->key +
                 ";\n    ssl_protocols " + tls->protocols +
                 ";\n    ssl_session_cache shared:hearth:1m;\n"
           : std::string()) +
      "    root " + root() +
      ";\n"
      "    location = /hello { return 200 \"hello from nginx\\n\"; }\n" +
      server_block_extra + "\n  }\n}\n";
  write_file(dir_.file("nginx.conf"), conf);
  ProcessOptions po;
  po.argv = {"/usr/sbin/nginx",      "-p", d + "/", "-e", d + "/error.log", "-c",
             dir_.file("nginx.conf")};
  po.output_path = dir_.file("output.log");
  proc_ = std::make_unique<Process>(std::move(po));
  ready_ = proc_->started() && wait_for_listen(port_, milliseconds{5000});
}

Nginx::~Nginx() { proc_.reset(); }

std::string Nginx::describe() const {
  return "nginx on " + std::to_string(port_) + (ready_ ? " ready" : " NOT ready") +
         "\noutput: " + read_file(dir_.file("output.log")) +
         "\nerror.log: " + read_file(dir_.file("error.log"));
}

std::vector<std::string> Nginx::access_log() const {
  std::vector<std::string> lines;
  std::istringstream in(read_file(dir_.file("access.log")));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  return lines;
}

size_t Nginx::distinct_connections() const {
  std::set<std::string> conns;
  for (const std::string& l : access_log()) conns.insert(l.substr(0, l.find(' ')));
  return conns.size();
}

std::string stats_command(const std::string& path, const std::string& command) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  // The proxy's listening ports (what a test waits for) open before its
  // stats sockets: a socket not there yet is tried again for a second.
  const auto give_up = std::chrono::steady_clock::now() + milliseconds{1000};
  for (;;) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return "";
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      std::string out;
      if (send_all(fd, command + "\n", milliseconds{2000}))
        out = recv_until_eof(fd, milliseconds{2000});
      ::close(fd);
      return out;
    }
    const int e = errno;
    ::close(fd);
    if ((e != ENOENT && e != ECONNREFUSED) || std::chrono::steady_clock::now() >= give_up)
      return "";
    std::this_thread::sleep_for(milliseconds{20});
  }
}

std::map<std::string, std::string> server_conn_stats(const std::string& path,
                                                     const std::string& server) {
  std::istringstream in(stats_command(path, "show servers conn"));
  std::vector<std::string> names;
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    if (w[0] == "#") {
      names.assign(w.begin() + 1, w.end());
    } else if (w[0] == server) {
      for (size_t i = 0; i < w.size() && i < names.size(); ++i) out[names[i]] = w[i];
    }
  }
  return out;
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

}  // namespace hearth::test::http
