#include "config/master_cli_spec.h"

#include "config/keywords.h"
#include "config/parse_context.h"

namespace hearth::config {

bool parse_master_cli_spec(const std::string& arg, MasterCliSpec* out, std::string* err) {
  // As the line "stats socket ADDR OPTION VALUE...", so that both accept the same.
  std::vector<std::string> words{"stats", "socket"};
  size_t start = 0;
  for (;;) {
    const size_t comma = arg.find(',', start);
    words.push_back(arg.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (size_t i = 3; i < words.size(); i += 2)
    if (words[i] == "expose-fd") {
      *err =
          "'expose-fd' does not apply to the master CLI: it hands out no listeners (as "
          "HAProxy's)";
      return false;
    }
  ParseResult scratch;
  detail::Reporter rep(scratch);
  detail::Directive d{SourceLoc{"-S", 0}, words, nullptr};
  detail::parse_stats_keyword(d, scratch.config.global, rep);
  if (!scratch.errors.empty()) {
    *err = scratch.errors.front().message;
    // The list of a stats socket's options, less the one refused above.
    const std::string with = ", gid or expose-fd";
    if (const size_t at = err->find(with); at != std::string::npos)
      err->replace(at, with.size(), " or gid");
    return false;
  }
  out->socket = scratch.config.global.stats_sockets.front();
  out->level = "admin";
  for (size_t i = 3; i + 1 < words.size(); i += 2)
    if (words[i] == "level") out->level = words[i + 1];
  out->socket.level = out->level == "admin"  ? CliLevel::kAdmin
                      : out->level == "user" ? CliLevel::kUser
                                             : CliLevel::kOperator;
  return true;
}

}  // namespace hearth::config
