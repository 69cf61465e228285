#define PCRE2_CODE_UNIT_WIDTH 8
#include "expr/regex.h"

#include <pcre2.h>

#include "expr/sample.h"

namespace hearth::expr {
namespace {

// One match block per thread, sized for kMaxGroups, made once: matching
// allocates nothing.
pcre2_match_data* thread_match_data() {
  struct Holder {
    pcre2_match_data* md = pcre2_match_data_create(Regex::kMaxGroups, nullptr);
    ~Holder() { pcre2_match_data_free(md); }
  };
  static thread_local Holder h;
  return h.md;
}

}  // namespace

std::shared_ptr<const Regex> Regex::compile(std::string_view pattern, std::string* error,
                                            bool icase) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 icase ? PCRE2_CASELESS : 0, &code, &offset, nullptr);
  if (!re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    *error =
        std::string(reinterpret_cast<const char*>(msg)) + " at offset " + std::to_string(offset);
    return nullptr;
  }
  pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // best effort: falls back to the interpreter
  return std::shared_ptr<const Regex>(new Regex(re, std::string(pattern)));
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

bool Regex::search(std::string_view subject, std::string_view* groups, bool not_bol) const {
  pcre2_match_data* md = thread_match_data();
  const int rc = pcre2_match(static_cast<const pcre2_code*>(code_),
                             reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                             not_bol ? PCRE2_NOTBOL : 0, md, nullptr);
  if (rc < 0) return false;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  const int pairs = int(pcre2_get_ovector_count(md));
  for (int i = 0; i < kMaxGroups; ++i) {
    const bool set = i < pairs && ov[2 * i] != PCRE2_UNSET && (rc == 0 || i < rc);
    groups[i] = set ? subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i]) : std::string_view();
  }
  return true;
}

bool Regex::matches(std::string_view subject) const {
  return pcre2_match(static_cast<const pcre2_code*>(code_),
                     reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                     thread_match_data(), nullptr) >= 0;
}

void expand_replacement(std::string_view fmt, const std::string_view* groups, std::string* out) {
  for (size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c != '\\' || i + 1 == fmt.size()) {
      out->push_back(c);
      continue;
    }
    const char n = fmt[++i];
    if (n >= '0' && n <= '9') {
      out->append(groups[n - '0']);
    } else if (n == 'x' && i + 2 < fmt.size() && hex_digit(fmt[i + 1]) >= 0 &&
               hex_digit(fmt[i + 2]) >= 0) {
      out->push_back(char(hex_digit(fmt[i + 1]) * 16 + hex_digit(fmt[i + 2])));
      i += 2;
    } else {
      out->push_back(n);
    }
  }
}

}  // namespace hearth::expr
