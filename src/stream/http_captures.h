#pragma once
// The capture slots of one HTTP transaction or TCP stream (capture
// request/response header, declare capture + http-request/http-response
// capture, tcp-request content capture), read by the %hr/%hs variables and
// the capture.req.hdr/capture.res.hdr fetches. Only a frontend with captures
// pays for them.
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"
#include "expr/log_record.h"
#include "expr/sample_expr.h"
#include "http/msg.h"

namespace hearth::stream {

class TxnCaptures {
 public:
  // Sizes the slots for a frontend's declarations (cleared), each with room
  // for its length so that filling it later does not allocate.
  void reset(const std::vector<config::CaptureSlot>& req,
             const std::vector<config::CaptureSlot>& res);
  // Each slot with a header name takes the last occurrence of that header in
  // `h`, cut to the slot's length.
  void capture_headers(const std::vector<config::CaptureSlot>& slots, const http::MsgHead& h,
                       bool response);
  // Stores `v` cut to `len` in slot `id`. Returns: false if there is no such slot.
  bool set(bool response, size_t id, std::string_view v, size_t len);
  // A capture rule: stores `v` cut to the slot's declared length.
  // Returns: false if there is no such slot (a backend's rule on the request
  // of a frontend without it: HAProxy skips the rule too).
  bool set_declared(bool response, size_t id, std::string_view v);
  // Returns: true and the value if slot `id` holds one.
  bool get(bool response, size_t id, std::string_view* v) const;
  // Points the log record at the slots (views valid while this object is).
  void fill(expr::LogRecord* r);

 private:
  std::vector<std::string> req_, res_;
  std::vector<expr::LogCapture> req_view_, res_view_;
  std::vector<char> req_set_, res_set_;
  const std::vector<config::CaptureSlot>* req_slots_ = nullptr;
  const std::vector<config::CaptureSlot>* res_slots_ = nullptr;
};

class TxnFetch;

// A capture rule: stores `e`'s sample as a string in slot `id` of the
// context's captures (the response slots on a response), cut to the slot's
// length. Nothing is stored when the expression has no value (as a missing
// header) or the context has no captures.
void capture_sample(const expr::SampleExpr& e, int id, TxnFetch& ctx);

}  // namespace hearth::stream
