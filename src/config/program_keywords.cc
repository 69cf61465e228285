// "program NAME" sections (HAProxy manual 3.7): command, user, group,
// option start-on-reload / no option start-on-reload.
#include <grp.h>
#include <pwd.h>

#include "config/keywords.h"
#include "config/parse_context.h"

namespace hearth::config::detail {
namespace {

const char kKeywords[] =
    "command, user, group, option start-on-reload or no option start-on-reload";

void parse_program_option(const Directive& d, bool negated, ProgramConfig& p, Reporter& rep) {
  const size_t at = negated ? 1 : 0;  // the index of "option"
  const std::string kw = negated ? "no option" : "option";
  if (d.size() != at + 2 || d[at + 1] != "start-on-reload")
    return rep.error(d.loc, kw,
                     "a program section only takes 'option start-on-reload' or 'no option "
                     "start-on-reload'");
  p.start_on_reload = !negated;
}

}  // namespace

int open_program(const Directive& d, Config& config, Reporter& rep) {
  if (d.size() != 2) return rep.error(d.loc, "program", "expects one argument: program NAME"), -1;
  if (!is_valid_name(d[1])) {
    rep.error(d.loc, "program",
              "invalid name '" + d[1] + "': expects letters, digits, '-', '_', '.' or ':'");
    return -1;
  }
  for (const ProgramConfig& p : config.programs)
    if (p.name == d[1])
      return rep.error(d.loc, "program", "a program section named '" + d[1] + "' exists"), -1;
  ProgramConfig p;
  p.loc = d.loc;
  p.name = d[1];
  config.programs.push_back(std::move(p));
  return int(config.programs.size()) - 1;
}

void parse_program_keyword(const Directive& d, ProgramConfig& p, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "command") {
    if (d.size() < 2) return rep.error(d.loc, kw, "expects a command and its arguments");
    if (!p.command.empty()) return rep.error(d.loc, kw, "the program already has a command");
    p.command.assign(d.words.begin() + 1, d.words.end());
  } else if (kw == "user" || kw == "group") {
    if (d.size() != 2) return rep.error(d.loc, kw, "expects one name: " + kw + " NAME");
    if (kw == "user") {
      const passwd* pw = getpwnam(d[1].c_str());
      if (!pw) return rep.error(d.loc, kw, "no user named '" + d[1] + "' on this system");
      p.uid = int(pw->pw_uid);
    } else {
      const group* gr = getgrnam(d[1].c_str());
      if (!gr) return rep.error(d.loc, kw, "no group named '" + d[1] + "' on this system");
      p.gid = int(gr->gr_gid);
    }
  } else if (kw == "option") {
    parse_program_option(d, false, p, rep);
  } else if (kw == "no" && d.size() > 1 && d[1] == "option") {
    parse_program_option(d, true, p, rep);
  } else {
    rep.error(d.loc, kw, std::string("unknown keyword in a program section: expects ") + kKeywords);
  }
}

void check_programs(const Config& config, Reporter& rep) {
  for (const ProgramConfig& p : config.programs)
    if (p.command.empty())
      rep.error(p.loc, "program", "the program section '" + p.name + "' has no 'command' line");
}

}  // namespace hearth::config::detail
