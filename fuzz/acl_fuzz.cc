// Parses a sample expression, an ACL test or a condition from the first line
// of the input, as the configuration parser does, and evaluates what parsed
// against the request head in the rest of the input (parsed by the real
// HeadParser and turned into a neutral head by mux_h1's code), through the
// stream layer's fetches. Byte 0 picks what the first line is.
// Pattern files (-f) are served from memory: the fuzzer never opens files.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/condition.h"
#include "expr/pattern_ref.h"
#include "expr/sample_expr.h"
#include "http/head_parser.h"
#include "http/msg.h"
#include "mux/h1_head_writer.h"
#include "stream/sample_fetch.h"

namespace {

using namespace hearth;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

class MemoryFiles : public expr::PatternSource {
 public:
  bool read_lines(const std::string& path, std::vector<std::string>* lines,
                  std::string* err) override {
    if (path.size() % 2) {
      *err = "no such file";
      return false;
    }
    lines->push_back(path);
    lines->push_back("/static");
    return true;
  }
};

std::vector<std::string> words_of(std::string_view line) {
  std::vector<std::string> w;
  size_t p = 0;
  while (p < line.size()) {
    while (p < line.size() && line[p] == ' ') ++p;
    size_t e = p;
    while (e < line.size() && line[e] != ' ') ++e;
    if (e > p) w.emplace_back(line.substr(p, e - p));
    p = e;
  }
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // Each ACL test registers a pattern reference: forget the last input's, so
  // a long run does not grow without bound.
  hearth::expr::PatRefRegistry::instance().reset();
  const int mode = data[0] % 3;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nl = in.find('\n');
  const std::string_view line = in.substr(0, nl);
  const std::string_view rest = nl == std::string_view::npos ? "" : in.substr(nl + 1);

  // The request to evaluate against, if the rest is a valid head.
  http::MsgHead head;
  bool have_head = false;
  http::HeadParser parser;
  http::RequestHead req;
  const http::ParseResult r = parser.parse_request(rest, &req);
  if (r.status == http::ParseStatus::kDone)
    have_head = mux::h1_request_to_msg(req, rest.substr(0, r.consumed), 0, head);
  stream::TxnFetch on_request(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr,
                              have_head ? &head : nullptr, nullptr);

  MemoryFiles files;
  std::string err, warning;
  if (mode == 0) {
    auto e = expr::parse_sample_expr(line, expr::kUseAny, &err);
    check(e != nullptr || !err.empty());
    if (!e) return 0;
    expr::Sample s;
    if (expr::eval_sample_expr(*e, on_request, s)) {
      check(s.type != expr::SmpType::kAny && s.type != expr::SmpType::kAddr);
      if (s.type == expr::SmpType::kStr || s.type == expr::SmpType::kBin)
        check(s.str.empty() || s.str.data() != nullptr);
    }
    return 0;
  }
  const std::vector<std::string> words = words_of(line);
  if (mode == 1) {
    expr::AclTest t;
    if (!expr::parse_acl_test(words, files, &t, &err, &warning)) {
      check(!err.empty());
      return 0;
    }
    expr::Acl acl("fuzz");
    acl.add(std::move(t));
    (void)acl.eval(on_request);
    return 0;
  }
  std::vector<std::string> warnings;
  auto c = expr::parse_condition(words, 0, false, nullptr, files, expr::kUseConn | expr::kUseReq,
                                 &err, &warnings);
  if (!c) {
    check(!err.empty());
    return 0;
  }
  const bool a = expr::eval_condition(*c, on_request);
  c->unless = true;
  check(expr::eval_condition(*c, on_request) != a || c->text.find("rand") != std::string::npos);
  return 0;
}
