#include "config/parser.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>

#include "config/cond_block.h"
#include "config/keywords.h"
#include "config/parse_context.h"
#include "config/table_refs.h"
#include "config/userlist_section.h"
#include "expr/event_sink.h"
#include "expr/pattern_ref.h"
#include "expr/server_ref.h"

namespace hearth::config {
namespace detail {
namespace {

const char* const kSectionKeywords =
    "global, defaults, frontend, backend, listen, userlist, http-errors, ring, resolvers, "
    "peers or program";

// Feeds lines to the keyword handlers of the current section and keeps what
// carries between sections: the defaults in effect and the named defaults.
class ConfigParser {
 public:
  ConfigParser(const EnvLookup& env, ParseResult& result)
      : env_(env), result_(result), rep_(result), conds_(env) {}

  // Parses one file's text. Requires: nothing. The file starts and ends
  // outside any section.
  void parse_text(std::string_view text, const std::string& filename);
  // After the last file: resolves what may refer forward (userlists,
  // errorfiles).
  void finish();

 private:
  enum class Section {
    kNone,
    kGlobal,
    kProxy,
    kUserlist,
    kHttpErrors,
    kRing,
    kResolvers,
    kProgram,
    kPeers,
    kSkipped
  };

  void parse_line(std::string_view line, const SourceLoc& loc);
  void parse_directive(const Directive& d);
  // Returns: true if `d` opened a section (even an invalid one).
  bool open_section(const Directive& d);
  void open_proxy(const Directive& d, ProxyKind kind);
  void close_section();
  const ProxySection* named_defaults(const std::string& name) const;
  bool check_rules_defaults(const Directive& d, ProxyKind kind);

