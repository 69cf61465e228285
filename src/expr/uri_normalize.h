#pragma once
// The URI normalizers of "http-request normalize-uri" (HAProxy 2.6, an
// experimental directive there). Pure functions over a request-target: each
// works on one part of it (the path, the path with the query, or the query)
// as HAProxy's does, and leaves the rest as it was. No allocation: the
// caller gives the output buffer (and a scratch array for query-sort).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::expr {

enum class UriNormalizer : uint8_t {
  kFragmentEncode,                 // '#' -> "%23" (path and query)
  kFragmentStrip,                  // drop from the first '#' on (path and query)
  kPathMergeSlashes,               // "//" -> "/" (path)
  kPathStripDot,                   // drop "." segments (path)
  kPathStripDotdot,                // fold "x/.." (path); "/.." left at the start
  kPathStripDotdotFull,            // the same, and "/.." at the start dropped
  kPercentDecodeUnreserved,        // %41 -> A for ALPHA DIGIT - . _ ~ (path and query)
  kPercentDecodeUnreservedStrict,  // the same; an invalid '%' sequence is an error
  kPercentToUppercase,             // %aa -> %AA (path and query)
  kPercentToUppercaseStrict,       // the same; an invalid '%' sequence is an error
  kQuerySortByName,                // parameters sorted by name, stable (query)
};

// Returns: the normalizer called `name` in the configuration with its
// option word (`option`: "", "full" or "strict"), or false if there is none.
bool find_uri_normalizer(std::string_view name, std::string_view option, UriNormalizer* out);
// Returns: the option word `name` takes ("full", "strict"), or "" for none.
std::string_view uri_normalizer_option(std::string_view name);

enum class NormalizeResult : uint8_t {
  kDone,     // *out holds the new target (it may equal the old one)
  kNoPath,   // the target has no path ("*", authority form): nothing to do
  kInvalid,  // a strict normalizer met an invalid '%' sequence (HAProxy: 400)
  kTooLong,  // the result does not fit the output buffer
};

// Returns: the longest output `n` can make of a part of `in` bytes: 3 * in
// for fragment-encode, in + 1 for path-strip-dotdot ("/.." -> "/../"), else
// in.
size_t uri_max_len(UriNormalizer n, size_t in);

// Applies `n` to `target`, writing the whole new target into out[0, cap).
// `params`/`max_params`: scratch for query-sort-by-name (one view per query
// parameter; more parameters than that give kTooLong).
// Returns: the outcome; on kDone, *len is the new target's length.
NormalizeResult normalize_uri(UriNormalizer n, std::string_view target, char* out, size_t cap,
                              size_t* len, std::string_view* params, size_t max_params);

// The single normalizers, on the part each works on. Each writes at most
// uri_max_len() bytes into out, which must have that room. Returns: the length written, or -1 for
// an invalid sequence (strict only) or too many query parameters.
long uri_merge_slashes(std::string_view path, char* out);
long uri_strip_dot(std::string_view path, char* out);
long uri_strip_dotdot(std::string_view path, bool full, char* out);
long uri_percent_upper(std::string_view in, bool strict, char* out);
long uri_percent_decode_unreserved(std::string_view in, bool strict, char* out);
long uri_fragment_strip(std::string_view in, char* out);
long uri_fragment_encode(std::string_view in, char* out);
// `query` starts with its '?'.
long uri_query_sort(std::string_view query, char* out, std::string_view* params, size_t max_params);

}  // namespace hearth::expr
