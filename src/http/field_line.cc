#include "http/field_line.h"

#include "http/chars.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hearth::http {

#if defined(__SSE2__)
namespace {

// Returns: a bit per byte of p[0, 16) that is not a field character (see
// is_field_char): a control character other than HTAB, or DEL. Bytes from
// 0x80 up are negative as signed chars, which keeps them out of the control
// range.
unsigned non_field_chars(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i below_space = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  const __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128());
  const __m128i control = _mm_andnot_si128(high, below_space);
  const __m128i tab = _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'));
  const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(tab, control), del)));
}

}  // namespace
#endif

HeadError parse_field_line(std::string_view data, HeaderField* out, size_t* line_size) {
  const char* p = data.data();
  const size_t n = data.size();
  if (n == 0) return head_error(400, "incomplete field line");
  if (is_ows(p[0])) return head_error(400, "obs-fold or leading whitespace");
  // The name ends at its colon; CR, LF and the end of the data all stop it.
  size_t colon = 0;
  while (colon < n && is_tchar(p[colon])) ++colon;
  if (colon == n) return head_error(400, "incomplete field line");
  if (p[colon] != ':') {
    if (p[colon] == '\r') return head_error(400, "field line without colon", p + colon);
    return head_error(400, "invalid character in field name", p + colon);
  }
  if (colon == 0) return head_error(400, "empty field name");
  size_t end = colon + 1;
#if defined(__SSE2__)
  // Sixteen bytes at a time while they are inside the data.
  while (end + 16 <= n) {
    const unsigned bad = non_field_chars(p + end);
    if (bad != 0) {
      end += static_cast<size_t>(__builtin_ctz(bad));
      goto value_end;
    }
    end += 16;
  }
#endif
  while (end < n && is_field_char(p[end])) ++end;
#if defined(__SSE2__)
value_end:
#endif
  if (end + 1 >= n || p[end] != '\r' || p[end + 1] != '\n') {
    if (end < n && p[end] != '\r')
      return head_error(400, "invalid character in field value", p + end);
    return head_error(400, "incomplete field line");
  }
  // OWS around the value: usually one SP before it and none after.
  size_t v = colon + 1;
  while (v < end && is_ows(p[v])) ++v;
  size_t e = end;
  while (e > v && is_ows(p[e - 1])) --e;
  out->name = std::string_view(p, colon);
  out->value = std::string_view(p + v, e - v);
  out->known = classify_field_name(out->name);
  *line_size = end + 2;
  return head_ok();
}

}  // namespace hearth::http
