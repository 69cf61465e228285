#pragma once
// tcp-request and tcp-response rules at run time: the fetch context that
// reads the bytes buffered in a direction (layer 6 fetches), and the
// evaluation of one rule list with HAProxy's semantics: rules in order, the
// first accept / reject / close ends the list, set-var and unset-var go on;
// a condition that cannot be decided on the bytes so far makes the list wait
// (inspect-delay), unless the evaluation is final.
#include <memory>
#include <string_view>
#include <vector>

#include "config/tcp_rule.h"
#include "expr/sample_settle.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

class TcpFetch : public TxnFetch {
 public:
  // `where`: expr::kUseConn (connection and session rules, which see only
  // sess.* variables), plus kUseL6Req or kUseL6Res for content rules.
  // `req`: the HTTP request head (content rules in http mode; add kUseReq).
  TcpFetch(uint8_t where, const net::Connection* client, const Frontend* fe,
           const backend::Backend* be, const http::MsgHead* req = nullptr)
      : TxnFetch(where, client, fe, be, req, nullptr), where_(where) {}
  // The request / response bytes buffered so far.
  void set_request(std::string_view bytes) { req_bytes_ = bytes; }
  void set_response(std::string_view bytes) { res_bytes_ = bytes; }
  // Final: no more bytes will be waited for (end of the delay, buffer full,
  // input closed, no delay). Until then, a fetch short of bytes is "missing".
  void set_final(bool final) { final_ = final; }
  bool final() const { return final_; }
  // Connection and session rules: only the session's variables exist.
  void set_session_only(Session* s) { sess_only_ = s; }

  bool* missing_flag() { return &missing_; }
  // tcp-request connection rules: where expect-proxy records that a PROXY
  // header comes first (null: the action does nothing).
  void set_expect_proxy(bool* flag) { expect_proxy_ = flag; }
  bool* expect_proxy() const { return expect_proxy_; }

  ~TcpFetch() override;
  bool fetch(const expr::FetchDef& def, const expr::Arg* args, size_t nargs, expr::FetchIter& it,
             expr::Sample& out) override;
  expr::VarStore* vars(expr::VarScope scope) override;

 private:
  bool miss() {
    if (!final_) missing_ = true;
    return false;
  }
  // A sample given while more bytes could change it: its test is missing
  // unless a converter settles it (expr/sample_settle.h).
  void may_change(bool before) {
    if (final_) return;
    missing_ = true;
    expr::arm_settle(&missing_, before);
  }
  // HTTP request fetches on a TCP stream (HAProxy parses the bytes buffered
  // so far as an HTTP/1 request): parses them once. Returns: true once a
  // head is adopted; false when the bytes are not (or not yet: missing) one.
  bool prefetch_http();
  bool payload(std::string_view data, const expr::Arg* args, expr::Sample& out);
  bool payload_lv(std::string_view data, const expr::Arg* args, size_t nargs, expr::Sample& out);
  // distcc_body, distcc_param (stream/distcc_fetch.cc).
  bool distcc(std::string_view data, const expr::FetchDef& def, const expr::Arg* args,
              expr::Sample& out);

  uint8_t where_;
  bool* expect_proxy_ = nullptr;
  std::string_view req_bytes_, res_bytes_;
  bool final_ = true;
  bool missing_ = false;
  Session* sess_only_ = nullptr;
  std::shared_ptr<http::MsgHead> tcp_req_;  // prefetch_http()'s head (copies share it)
  bool http_failed_ = false;                // the bytes are not an HTTP request
};

enum class TcpVerdict : uint8_t {
  kPass,    // accepted, or no rule decided: go on
  kReject,  // close (counted as denied)
  kClose,   // tcp-response content close
  kDrop,    // silent-drop: the caller drops the client (net::prepare_silent_drop)
  kWait,    // more bytes may decide: wait (not final)
};

TcpVerdict eval_tcp_rules(const std::vector<config::TcpRule>& rules, TcpFetch& ctx);

}  // namespace hearth::stream
