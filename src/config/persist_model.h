#pragma once
// Cookie persistence settings of a proxy (HAProxy manual 4.2: "cookie",
// "dynamic-cookie-key", "force-persist", "ignore-persist", "option
// persist"), as parsed (cookie_keywords.cc). Included by model.h after
// SourceLoc.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hearth::expr {
struct Condition;
}

namespace hearth::config {

// "cookie NAME [rewrite|insert|prefix] [indirect] [nocache] [postonly]
// [preserve] [httponly] [secure] [domain D]* [maxidle T] [maxlife T]
// [dynamic] [attr A]*". An empty name: no cookie persistence.
struct CookieConfig {
  SourceLoc loc;
  std::string name;
  // Passive: the server sets the cookie itself; Hearth only reads it.
  enum class Mode : uint8_t { kPassive, kRewrite, kInsert, kPrefix };
  Mode mode = Mode::kPassive;
  bool indirect = false;
  bool nocache = false;
  bool postonly = false;
  bool preserve = false;
  bool httponly = false;
  bool secure = false;
  bool dynamic = false;
  std::vector<std::string> domains;
  std::vector<std::string> attrs;
  int64_t maxidle_s = 0;  // 0: none
  int64_t maxlife_s = 0;  // 0: none
};

// "force-persist if|unless COND" / "ignore-persist if|unless COND".
struct PersistRule {
  SourceLoc loc;
  bool force = false;  // false: ignore-persist
  std::shared_ptr<const expr::Condition> cond;
};

// "capture cookie NAME len N" (frontends): the first request Cookie and
// response Set-Cookie whose "NAME=VALUE" begins with `name`, cut to `len`
// bytes, for %CC and %CS.
struct CookieCapture {
  SourceLoc loc;
  std::string name;  // empty: none
  int len = 0;
};

}  // namespace hearth::config
