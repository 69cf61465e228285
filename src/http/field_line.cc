#include "http/field_line.h"

#include "http/chars.h"

namespace hearth::http {

HeadError parse_field_line(std::string_view line, HeaderField* out) {
  if (is_ows(line.front())) return head_error(400, "obs-fold or leading whitespace");
  size_t colon = 0;
  while (colon < line.size() && line[colon] != ':') {
    if (!is_tchar(line[colon])) return head_error(400, "invalid character in field name");
    ++colon;
  }
  if (colon == line.size()) return head_error(400, "field line without colon");
  if (colon == 0) return head_error(400, "empty field name");
  const std::string_view value = line.substr(colon + 1);
  for (char c : value) {
    if (!is_field_char(c)) return head_error(400, "invalid character in field value");
  }
  out->name = line.substr(0, colon);
  out->value = trim_ows(value);
  return head_ok();
}

}  // namespace hearth::http
