#pragma once
// Syntax of one field line (RFC 9112 §5): field-name ":" OWS field-value OWS.
#include <string_view>

#include "http/headers.h"
#include "http/parse_result.h"

namespace hearth::http {

// Requires: `block` starts with a non-empty field line followed by CRLF, and
// holds no CR or LF other than the CRLFs ending its lines (as HeadParser's
// scan guarantees for a field section).
// Parses that first line. Strict: a line starting with SP/HTAB (obs-fold, or
// whitespace before the first field) is refused, as is an empty name, any
// non-token byte in the name (so "Name :" with whitespace before the colon is
// refused rather than trimmed), and any control character other than HTAB in
// the value.
// Returns: ok, setting *out (value trimmed of OWS) and *line_size (the line's
// bytes including its CRLF); or 400.
HeadError parse_field_line(std::string_view block, HeaderField* out, size_t* line_size);

}  // namespace hearth::http
