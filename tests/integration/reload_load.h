#pragma once
// Continuous client load for the reload tests: HTTP keep-alive requests on one
// connection, one new connection per HTTP request, and a long TCP tunnel that
// echoes a numbered line every few milliseconds. Every failure is recorded
// with what was going on, so a test can show why a reload lost something.
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/http_test_util.h"
#include "support/client.h"
#include "support/unique_fd.h"

namespace hearth::test {
using http::HttpClient;
using http::HttpResponse;

class ReloadLoad {
 public:
  ReloadLoad(uint16_t http_port, uint16_t tcp_port) : http_(http_port), tcp_(tcp_port) {}
  ~ReloadLoad() { stop(); }

  void start() {
    threads_.emplace_back([this] { keep_alive(); });
    threads_.emplace_back([this] { fresh(); });
    threads_.emplace_back([this] { tunnel(); });
  }
  void stop() {
    done_.store(true);
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  std::atomic<uint64_t> keepalive_ok{0}, keepalive_reconnects{0}, fresh_ok{0}, tunnel_lines{0};
  // A request sent on a kept-alive connection the server had just closed
  // (before any byte of a response): retried on a new connection, as HTTP
  // clients do for idempotent requests (RFC 9112, 9.3.1). Counted, not an error.
  std::atomic<uint64_t> keepalive_retries{0};
  // A new connection, accepted, whose request got no byte of response before
  // the close: a worker that died under its sessions. Counted apart, since it
  // says where to look.
  std::atomic<uint64_t> unanswered{0};
  // A connect() that failed (refused or reset during the handshake). With
  // the sockets handed over (-x) there must be none. Without -x, Linux may
  // answer a SYN with a reset when it picked a reuseport listener in the
  // instant that listener was being closed: a kernel race the -x handover
  // exists to avoid (HAProxy's management guide, section 4).
  std::atomic<uint64_t> refused{0};

  std::vector<std::string> errors() const {
    std::lock_guard<std::mutex> g(mu_);
    return errors_;
  }

 private:
  void fail(const std::string& what) {
    std::lock_guard<std::mutex> g(mu_);
    errors_.push_back(what);
  }

  static bool good(const HttpResponse& r) {
    return r.complete && r.status == 200 && r.body == "ok\n";
  }

  void keep_alive() {
    std::unique_ptr<HttpClient> c;
    int used = 0;  // requests answered on the current connection
    while (!done_.load()) {
      if (!c) {
        c = std::make_unique<HttpClient>(http_);
        used = 0;
        if (!c->connected()) {
          refused.fetch_add(1);
          c.reset();
          continue;
        }
      }
      HttpResponse r = c->request("GET", "/ka");
      if (!good(r) && used > 0 && r.status == 0 && c->pending().empty()) {
        keepalive_retries.fetch_add(1);  // the idle connection was closed under us
        c = std::make_unique<HttpClient>(http_);
        used = 0;
        if (!c->connected()) {
          refused.fetch_add(1);
          c.reset();
          continue;
        }
        r = c->request("GET", "/ka");
      }
      // The retry's connection too may be one an old process's backlog held.
      if (!good(r) && used == 0 && r.status == 0 && c->pending().empty()) {
        unanswered.fetch_add(1);  // as a new connection's (see above)
        c.reset();
        continue;
      }
      if (!good(r)) {
        fail("keep-alive: request " + std::to_string(used + 1) + " on its connection got status " +
             std::to_string(r.status) + (r.complete ? "" : " (incomplete)"));
        c.reset();
        continue;
      }
      keepalive_ok.fetch_add(1);
      ++used;
      if (r.has_token("connection", "close")) {
        keepalive_reconnects.fetch_add(1);
        c.reset();
      }
    }
  }

  // One connection per request, read to the server's close; a reset or an
  // early close is told apart in the error.
  void fresh() {
    const std::string req = "GET /fresh HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n";
    while (!done_.load()) {
      UniqueFd fd(connect_tcp(http_));
      if (fd.get() < 0) {
        refused.fetch_add(1);
        continue;
      }
      std::string got;
      int err = 0;
      if (send_all(fd.get(), req)) {
        char buf[4096];
        for (;;) {
          pollfd p{fd.get(), POLLIN, 0};
          if (poll(&p, 1, 5000) <= 0) {
            err = ETIMEDOUT;
            break;
          }
          const ssize_t n = recv(fd.get(), buf, sizeof buf, 0);
          if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
          }
          got.append(buf, size_t(n));
        }
      }
      if (got.empty() && err != ETIMEDOUT) {
        unanswered.fetch_add(1);
        continue;
      }
      if (got.rfind("HTTP/1.1 200", 0) != 0 || got.size() < 3 ||
          got.compare(got.size() - 3, 3, "ok\n") != 0) {
        fail("fresh: " + std::to_string(got.size()) + " byte(s) then " +
             (err ? std::string(strerror(err)) : "the close") + ": " + got.substr(0, 40));
        continue;
      }
      fresh_ok.fetch_add(1);
    }
  }

  void tunnel() {
    UniqueFd fd(connect_tcp(tcp_));
    if (fd.get() < 0) return fail("tunnel: connect failed");
    for (uint64_t n = 0; !done_.load(); ++n) {
      const std::string line = "line " + std::to_string(n);
      auto back = send_all(fd.get(), line + "\n") ? recv_line(fd.get()) : std::nullopt;
      if (!back || *back != line) return fail("tunnel: line " + std::to_string(n) + " lost");
      tunnel_lines.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // pacing, not a check
    }
  }

  uint16_t http_, tcp_;
  std::atomic<bool> done_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::vector<std::string> errors_;
};

}  // namespace hearth::test
