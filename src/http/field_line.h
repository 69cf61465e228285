#pragma once
// Syntax of one field line (RFC 9112 §5): field-name ":" OWS field-value OWS.
#include <string_view>

#include "http/headers.h"
#include "http/parse_result.h"

namespace hearth::http {

// Requires: `line` is not empty.
// Parses one field line given without its CRLF (the caller guarantees it holds
// no CR or LF). Strict: a line starting with SP/HTAB (obs-fold, or whitespace
// before the first field) is refused, as is an empty name, any non-token byte
// in the name (so "Name :" with whitespace before the colon is refused rather
// than trimmed), and any control character other than HTAB in the value.
// Returns: ok and sets *out (value trimmed of OWS), or 400.
HeadError parse_field_line(std::string_view line, HeaderField* out);

}  // namespace hearth::http
