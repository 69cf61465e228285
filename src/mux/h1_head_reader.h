#pragma once
// Finding and parsing the head at the start of a connection's input buffer.
// A head is parsed only once its end is in the buffer, in one parser call, so
// one parser can serve every stream of a thread.
#include <cstddef>

#include "core/buffer.h"
#include "http/head_parser.h"

namespace hearth::mux {

// Looks for the blank line ending a head (CRLF CRLF, or a bare-LF variant the
// parser will reject) from *pos on.
// Returns: true if one is present; otherwise false, with *pos set to where the
// next search over the same (grown) buffer may resume.
bool head_complete(const Buffer& b, size_t* pos);

// This thread's parser. Heads are parsed only once complete, in one call, and
// everything taken from them is copied into an output buffer before the call
// returns to the loop, so one parser serves every stream of a thread and no
// state survives between streams. Created on first use with `max_headers`
// (tune.http.maxhdr) and the buffer size as its limits; freed with the thread.
http::HeadParser& thread_head_parser(size_t max_headers);

struct BufferedHead {
  bool complete = false;     // the end of a head is in the buffer
  http::ParseResult result;  // when complete: the parser's verdict on the buffer
};

// Returns: true for the parser's "invalid method" error, which a request
// gets before its head is complete (bytes that cannot begin a request).
bool is_bad_method(const http::ParseResult& r);

// Parses the head at in.head() once head_complete() finds its end; *scan_pos
// carries the search between calls (0 for a new head). The outcome, and
// *scan_pos after the call, are those of calling head_complete() and then,
// if it found the end, the parser; on a first look (*scan_pos == 0) the
// parser goes first, which saves the search for a head that arrived whole.
// The parser is reset before use and left reset unless the verdict is kDone
// or kError. *out is filled when the outcome is complete with kDone.
BufferedHead parse_buffered_request(http::HeadParser& parser, const Buffer& in, size_t* scan_pos,
                                    http::RequestHead* out);
BufferedHead parse_buffered_response(http::HeadParser& parser, const Buffer& in, size_t* scan_pos,
                                     http::ResponseHead* out);

}  // namespace hearth::mux
