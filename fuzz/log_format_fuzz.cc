// Compiles the first line of the input as an access-log format (log-format,
// unique-id-format) and as a rule value, as the configuration parser does,
// and renders what compiled (the rule value with and without a record) for a
// record whose request line and captures come from the rest of the input.
// Checks that rendering is deterministic and,
// for an HTTP proxy (which encodes its samples' control characters, as
// HAProxy), that a format that compiles never prints a line break it was not
// given. (In TCP mode a sample may hold one: str(a\nb), url_dec.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "expr/log_format.h"
#include "stream/sample_fetch.h"

namespace {

using namespace hearth;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string_view fmt = in.substr(0, nl);
  const std::string_view rest =
      nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  std::string err;
  stream::TxnFetch ctx(expr::kUseConn, nullptr, nullptr, nullptr, nullptr, nullptr);
  const bool http = size % 2 == 0;
  ctx.set_http_mode(http);
  auto rule = expr::LogFormat::parse(fmt, expr::kUseAny, &err);
  if (rule) (void)rule->eval(ctx);  // no record: the fetch variables, or nothing
  err.clear();
  static expr::LogRecord r;
  r = expr::LogRecord{};
  r.client.family = 2;  // AF_INET
  r.client.port = 1234;
  r.request = rest.substr(0, rest.find('\n'));
  r.has_request = !r.request.empty();
  const expr::LogCapture caps[2] = {{rest.substr(0, 7), true}, {rest, rest.size() % 2 == 0}};
  r.req_caps = caps;
  r.n_req_caps = 2;
  r.res_caps = caps + 1;
  r.n_res_caps = 1;
  r.term = "cD";
  if (rule) {  // with a record, as in a stream: the same text each time
    ctx.set_log_record([](void*) -> const expr::LogRecord* { return &r; }, nullptr);
    const std::string once(rule->eval(ctx));
    check(once == rule->eval(ctx));
    ctx.set_log_record(nullptr, nullptr);
  }
  auto f = expr::LogFormat::parse_log(fmt, expr::kUseAny, &err);
  if (!f) {
    check(!err.empty());
    return 0;
  }
  std::string a, b;
  f->render(&ctx, r, &a);
  f->render(&ctx, r, &b);
  check(a == b);
  if (http && fmt.find('\n') == std::string_view::npos && fmt.find('\r') == std::string_view::npos)
    check(a.find('\n') == std::string::npos && a.find('\r') == std::string::npos);
  return 0;
}
