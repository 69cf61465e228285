#pragma once
// The crt-list file of a bind line: one certificate per line, with optional
// TLS options in brackets and SNI filters,
//   PATH [\[OPTION ...\]] [[!]FILTER ...]
// Blank lines and lines that start with '#' are skipped (as in HAProxy 2.6, a
// '#' elsewhere is no comment: "  # x" names a certificate "#"). Pure code
// (the caller reads the file), fuzzed (fuzz/crt_list_fuzz.cc).
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "config/model.h"

namespace hearth::config {

// One certificate line of a crt-list.
struct CrtListLine {
  int line = 0;                      // 1-based, in the crt-list file
  std::string path;                  // as written (crt-base applies at startup)
  std::vector<std::string> options;  // the words between the brackets
  std::vector<std::string> filters;  // SNI filters as written ("*.a.b", "!x.a.b")
  BindTls tls;                       // the bind line's options with this line's applied
};

struct CrtList {
  std::vector<CrtListLine> lines;
  std::vector<Diagnostic> errors;    // loc = {crt-list file, line}, keyword = the option
  std::vector<Diagnostic> warnings;  // (alpn h2 left out, as on a bind line)
  bool ok() const { return errors.empty(); }
};

// The options a crt-list line may carry and that Hearth implements.
inline constexpr const char* kCrtListOptions =
    "alpn, ca-file, ca-verify-file, ciphers, ciphersuites, crl-file, curves, ecdhe, "
    "no-ca-names, ssl-min-ver, ssl-max-ver, verify";

// Parses the text of crt-list `file` (named in diagnostics); each line's
// options are applied over a copy of `bind` (what the bind line says).
// Returns: the certificate lines, and an error per refused line.
CrtList parse_crt_list(std::string_view text, const std::string& file, const BindTls& bind);

// Returns: `line` written back in crt-list syntax, as "show ssl crt-list"
// prints it (path, "[options]" when there are some, filters).
std::string format_crt_list_line(const CrtListLine& line);

}  // namespace hearth::config
