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

HeadError parse_field_line(std::string_view block, HeaderField* out, size_t* line_size) {
  const char* p = block.data();
  if (is_ows(p[0])) return head_error(400, "obs-fold or leading whitespace");
  // The line ends at its CR: the only CR before the end of the block, and a
  // byte that is neither a token character nor a field character.
  size_t colon = 0;
  while (p[colon] != ':') {
    if (!is_tchar(p[colon])) {
      if (p[colon] == '\r') return head_error(400, "field line without colon");
      return head_error(400, "invalid character in field name");
    }
    ++colon;
  }
  if (colon == 0) return head_error(400, "empty field name");
  size_t end = colon + 1;
#if defined(__SSE2__)
  // Sixteen bytes at a time while they are inside the block.
  while (end + 16 <= block.size()) {
    const unsigned bad = non_field_chars(p + end);
    if (bad != 0) {
      end += static_cast<size_t>(__builtin_ctz(bad));
      break;
    }
    end += 16;
  }
#endif
  while (is_field_char(p[end])) ++end;
  if (p[end] != '\r') return head_error(400, "invalid character in field value");
  out->name = std::string_view(p, colon);
  out->value = trim_ows(std::string_view(p + colon + 1, end - colon - 1));
  *line_size = end + 2;
  return head_ok();
}

}  // namespace hearth::http
