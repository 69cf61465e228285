#include "config/condition.h"

#include <openssl/crypto.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "config/build_info.h"

namespace hearth::config {
namespace {

// A version as numbers: four components, then the kind of pre-release
// (0 dev, 1 pre, 2 rc, 3 release) and its number.
using VersionKey = std::array<long, 6>;

VersionKey version_key(std::string_view v) {
  VersionKey k{0, 0, 0, 0, 3, 0};
  size_t i = 0;
  auto number = [&](long* out) {
    if (i >= v.size() || v[i] < '0' || v[i] > '9') return false;
    long n = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') n = n * 10 + (v[i++] - '0');
    *out = n;
    return true;
  };
  for (size_t c = 0; c < 4; ++c) {
    if (!number(&k[c])) return VersionKey{0, 0, 0, 0, 0, 0};
    if (i < v.size() && v[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  if (i == v.size()) return k;
  if (v[i] != '-') return VersionKey{0, 0, 0, 0, 0, 0};
  const std::string_view rest = v.substr(i + 1);
  static constexpr std::string_view kKinds[] = {"dev", "pre", "rc"};
  for (long kind = 0; kind < 3; ++kind) {
    if (rest.substr(0, kKinds[kind].size()) != kKinds[kind]) continue;
    k[4] = kind;
    i += 1 + kKinds[kind].size();
    number(&k[5]);
    return k;
  }
  return k;  // another suffix ("-compatible", a distribution's): a release
}

std::string compat_version() {
  return std::to_string(kCompatMajor) + "." + std::to_string(kCompatMinor) + "." +
         std::to_string(kCompatPatch);
}

std::string openssl_version() {
  const unsigned long n = OpenSSL_version_num();  // 0xMNN00PP0 (3.x)
  return std::to_string((n >> 28) & 0xf) + "." + std::to_string((n >> 20) & 0xff) + "." +
         std::to_string((n >> 4) & 0xff);
}

struct Predicate {
  std::string_view name;
  size_t arity;
};
constexpr Predicate kPredicates[] = {
    {"defined", 1},
    {"feature", 1},
    {"streq", 2},
    {"strneq", 2},
    {"version_atleast", 1},
    {"version_before", 1},
    {"openssl_version_atleast", 1},
    {"openssl_version_before", 1},
    {"ssllib_name_startswith", 1},
};

// Recursive descent over the text; stops at the first error.
class CondParser {
 public:
  CondParser(std::string_view text, const EnvLookup& env, CondError* err)
      : t_(text), env_(env), err_(err) {}

  CondValue run() {
    skip_blanks();
    if (p_ == t_.size()) return CondValue::kFalse;
    bool v = false;
    if (!expr(&v)) return CondValue::kError;
    if (p_ != t_.size())
      return fail(p_, "unexpected '" + std::string(1, t_[p_]) + "' after the end of condition '" +
                          std::string(t_) + "'");
    return v ? CondValue::kTrue : CondValue::kFalse;
  }

 private:
  CondValue fail(size_t pos, std::string msg) {
    err_->pos = pos;
    err_->message = std::move(msg);
    return CondValue::kError;
  }
  void skip_blanks() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t')) ++p_;
  }
  bool eat(std::string_view op) {
    skip_blanks();
    if (t_.substr(p_, op.size()) != op) return false;
    p_ += op.size();
    return true;
  }

  bool expr(bool* v) {
    if (!conj(v)) return false;
    while (true) {
      const size_t at = p_;
      if (!eat("||")) return true;
      bool r = false;
      if (!conj(&r, at)) return false;
      *v = *v || r;
    }
  }
  bool conj(bool* v, size_t op_at = std::string_view::npos) {
    if (!term(v, op_at)) return false;
    while (true) {
      const size_t at = p_;
      if (!eat("&&")) return true;
      bool r = false;
      if (!term(&r, at)) return false;
      *v = *v && r;
    }
  }
  // `op_at`: where the operator before this term started, quoted when the
  // term is missing.
  bool term(bool* v, size_t op_at = std::string_view::npos) {
    skip_blanks();
    const size_t start = p_;
    if (p_ == t_.size()) {
      const size_t from = op_at == std::string_view::npos ? 0 : op_at;
      fail(from, "a term is missing after '" + std::string(t_.substr(from)) + "'");
      return false;
    }
    if (t_[p_] == '!') {
      ++p_;
      if (!term(v, start)) return false;
      *v = !*v;
      return true;
    }
    if (t_[p_] == '(') {
      ++p_;
      if (!expr(v)) return false;
      skip_blanks();
      if (p_ >= t_.size() || t_[p_] != ')') {
        fail(p_, "missing ')' closing '" + std::string(t_.substr(start, p_ - start)) + "'");
        return false;
      }
      ++p_;
      return true;
    }
    if ((t_[p_] >= '0' && t_[p_] <= '9') || t_[p_] == '-' || t_[p_] == '+') return number(v);
    return predicate(v);
  }
  bool number(bool* v) {
    const std::string rest(t_.substr(p_));
    char* end = nullptr;
    const long n = std::strtol(rest.c_str(), &end, 0);
    if (end == rest.c_str()) {
      fail(p_, "cannot read a condition at '" + rest + "'");
      return false;
    }
    p_ += size_t(end - rest.c_str());
    *v = n != 0;
    return true;
  }
  bool predicate(bool* v) {
    const size_t start = p_;
    while (p_ < t_.size() && (isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '_')) ++p_;
    const std::string_view name = t_.substr(start, p_ - start);
    const Predicate* pred = nullptr;
    for (const Predicate& k : kPredicates)
      if (k.name == name) pred = &k;
    if (pred == nullptr || p_ >= t_.size() || t_[p_] != '(') {
      fail(start, "cannot read a condition at '" + std::string(t_.substr(start)) +
                      "': expects a number, '!', '(' or a predicate such as defined(NAME)");
      return false;
    }
    ++p_;
    std::vector<std::string_view> args;
    while (true) {
      const size_t a = p_;
      while (p_ < t_.size() && t_[p_] != ',' && t_[p_] != ')') ++p_;
      args.push_back(t_.substr(a, p_ - a));
      if (p_ >= t_.size()) {
        fail(p_, "predicate '" + std::string(name) + "': missing ')' after argument " +
                     std::to_string(args.size()));
        return false;
      }
      if (t_[p_++] == ')') break;
      if (args.size() == pred->arity) {
        fail(p_ - 1, "predicate '" + std::string(name) + "' takes " + std::to_string(pred->arity) +
                         " argument(s); unexpected '" + std::string(t_.substr(p_ - 1)) + "'");
        return false;
      }
    }
    if (args.size() < pred->arity) {
      fail(p_, "predicate '" + std::string(name) + "' takes " + std::to_string(pred->arity) +
                   " arguments, got " + std::to_string(args.size()));
      return false;
    }
    *v = apply(name, args);
    return true;
  }
  bool apply(std::string_view name, const std::vector<std::string_view>& a) const {
    if (name == "defined") return env_ && env_(std::string(a[0])).has_value();
    if (name == "feature") return has_feature(a[0]);
    if (name == "streq") return a[0] == a[1];
    if (name == "strneq") return a[0] != a[1];
    if (name == "version_atleast") return compare_versions(compat_version(), a[0]) >= 0;
    if (name == "version_before") return compare_versions(compat_version(), a[0]) < 0;
    if (name == "openssl_version_atleast") return compare_versions(openssl_version(), a[0]) >= 0;
    if (name == "openssl_version_before") return compare_versions(openssl_version(), a[0]) < 0;
    // ssllib_name_startswith: the name OpenSSL reports, e.g. "OpenSSL 3.0.11 ...".
    const std::string_view lib = OpenSSL_version(OPENSSL_VERSION);
    return lib.substr(0, a[0].size()) == a[0];
  }

  std::string_view t_;
  const EnvLookup& env_;
  CondError* err_;
  size_t p_ = 0;
};

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  const VersionKey ka = version_key(a), kb = version_key(b);
  for (size_t i = 0; i < ka.size(); ++i)
    if (ka[i] != kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

CondValue eval_condition(std::string_view text, const EnvLookup& env, CondError* err) {
  return CondParser(text, env, err).run();
}

}  // namespace hearth::config
