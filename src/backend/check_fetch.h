#pragma once
// What a health check's formats and expressions can read (on-success,
// on-error, status-code, send-lf, set-var, http-check send hdr ...): the
// check variables, the backend and server names and ids, the bytes received
// (res.len, res.payload, res.payload_lv) and, for HTTP checks, the response
// status and header fields. Other fetches have no sample here.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/fetch.h"
#include "expr/vars.h"

namespace hearth::backend {

class CheckFetch : public expr::FetchContext {
 public:
  struct Names {
    std::string backend;
    int backend_id = 0;
    std::string server;
    int server_id = 0;
  };
  explicit CheckFetch(Names names) : names_(std::move(names)) {}

  // The bytes received so far by the current exchange (views, kept by the caller).
  void set_response(std::string_view bytes) { bytes_ = bytes; }
  // An HTTP check's parsed response head: status and fields (views).
  void set_http(int status, std::vector<std::pair<std::string_view, std::string_view>> fields) {
    status_ = status;
    fields_ = std::move(fields);
  }
  void clear_http() {
    status_ = 0;
    fields_.clear();
  }
  // Check variables live for one check.
  void reset_vars() { vars_.clear(); }
  expr::VarStore& check_vars() { return vars_; }

  bool fetch(const expr::FetchDef& def, const expr::Arg* args, size_t nargs, expr::FetchIter& it,
             expr::Sample& out) override;
  expr::VarStore* vars(expr::VarScope scope) override {
    return scope == expr::VarScope::kCheck ? &vars_ : nullptr;
  }

 private:
  bool header(std::string_view name, bool full, expr::Sample& out) const;

  Names names_;
  std::string_view bytes_;
  int status_ = 0;
  std::vector<std::pair<std::string_view, std::string_view>> fields_;
  expr::VarStore vars_;
};

}  // namespace hearth::backend
