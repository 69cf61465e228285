#include "stream/http_captures.h"

#include "http/headers.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

void TxnCaptures::reset(const std::vector<config::CaptureSlot>& req,
                        const std::vector<config::CaptureSlot>& res) {
  req_slots_ = &req;
  res_slots_ = &res;
  req_.resize(req.size());
  res_.resize(res.size());
  for (size_t i = 0; i < req.size(); ++i) req_[i].reserve(size_t(req[i].len));
  for (size_t i = 0; i < res.size(); ++i) res_[i].reserve(size_t(res[i].len));
  req_set_.assign(req.size(), 0);
  res_set_.assign(res.size(), 0);
}

bool TxnCaptures::set_declared(bool response, size_t id, std::string_view v) {
  const auto* slots = response ? res_slots_ : req_slots_;
  if (!slots || id >= slots->size()) return false;
  return set(response, id, v, size_t((*slots)[id].len));
}

void TxnCaptures::capture_headers(const std::vector<config::CaptureSlot>& slots,
                                  const http::MsgHead& h, bool response) {
  for (size_t i = 0; i < slots.size(); ++i) {
    const config::CaptureSlot& s = slots[i];
    if (s.header.empty()) continue;
    const http::HeaderField* last = nullptr;
    for (const http::HeaderField& f : h.fields())
      if (http::iequals(f.name, s.header)) last = &f;
    if (last) set(response, i, last->value, size_t(s.len));
  }
}

bool TxnCaptures::set(bool response, size_t id, std::string_view v, size_t len) {
  auto& vals = response ? res_ : req_;
  auto& on = response ? res_set_ : req_set_;
  if (id >= vals.size()) return false;
  vals[id].assign(v.substr(0, len));
  on[id] = 1;
  return true;
}

bool TxnCaptures::get(bool response, size_t id, std::string_view* v) const {
  const auto& vals = response ? res_ : req_;
  const auto& on = response ? res_set_ : req_set_;
  if (id >= vals.size() || !on[id]) return false;
  *v = vals[id];
  return true;
}

void TxnCaptures::fill(expr::LogRecord* r) {
  req_view_.resize(req_.size());
  res_view_.resize(res_.size());
  for (size_t i = 0; i < req_.size(); ++i) req_view_[i] = {req_[i], req_set_[i] != 0};
  for (size_t i = 0; i < res_.size(); ++i) res_view_[i] = {res_[i], res_set_[i] != 0};
  r->req_caps = req_view_.data();
  r->n_req_caps = req_view_.size();
  r->res_caps = res_view_.data();
  r->n_res_caps = res_view_.size();
}

void capture_sample(const expr::SampleExpr& e, int id, TxnFetch& ctx) {
  TxnCaptures* caps = ctx.captures();
  expr::Sample s;
  if (!caps || !expr::eval_sample_expr(e, ctx, s) || !expr::cast(s, expr::SmpType::kStr)) return;
  caps->set_declared(ctx.on_response(), size_t(id), s.str);
}

}  // namespace hearth::stream
