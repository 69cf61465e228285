#include "http/field_line.h"

#include "http/chars.h"

namespace hearth::http {

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
  while (is_field_char(p[end])) ++end;
  if (p[end] != '\r') return head_error(400, "invalid character in field value");
  out->name = std::string_view(p, colon);
  out->value = trim_ows(std::string_view(p + colon + 1, end - colon - 1));
  *line_size = end + 2;
  return head_ok();
}

}  // namespace hearth::http
