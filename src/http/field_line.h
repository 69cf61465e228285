#pragma once
// Syntax of one field line (RFC 9112 §5): field-name ":" OWS field-value OWS.
#include <string_view>

#include "http/headers.h"
#include "http/parse_result.h"

namespace hearth::http {

// Parses the field line at the start of `data`, which need not end with it.
// Strict: a line starting with SP/HTAB (obs-fold, or whitespace before the
// first field) is refused, as is an empty name, any non-token byte in the
// name (so "Name :" with whitespace before the colon is refused rather than
// trimmed), any control character other than HTAB in the value, and a value
// not ended by CRLF.
// Returns: ok, setting *out (value trimmed of OWS) and *line_size (the line's
// bytes including its CRLF); or 400 (also when `data` ends before the CRLF).
HeadError parse_field_line(std::string_view data, HeaderField* out, size_t* line_size);

}  // namespace hearth::http
