// Micro-benchmarks of the per-request user-space work of the HTTP proxy path:
// head parsing, head rewriting, and the small helpers around them. Heads are the
// ones the side-by-side benchmark produces: wrk's request and nginx's answer to
// `return 200 "hello world\n"`.
//
// Build: the hearth_microbench target exists when Google Benchmark is installed.
// Run:   ./build/<dir>/hearth_microbench [--benchmark_filter=REGEX]
#include <benchmark/benchmark.h>

#include <string_view>

#include "core/buffer.h"
#include "http/body_reader.h"
#include "http/connection.h"
#include "http/framing.h"
#include "http/head_parser.h"
#include "http/headers.h"
#include "http/msg.h"
#include "mux/h1_head_reader.h"
#include "mux/h1_head_writer.h"

namespace {

using namespace hearth;

// What wrk sends by default.
constexpr std::string_view kWrkRequest = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8003\r\n\r\n";
// A browser-like client's short request: Host and three more fields.
constexpr std::string_view kRequest4 =
    "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/7.88.1\r\n"
    "Accept: */*\r\nAccept-Encoding: gzip\r\n\r\n";
// nginx 1.22 answering `return 200 "hello world\n";` on a keep-alive connection.
constexpr std::string_view kNginxResponse =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 28 Nov 2025 01:40:00 GMT\r\n"
    "Content-Type: text/plain\r\nContent-Length: 12\r\nConnection: keep-alive\r\n\r\n";

http::HeadParser& parser() {
  static http::HeadParser p;
  return p;
}

void BM_ParseRequest(benchmark::State& state, std::string_view text) {
  http::HeadParser& p = parser();
  for (auto _ : state) {
    http::RequestHead req;
    p.reset();
    http::ParseResult r = p.parse_request(text, &req);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(req);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK_CAPTURE(BM_ParseRequest, wrk, kWrkRequest);
BENCHMARK_CAPTURE(BM_ParseRequest, four_fields, kRequest4);

void BM_ParseResponse(benchmark::State& state, std::string_view text) {
  http::HeadParser& p = parser();
  for (auto _ : state) {
    http::ResponseHead res;
    p.reset();
    http::ParseResult r = p.parse_response(text, &res);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(res);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK_CAPTURE(BM_ParseResponse, nginx, kNginxResponse);

// A request head split over three reads, as a slow client sends it: the
// incremental path must stay cheap too.
void BM_ParseRequestInPieces(benchmark::State& state) {
  http::HeadParser& p = parser();
  const std::string_view text = kRequest4;
  const size_t cuts[] = {10, 50, text.size()};
  for (auto _ : state) {
    http::RequestHead req;
    p.reset();
    http::ParseResult r;
    for (size_t n : cuts) r = p.parse_request(text.substr(0, n), &req);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseRequestInPieces);

// mux_h1's path from a parsed head to a neutral head (end-to-end fields, the
// head's text copied in once) and from a neutral head to HTTP/1.1 text.
http::MsgHead& request_msg() {
  static http::MsgHead m;
  static http::HeadParser p;
  http::RequestHead req;
  if (p.parse_request(kWrkRequest, &req).status != http::ParseStatus::kDone) std::abort();
  if (!mux::h1_request_to_msg(req, kWrkRequest, 1, m)) std::abort();
  return m;
}

http::MsgHead& response_msg() {
  static http::MsgHead m;
  static http::HeadParser p;
  http::ResponseHead res;
  if (p.parse_response(kNginxResponse, &res).status != http::ParseStatus::kDone) std::abort();
  if (!mux::h1_response_to_msg(res, http::response_framing(http::Method::kGet, res), kNginxResponse,
                               0, m))
    std::abort();
  return m;
}

void BM_WriteRequestHead(benchmark::State& state) {
  const http::MsgHead& m = request_msg();
  Buffer out;
  mux::H1Written how;
  for (auto _ : state) {
    bool ok = mux::h1_write_request(m, out, &how);
    benchmark::DoNotOptimize(ok);
    out.clear();
  }
}
BENCHMARK(BM_WriteRequestHead);

void BM_WriteResponseHead(benchmark::State& state) {
  const http::MsgHead& m = response_msg();
  Buffer out;
  mux::H1Written how;
  for (auto _ : state) {
    bool ok = mux::h1_write_response(m, 1, out, &how);
    benchmark::DoNotOptimize(ok);
    out.clear();
  }
}
BENCHMARK(BM_WriteResponseHead);

// What the muxes do with a request head that arrived in one read: find it in
// the input buffer, parse it into a neutral head, write it for the server.
void BM_RequestHeadPath(benchmark::State& state) {
  http::HeadParser& p = parser();
  Buffer in, out;
  http::MsgHead m;
  mux::H1Written how;
  for (auto _ : state) {
    in.append(kWrkRequest.data(), kWrkRequest.size());
    size_t scan_pos = 0;
    http::RequestHead req;
    mux::BufferedHead h = mux::parse_buffered_request(p, in, &scan_pos, &req);
    if (!h.complete || h.result.status != http::ParseStatus::kDone) std::abort();
    bool ok = mux::h1_request_to_msg(req, std::string_view(in.head(), h.result.consumed), 1, m) &&
              mux::h1_write_request(m, out, &how);
    benchmark::DoNotOptimize(ok);
    in.consume(h.result.consumed);
    out.clear();
  }
}
BENCHMARK(BM_RequestHeadPath);

void BM_ResponseHeadPath(benchmark::State& state) {
  http::HeadParser& p = parser();
  Buffer in, out;
  http::MsgHead m;
  mux::H1Written how;
  for (auto _ : state) {
    in.append(kNginxResponse.data(), kNginxResponse.size());
    size_t scan_pos = 0;
    http::ResponseHead res;
    mux::BufferedHead h = mux::parse_buffered_response(p, in, &scan_pos, &res);
    if (!h.complete || h.result.status != http::ParseStatus::kDone) std::abort();
    bool ok = mux::h1_response_to_msg(res, http::response_framing(http::Method::kGet, res),
                                      std::string_view(in.head(), h.result.consumed), 0, m) &&
              mux::h1_write_response(m, 1, out, &how);
    benchmark::DoNotOptimize(ok);
    in.consume(h.result.consumed);
    out.clear();
  }
}
BENCHMARK(BM_ResponseHeadPath);

void BM_HopByHop(benchmark::State& state) {
  static http::HeadParser p;
  http::ResponseHead res;
  if (p.parse_response(kNginxResponse, &res).status != http::ParseStatus::kDone) std::abort();
  for (auto _ : state) {
    int n = 0;
    for (const http::HeaderField& f : res.headers) n += http::hop_by_hop(f, res.connection);
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_HopByHop);

void BM_Iequals(benchmark::State& state) {
  std::string_view a = "Content-Length", b = "content-length";
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    bool eq = http::iequals(a, b);
    benchmark::DoNotOptimize(eq);
  }
}
BENCHMARK(BM_Iequals);

void BM_BodyReaderReset(benchmark::State& state) {
  http::BodyReader r;
  for (auto _ : state) {
    r.reset(http::BodyFraming::content_length(12));
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_BodyReaderReset);

// A buffer's storage taken from and handed back to the block pool.
void BM_BufferAllocRelease(benchmark::State& state) {
  Buffer b;
  for (auto _ : state) {
    b.allocate();
    benchmark::DoNotOptimize(b.head());
    b.release();
  }
}
BENCHMARK(BM_BufferAllocRelease);

// The copy of a small response body behind its head, as send_response does.
void BM_BufferAppend(benchmark::State& state) {
  Buffer b;
  const char body[] = "hello world\n";
  for (auto _ : state) {
    b.append(body, sizeof body - 1);
    b.append(body, sizeof body - 1);
    benchmark::DoNotOptimize(b.head());
    b.clear();
  }
}
BENCHMARK(BM_BufferAppend);

}  // namespace

BENCHMARK_MAIN();