  const EnvLookup& env_;
  ParseResult& result_;
  Reporter rep_;
  CondBlocks conds_;  // .if/.elif/.else/.endif and the message directives
  Section section_ = Section::kNone;
  std::string section_label_;  // for ${.SECTION}
  std::string http_errors_;    // the name of the http-errors section being read
  int ring_ = -1;              // the ring section being read (-1: an invalid header)
  RingConfig scratch_ring_;    // takes the lines after an invalid ring header
  int resolvers_ = -1;         // the resolvers section being read (-1: an invalid header)
  ResolversConfig scratch_resolvers_;
  int program_ = -1;  // the program section being read (-1: an invalid header)
  ProgramConfig scratch_program_;
  int peers_ = -1;  // the peers section being read (-1: an invalid header)
  PeersConfig scratch_peers_;
  ProxySection current_;
  // False when the section header was invalid: its lines are still checked so
  // that every error is reported, but the proxy is not kept.
  bool keep_current_ = false;
  ProxySection last_defaults_;  // built-in values until a defaults section closes
  std::vector<ProxySection> named_defaults_;
  // Defaults sections with TCP/HTTP rules ("file:line"), and which sides
  // (1: frontends, 2: backends) inherited them.
  std::map<std::string, uint8_t> rules_defaults_users_;
  std::vector<UserlistSection> userlists_;
  int userlist_ = -1;                     // the one a userlist section's lines add to
  UserlistSection scratch_userlist_;      // takes the lines after an invalid header
  expr::UserlistRefScope userlist_refs_;  // userlist arguments met while parsing
  std::vector<PendingUserlistRef> pending_refs_;
  expr::TableRefScope table_refs_;    // stick-table arguments met while parsing
  expr::ServerRefScope server_refs_;  // [backend/]server arguments of fetches
  std::vector<PendingTableRef> pending_tables_;
};

void ConfigParser::parse_text(std::string_view text, const std::string& filename) {
  SourceLoc loc{filename, 0};
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++loc.line;
    parse_line(text.substr(start, end - start), loc);
    start = end + 1;
  }
  conds_.end_of_file(result_);
  close_section();
}

void ConfigParser::parse_line(std::string_view line, const SourceLoc& loc) {
  LineContext ctx{loc.file, loc.line, section_label_};
  SplitResult split = split_line(line, env_, ctx);
  if (!split.ok()) {
    if (conds_.skipping()) return;  // a skipped branch is not read
    rep_.error(loc, split.words.empty() ? "" : split.words[0], split.error);
    return;
  }
  if (split.words.empty()) return;
  if (!conds_.skipping())
    for (const std::string& w : split.warnings) rep_.warning(loc, split.words[0], w);
  Directive d{loc, std::move(split.words), &env_};
  // Pattern references record the line of each ACL and map using them.
  expr::set_load_origin(loc.file, loc.line);
  if (conds_.consume(d, result_)) return;
  const size_t refs_before = userlist_refs_.refs().size();
  parse_directive(d);
  // Userlist arguments compiled on this line: resolved in finish().
  for (size_t i = refs_before; i < userlist_refs_.refs().size(); ++i)
    pending_refs_.push_back(PendingUserlistRef{loc, d[0], userlist_refs_.refs()[i]});
  // Stick-table arguments: a missing name is the proxy's own table.
  for (std::shared_ptr<expr::TableRef>& r : table_refs_.refs()) {
    if (r->name.empty()) {
      const bool in_proxy =
          section_ == Section::kProxy && current_.proxy.kind != ProxyKind::kDefaults;
      if (in_proxy)
        r->name = current_.proxy.name;
      else
        rep_.error(loc, d[0],
                   r->keyword + " names no stick-table, and there is no proxy here " +
                       "whose table it could mean");
    }
    pending_tables_.push_back(PendingTableRef{loc, d[0], std::move(r)});
  }
  table_refs_.refs().clear();
  // Server names: one without its backend is the current backend's.
  for (const std::string& r : server_refs_.refs()) {
    if (r.find('/') != std::string::npos)
      result_.config.fetch_server_refs.push_back(r);
    else if (section_ == Section::kProxy && current_.proxy.kind == ProxyKind::kDefaults)
      // As HAProxy: rules a defaults section hands down cannot mean "this
      // backend's server".
      rep_.error(loc, d[0],
                 "backend name must be set in server argument '" + r +
                     "' of a sample fetch in a defaults section (BACKEND/SERVER)");
    else if (section_ == Section::kProxy && current_.proxy.kind == ProxyKind::kFrontend)
      rep_.error(loc, d[0],
                 "unable to find server '" + r + "' in proxy '" + current_.proxy.name +
                     "': a frontend has no servers (name it as BACKEND/SERVER)");
    else if (section_ == Section::kProxy)
      result_.config.fetch_server_refs.push_back(current_.proxy.name + "/" + r);
  }
  server_refs_.refs().clear();
}

void ConfigParser::parse_directive(const Directive& d) {
  const SourceLoc& loc = d.loc;
  if (open_section(d)) return;
  switch (section_) {
    case Section::kNone:
      rep_.error(loc, d[0],
                 std::string("keyword outside any section: start one with ") + kSectionKeywords);
      break;
    case Section::kGlobal:
      parse_global_keyword(d, result_.config.global, rep_);
      break;
    case Section::kProxy:
      parse_proxy_keyword(d, current_, rep_);
      break;
    case Section::kUserlist:
      parse_userlist_keyword(d, userlist_ >= 0 ? userlists_[size_t(userlist_)] : scratch_userlist_,
                             rep_);
      break;
    case Section::kHttpErrors:
      parse_http_errors_line(d, http_errors_, result_.config, rep_);
      break;
    case Section::kRing:
      parse_ring_keyword(d, ring_ >= 0 ? result_.config.rings[size_t(ring_)] : scratch_ring_,
                         result_.config.global.tune_bufsize, rep_);
      break;
    case Section::kResolvers:
      parse_resolvers_keyword(
          d, resolvers_ >= 0 ? result_.config.resolvers[size_t(resolvers_)] : scratch_resolvers_,
          rep_);
      break;
    case Section::kProgram:
      parse_program_keyword(
          d, program_ >= 0 ? result_.config.programs[size_t(program_)] : scratch_program_, rep_);
      break;
    case Section::kPeers:
      parse_peers_keyword(d, peers_ >= 0 ? result_.config.peers[size_t(peers_)] : scratch_peers_,
                          rep_);
      break;
    case Section::kSkipped:
      break;  // the section header already reported that it is unsupported
  }
}

bool ConfigParser::open_section(const Directive& d) {
  const std::string& kw = d[0];
  if (kw == "global") {
    close_section();
    section_ = Section::kGlobal;
    section_label_ = "global";
    if (d.size() > 1)
      rep_.error(d.loc, kw, "unexpected argument '" + d[1] + "': 'global' takes none");
  } else if (kw == "defaults") {
    open_proxy(d, ProxyKind::kDefaults);
  } else if (kw == "frontend") {
    open_proxy(d, ProxyKind::kFrontend);
  } else if (kw == "backend") {
    open_proxy(d, ProxyKind::kBackend);
  } else if (kw == "listen") {
    open_proxy(d, ProxyKind::kListen);
  } else if (kw == "userlist") {
    close_section();
    section_ = Section::kUserlist;
    section_label_ = d.size() > 1 ? kw + " " + d[1] : kw;
    userlist_ = open_userlist(d, userlists_, rep_);
    scratch_userlist_ = UserlistSection{d.loc, std::make_shared<expr::Userlist>(""), {}, {}};
  } else if (kw == "http-errors") {
    close_section();
    section_ = Section::kHttpErrors;
    section_label_ = kw;
    http_errors_ = d.size() > 1 ? d[1] : "";
    if (d.size() != 2) {
      rep_.error(d.loc, kw, "expects one argument: http-errors NAME");
      section_ = Section::kSkipped;
    } else if (result_.config.http_errors.count(d[1])) {
      rep_.error(d.loc, kw, "an http-errors section named '" + d[1] + "' already exists");
      section_ = Section::kSkipped;
    } else {
      result_.config.http_errors[d[1]];  // declared, even if empty
    }
  } else if (kw == "ring") {
    close_section();
    section_ = Section::kRing;
    section_label_ = d.size() > 1 ? kw + " " + d[1] : kw;
    ring_ = open_ring(d, result_.config, rep_);
  } else if (kw == "resolvers") {
    close_section();
    section_ = Section::kResolvers;
    section_label_ = d.size() > 1 ? kw + " " + d[1] : kw;
    resolvers_ = open_resolvers(d, result_.config, rep_);
  } else if (kw == "program") {
    close_section();
    section_ = Section::kProgram;
    section_label_ = d.size() > 1 ? kw + " " + d[1] : kw;
    program_ = open_program(d, result_.config, rep_);
  } else if (kw == "peers") {
    close_section();
    section_ = Section::kPeers;
    section_label_ = d.size() > 1 ? kw + " " + d[1] : kw;
    peers_ = open_peers(d, result_.config, rep_);
  } else if (is_haproxy_section(kw)) {
    close_section();
    section_ = Section::kSkipped;
    section_label_ = kw;
    rep_.error(d.loc, kw, "Hearth does not support this section yet; its lines are skipped");
  } else {
    return false;
  }
  return true;
}

const ProxySection* ConfigParser::named_defaults(const std::string& name) const {
  for (auto it = named_defaults_.rbegin(); it != named_defaults_.rend(); ++it) {
    if (it->proxy.name == name) return &*it;
  }
  return nullptr;
}

// What a proxy or defaults header line says.
struct ProxyHeader {
  std::string name, address, from;
  bool ok = true;  // false once an error was reported
};

// Parses "defaults [NAME] [from DEFAULTS]", "frontend NAME [from DEFAULTS]",
// "backend NAME [from DEFAULTS]" or "listen NAME [ADDR] [from DEFAULTS]".
// Returns: its parts; errors are reported and clear `ok`.
ProxyHeader parse_proxy_header(const Directive& d, ProxyKind kind, Reporter& rep) {
  const std::string& kw = d[0];
  const bool is_defaults = kind == ProxyKind::kDefaults;
  const std::string usage = is_defaults                  ? "defaults [NAME] [from DEFAULTS]"
                            : kind == ProxyKind::kListen ? "listen NAME [ADDR:PORT] [from DEFAULTS]"
                                                         : kw + " NAME [from DEFAULTS]";
  ProxyHeader h;
  size_t i = 1;
  if (i < d.size() && d[i] != "from") h.name = d[i++];
  if (kind == ProxyKind::kListen && i < d.size() && d[i] != "from") h.address = d[i++];
  if (i < d.size() && d[i] == "from") {
    if (i + 1 >= d.size()) {
      rep.error(d.loc, kw, "'from' expects the name of a defaults section: '" + usage + "'");
      h.ok = false;
    } else {
      h.from = d[i + 1];
    }
    i += 2;
  }
  if (h.ok && i < d.size()) {
    rep.error(d.loc, kw, "unexpected argument '" + d[i] + "': expects '" + usage + "'");
    h.ok = false;
  }
  if (h.name.empty() && !is_defaults) {
    rep.error(d.loc, kw, "missing name: expects '" + usage + "'");
    h.ok = false;
  } else if (!h.name.empty() && !is_valid_name(h.name)) {
    rep.error(d.loc, kw,
              "invalid name '" + h.name + "': expects letters, digits, '-', '_', '.' or ':'");
    h.ok = false;
  }
  return h;
}

void ConfigParser::open_proxy(const Directive& d, ProxyKind kind) {
  close_section();
  const std::string& kw = d[0];
  const bool is_defaults = kind == ProxyKind::kDefaults;
  ProxyHeader h = parse_proxy_header(d, kind, rep_);
  if (is_defaults && !h.name.empty() && named_defaults(h.name) != nullptr) {
    rep_.error(d.loc, kw, "a defaults section named '" + h.name + "' already exists");
    h.ok = false;
  }
  // A defaults section starts from the built-in values unless it names one.
  const ProxySection* base = is_defaults ? nullptr : &last_defaults_;
  if (!h.from.empty()) {
    if (const ProxySection* named = named_defaults(h.from)) {
      base = named;
      if (is_defaults && named->rules_defaults.line != 0) {
        // HAProxy 2.6: rules are inherited by proxies only, one level deep.
        rep_.error(
            d.loc, kw,
            "a defaults section cannot start from '" + h.from + "', which defines TCP/HTTP rules");
        h.ok = false;
      }
    } else {
      rep_.error(d.loc, kw, "no defaults section named '" + h.from + "' appears before this line");
      h.ok = false;
    }
  }
  current_ = base ? *base : ProxySection{};
  if (!is_defaults && h.ok) check_rules_defaults(d, kind);  // reported; the section is kept
  // Check rules from a defaults section are dropped by the section's first own rule line.
  current_.proxy.check.rules_inherited = true;
  current_.experimental = result_.config.global.expose_experimental;
  ProxyConfig& p = current_.proxy;
  p.kind = kind;
  p.name = h.name;
  p.loc = d.loc;
  p.binds.clear();
  p.servers.clear();
  if (kind == ProxyKind::kBackend) {  // frontend-only setting inherited from defaults
    p.default_backend.clear();
    p.default_backend_loc = SourceLoc{};
  }
  if (!h.address.empty()) add_binds(h.address, d.loc, p);
  section_ = Section::kProxy;
  section_label_ = h.name.empty() ? kw : kw + " " + h.name;
  keep_current_ = h.ok;
}

// A proxy inheriting TCP/HTTP rules from a defaults section: a listen
// section may not, and one defaults section serves frontends or backends,
// not both (HAProxy 2.6). Returns: false after reporting.
bool ConfigParser::check_rules_defaults(const Directive& d, ProxyKind kind) {
  const SourceLoc& at = current_.rules_defaults;
  if (at.line == 0) return true;
  const std::string where = at.file + ":" + std::to_string(at.line);
  if (kind == ProxyKind::kListen) {
    rep_.error(d.loc, d[0],
               "a listen section cannot inherit TCP/HTTP rules from a defaults section (the one "
               "at " +
                   where + ")");
    return false;
  }
  const uint8_t only = current_.rules_users;
  if (kind == ProxyKind::kBackend && (only & ProxySection::kFrontendsOnly)) {
    rep_.error(d.loc, d[0],
               "a backend cannot inherit the 'tcp-request connection' or 'tcp-request session' "
               "rules of the defaults section at " +
                   where);
    return false;
  }
  if (kind == ProxyKind::kFrontend && (only & ProxySection::kBackendsOnly)) {
    rep_.error(
        d.loc, d[0],
        "a frontend cannot inherit the 'tcp-response' rules of the defaults section at " + where);
    return false;
  }
  const uint8_t side = kind == ProxyKind::kFrontend ? 1 : 2;
  uint8_t& seen = rules_defaults_users_[where];
  if (seen & ~side) {
    rep_.error(d.loc, d[0],
               "the defaults section at " + where +
                   " defines TCP/HTTP rules: it may serve frontends or backends, not both");
    return false;
  }
  seen |= side;
  return true;
}

void ConfigParser::finish() {
  finish_userlists(userlists_, result_.config, rep_);
  resolve_userlist_refs(pending_refs_, result_.config, rep_);
  check_peers(result_.config, rep_);
  resolve_table_refs(pending_tables_, result_.config, rep_);
  resolve_error_messages(result_.config, rep_);
  check_programs(result_.config, rep_);
}

void ConfigParser::close_section() {
  if (section_ == Section::kProxy && keep_current_) {
    if (current_.proxy.kind == ProxyKind::kDefaults) {
      last_defaults_ = current_;
      if (!current_.proxy.name.empty()) named_defaults_.push_back(current_);
    } else {
      result_.config.proxies.push_back(std::move(current_.proxy));
    }
  }
  if (section_ == Section::kResolvers && resolvers_ >= 0)
    finish_resolvers(result_.config.resolvers[size_t(resolvers_)], rep_);
  resolvers_ = -1;
  current_ = ProxySection{};
  keep_current_ = false;
  section_ = Section::kNone;
  section_label_.clear();
}

// Returns: true and the file's bytes in `out`, or false and the reason.
bool read_file(const std::string& path, std::string& out, std::string& reason) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    reason = std::strerror(errno);
    return false;
  }
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  if (failed) reason = std::strerror(errno);
  std::fclose(f);
  return !failed;
}

