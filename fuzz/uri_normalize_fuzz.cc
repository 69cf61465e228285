// Runs every normalize-uri normalizer over the input as a request-target and
// checks what each promises: the output stays within uri_max_len() of the
// rewritten part (and within the buffer), a result is reached again when the
// normalizer runs on its own output (all but percent-decode-unreserved, which
// can reveal new escapes: "/%%36%36" -> "/%66"; and query-sort-by-name only
// when its output does not end with '&', since a trailing empty parameter is
// dropped: "?&&" -> "?&" -> "?"), and only the strict ones refuse a target.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "expr/uri_normalize.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

using hearth::expr::NormalizeResult;
using hearth::expr::UriNormalizer;

constexpr size_t kMaxTarget = 4096;
constexpr size_t kMaxParams = kMaxTarget;  // empty parameters count: "?&&&"

NormalizeResult run(UriNormalizer n, std::string_view in, char* out, size_t* len) {
  static std::string_view params[kMaxParams];
  return hearth::expr::normalize_uri(n, in, out, 3 * kMaxTarget + 1, len, params, kMaxParams);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxTarget) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  static char out[3 * kMaxTarget + 1], again[3 * kMaxTarget + 1];
  for (int i = 0; i <= int(UriNormalizer::kQuerySortByName); ++i) {
    const auto n = UriNormalizer(i);
    size_t len = 0;
    const NormalizeResult r = run(n, in, out, &len);
    const bool strict = n == UriNormalizer::kPercentDecodeUnreservedStrict ||
                        n == UriNormalizer::kPercentToUppercaseStrict;
    check(r != NormalizeResult::kTooLong);
    check(r != NormalizeResult::kInvalid || strict);
    if (r != NormalizeResult::kDone) continue;
    check(len <= hearth::expr::uri_max_len(n, size));
    if (n != UriNormalizer::kFragmentEncode && n != UriNormalizer::kPathStripDotdot &&
        n != UriNormalizer::kPathStripDotdotFull)
      check(len <= size);
    if (n == UriNormalizer::kPercentDecodeUnreserved ||
        n == UriNormalizer::kPercentDecodeUnreservedStrict)
      continue;
    size_t len2 = 0;
    check(run(n, std::string_view(out, len), again, &len2) == NormalizeResult::kDone);
    const bool same = len2 == len && memcmp(out, again, len) == 0;
    if (n == UriNormalizer::kQuerySortByName && !same) {
      check(len > 0 && out[len - 1] == '&' && len2 < len);
      continue;
    }
    check(same);
  }
  return 0;
}
