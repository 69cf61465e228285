#pragma once
// Splits one configuration line into words, following haproxy.cfg's quoting
// rules:
//   - words are separated by unquoted, unescaped blanks;
//   - '#' outside quotes starts a comment that runs to the end of the line;
//   - "double quotes" keep blanks, '#' and single quotes, and expand
//     environment variables: $NAME, ${NAME}, ${NAME-default}, ${NAME[*]}
//     (the last splits the value into several words at its blanks);
//   - 'single quotes' keep everything literally: no escapes, no expansion;
//   - outside single quotes a backslash escapes: "\ " "\\" "\#" "\'" "\""
//     "\t" "\n" "\r" "\xHH", and "\$" inside double quotes; any other
//     backslash is kept as written (so regexes like \d survive);
//   - quoted and unquoted parts concatenate: a"b c"'d' is one word.
// The pseudo-variables ${.FILE}, ${.LINE} and ${.SECTION} name the current
// position. An unset variable without a default expands to an empty string,
// as in HAProxy (configurations rely on it: VTest leaves the macros of servers
// it never starts as ${NAME}); the result carries a warning naming it, since
// a silently empty address or path is a trap.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::config {

// Looks an environment variable up. Returns: its value, or nullopt if unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Returns: a lookup reading the process environment (getenv).
EnvLookup process_env();

// Where the line comes from: used by the pseudo-variables.
struct LineContext {
  std::string_view file;
  int line = 0;
  std::string_view section;  // e.g. "backend app"; empty outside any section
};

struct SplitResult {
  std::vector<std::string> words;     // complete words found before any error
  std::string error;                  // empty on success; says what to write instead
  std::vector<std::string> warnings;  // one per unset variable expanded to nothing
  bool ok() const { return error.empty(); }
};

// Requires: `line` is one line without its terminating newline (a trailing
// '\r' is tolerated and dropped). Returns: its words, or an error describing
// the first problem (unterminated quote or brace, bad escape, unset variable).
SplitResult split_line(std::string_view line, const EnvLookup& env, const LineContext& ctx);

}  // namespace hearth::config