// Like HAProxy, a directory given as a configuration path stands for the
// "*.cfg" files directly inside it, in lexical order, hidden ones left out.
// Returns: `paths` with directories replaced by their files.
std::vector<std::string> expand_directories(const std::vector<std::string>& paths,
                                            ParseResult& result) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      // Hidden files (".x.cfg": editor leftovers) are not part of it, as in HAProxy.
      if (it->path().extension() == ".cfg" && it->path().filename().string()[0] != '.' &&
          it->is_regular_file(ec))
        found.push_back(it->path().string());
    }
    if (ec) {
      result.errors.push_back(
          Diagnostic{SourceLoc{path, 0}, "", "cannot list the directory: " + ec.message()});
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace
}  // namespace detail

ParseResult parse_files(const std::vector<std::string>& paths, const EnvLookup& env) {
  // A configuration starts a new set of pattern references (maps, ACL files)
  // and of event sinks (the debug converter's).
  expr::PatRefRegistry::instance().reset();
  expr::reset_event_sinks();
  ParseResult result;
  detail::ConfigParser parser(env, result);
  for (const std::string& path : detail::expand_directories(paths, result)) {
    std::string text, reason;
    if (!detail::read_file(path, text, reason)) {
      result.errors.push_back(
          Diagnostic{SourceLoc{path, 0}, "", "cannot read the file: " + reason});
      continue;
    }
    parser.parse_text(text, path);
  }
  parser.finish();
  return result;
}

ParseResult parse_string(const std::string& text, const std::string& filename,
                         const EnvLookup& env) {
  expr::PatRefRegistry::instance().reset();
  expr::reset_event_sinks();
  ParseResult result;
  detail::ConfigParser parser(env, result);
  parser.parse_text(text, filename);
  parser.finish();
  return result;
}

}  // namespace hearth::config
