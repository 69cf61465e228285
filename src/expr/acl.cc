#include "expr/acl.h"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "expr/map.h"

namespace hearth::expr {
namespace {

class Files : public PatternSource {
 public:
  bool read_lines(const std::string& path, std::vector<std::string>* lines,
                  std::string* err) override {
    std::ifstream in(path);
    if (!in) {
      *err = "failed to open pattern file '" + path + "'";
      return false;
    }
    // Read in blocks with a bound, so that a path such as /dev/zero ends in
    // an error rather than memory exhaustion: far above any real file.
    constexpr size_t kMaxBytes = size_t(256) << 20;
    std::string data;
    char block[65536];
    while (in.read(block, sizeof block) || in.gcount() > 0) {
      data.append(block, size_t(in.gcount()));
      if (data.size() > kMaxBytes) {
        *err = "pattern file '" + path + "' is larger than 256 MiB";
        return false;
      }
    }
    for (size_t p = 0; p < data.size();) {
      size_t e = data.find('\n', p);
      if (e == std::string::npos) e = data.size();
      std::string_view line(data.data() + p, e - p);
      p = e + 1;
      // As HAProxy's pat_ref_read_from_file(): a comment starts the line, so
      // " #x" is the pattern "#x"; a line ends at its first CR.
      if (!line.empty() && line[0] == '#') continue;
      line = line.substr(0, line.find('\r'));
      size_t i = 0;
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i == line.size()) continue;
      lines->emplace_back(line.substr(i));
    }
    return true;
  }
};

bool int_op(std::string_view w, IntOp* op) {
  if (w == "eq")
    *op = IntOp::kEq;
  else if (w == "ge")
    *op = IntOp::kGe;
  else if (w == "gt")
    *op = IntOp::kGt;
  else if (w == "le")
    *op = IntOp::kLe;
  else if (w == "lt")
    *op = IntOp::kLt;
  else
    return false;
  return true;
}

// ACL keywords that are not the sample fetch of the same name: the fetch
// they stand for and their derivatives. The ACL "hdr" reads the request
// where the fetch "hdr" follows the rule's direction.
struct AclKeyword {
  std::string_view name, fetch, derivatives;
};
constexpr AclKeyword kAclKeywords[] = {
    {"hdr", "req.hdr", "beg dir dom end len reg sub"},
    {"scook", "res.cook", "beg dir dom end len reg sub"},
    {"req_rdp_cookie", "req.rdp_cookie", ""},
    {"req_rdp_cookie_cnt", "req.rdp_cookie_cnt", ""},
};

const AclKeyword* acl_keyword(std::string_view name) {
  for (const AclKeyword& k : kAclKeywords)
    if (k.name == name) return &k;
  return nullptr;
}

// An ACL derivative ("path_beg", "hdr_dom(host)"): the fetch's own name and
// the match its suffix names. Returns: false if `criterion` is not one.
bool derivative(std::string_view criterion, std::string* expr_text, MatchMethod* m) {
  const size_t name_end = criterion.find_first_of("(,");
  const std::string_view name = criterion.substr(0, name_end);
  const size_t us = name.rfind('_');
  if (us == std::string_view::npos) return false;
  std::string_view base = name.substr(0, us);
  const std::string_view suffix = name.substr(us + 1);
  std::string_view derivatives;
  if (const AclKeyword* k = acl_keyword(base)) {
    base = k->fetch;
    derivatives = k->derivatives;
  } else if (const FetchDef* f = find_fetch(base)) {
    derivatives = f->derivatives;
  }
  bool listed = false;
  for (size_t p = 0; p < derivatives.size();) {
    size_t e = derivatives.find(' ', p);
    if (e == std::string_view::npos) e = derivatives.size();
    listed = listed || derivatives.substr(p, e - p) == suffix;
    p = e + 1;
  }
  auto method = match_method_of(suffix);
  if (!listed || !method) return false;
  *expr_text = std::string(base);
  if (name_end != std::string_view::npos) *expr_text += criterion.substr(name_end);
  *m = *method;
  return true;
}

}  // namespace

PatternSource& file_patterns() {
  static Files f;
  return f;
}

void Acl::add(AclTest t) {
  const uint8_t u = t.expr->fetch->use;
  use_ = tests_.empty() ? u : uint8_t(use_ | u);
  tests_.push_back(std::move(t));
}

namespace {

// An http_auth_group test: the fetch gives the user (its credentials are
// valid), whose groups are matched against the patterns (exact names).
bool auth_groups_match(const AclTest& t, FetchContext& ctx) {
  FetchIter it;
  Sample s;
  if (!eval_sample_expr(*t.expr, ctx, it, s)) return false;
  const Userlist* list = t.expr->args[0].userlist->list.get();
  const Userlist::User* u = list ? list->find_user(s.str) : nullptr;
  if (!u) return false;
  for (size_t g : u->groups) {
    Sample name;
    name.set_str(list->groups()[g]);
    if (t.match(name)) return true;
  }
  return false;
}

// The special rules of http_auth_group in an ACL (HAProxy refuses the
// others at load time): no converter, no other matching method, at least
// one group; group names are compared exactly (the caller records them on
// the userlist reference, for the configuration to check).
bool auth_groups_test(AclTest* out, bool explicit_method, size_t patterns, std::string* err) {
  if (!out->expr->convs.empty() || explicit_method) {
    *err =
        "http_auth_group in an ACL matches the user's groups: it takes no converter and no "
        "'-m' matching method";
    return false;
  }
  if (patterns == 0) {
    *err = "http_auth_group in an ACL expects one or more group names";
    return false;
  }
  out->auth_groups = true;
  return true;
}

}  // namespace

bool AclTest::match(const Sample& s) const {
  if (method == MatchMethod::kFound) return true;
  for (const PatUse& u : sets)
    if (u.expr->match(s)) return true;
  return false;
}

bool Acl::eval(FetchContext& ctx) const {
  for (const AclTest& t : tests_) {
    if (t.auth_groups) {
      if (auth_groups_match(t, ctx)) return true;
      continue;
    }
    FetchIter it;
    it.all = true;
    do {
      Sample s;
      if (!eval_sample_expr(*t.expr, ctx, it, s)) {
        if (it.more) continue;
        break;
      }
      if (t.match(s)) return true;
    } while (it.more);
  }
  return false;
}

namespace {

// Reads a -f file into its ref, once per process.
// `as_map` (-M): the file is a map's, whose first column holds the patterns.
bool load_acl_file(const std::string& path, bool as_map, PatternSource& files, std::string* err) {
  std::shared_ptr<PatRef> ref = PatRefRegistry::instance().file_ref(path);
  std::vector<PatEntry> entries;
  if (!ref->loaded()) {
    std::vector<std::string> lines;
    if (!files.read_lines(path, &lines, err)) return false;
    if (as_map) {
      entries = Map::entries_of(lines);
    } else {
      entries.reserve(lines.size());
      for (std::string& l : lines) entries.push_back(PatEntry{std::move(l)});
    }
  }
  return ref->mark_loaded(false, as_map, std::move(entries), err);
}

bool parse_uid(const std::string& v, int* uid) {
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), *uid);
  return ec == std::errc() && p == v.data() + v.size() && *uid >= 0;
}

// The test's own patterns: a ref named after the criterion and the line,
// made even when it holds none, as HAProxy's (its id is counted, and the
// runtime API may add to it).
template <typename Patterns>
bool inline_set(const std::string& criterion, const Patterns& patterns, bool icase,
                MatchMethod method, int uid, AclTest* out, std::string* err) {
  const std::string kw = criterion.substr(0, criterion.find_first_of("(,"));
  std::shared_ptr<PatRef> ref =
      PatRefRegistry::instance().inline_ref("acl '" + kw + "' file '" + load_origin_file() +
                                                "' line " + std::to_string(load_origin_line()),
                                            uid);
  std::vector<PatEntry> entries;
  for (const auto& p : patterns) entries.push_back(PatEntry{p.text, "", 0, p.op});
  ref->mark_loaded(false, false, std::move(entries), err);
  std::shared_ptr<PatExpr> x = ref->expr_for(PatKind{method, icase}, err);
  if (!x) {
    // The entry's own message says what is wrong with it.
    *err = err->substr(err->find(": ") + 2);
    return false;
  }
  out->sets.push_back(PatUse{std::move(ref), std::move(x)});
  return true;
}

}  // namespace

bool valid_acl_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool parse_acl_test(const std::vector<std::string>& words, PatternSource& files, AclTest* out,
                    std::string* err, std::string* warning) {
  if (words.empty()) {
    *err = "missing criterion (a sample fetch such as path_beg or hdr(host))";
    return false;
  }
  std::string text = words[0];
  const size_t name_end = text.find_first_of("(,");
  if (const AclKeyword* k = acl_keyword(std::string_view(text).substr(0, name_end)))
    text = std::string(k->fetch) + (name_end == std::string::npos ? "" : text.substr(name_end));
  std::optional<MatchMethod> method;
  MatchMethod derived;
  std::string base_text;
  const bool is_derivative = !find_fetch(text.substr(0, text.find_first_of("(,"))) &&
                             derivative(text, &base_text, &derived);
  if (is_derivative) text = base_text;
  out->expr = parse_sample_expr(text, kUseAny, err);
  if (!out->expr) return false;
  // A derivative's match holds only when no converter follows it.
  if (is_derivative && out->expr->convs.empty()) method = derived;

  struct Pattern {
    std::string text;
    bool icase;
    IntOp op;
  };
  size_t i = 1;
  bool icase = false;
  bool as_map = false;  // -M: the next -f files are maps
  bool loaded = false;  // a -f file was read, even an empty one
  bool explicit_method = false;
  std::vector<Pattern> patterns;
  std::vector<std::pair<std::string, bool>> pattern_files;  // path, -i
  int uid = -1;                                             // -u ID
  for (; i < words.size() && words[i].size() > 1 && words[i][0] == '-'; ++i) {
    const std::string& f = words[i];
    if (f == "--") {
      ++i;
      break;
    }
    if (f == "-i") {
      icase = true;
    } else if (f == "-M") {
      as_map = true;
    } else if (f == "-n") {
      // Host names are never resolved in patterns: nothing to forbid.
    } else if (f == "-m" || f == "-f" || f == "-u") {
      if (i + 1 >= words.size()) {
        *err = "flag '" + f + "' expects an argument";
        return false;
      }
      const std::string& v = words[++i];
      if (f == "-m") {
        explicit_method = true;
        if (loaded) {
          *err = "'-m' must come before any '-f' pattern file";
          return false;
        }
        method = match_method_of(v);
        if (!method) {
          *err = "unknown matching method '" + v +
                 "' (expects found, bool, int, ip, bin, len, str, sub, reg, beg, end, dir, dom)";
          return false;
        }
      } else if (f == "-f") {
        if (!load_acl_file(v, as_map, files, err)) return false;
        pattern_files.push_back({v, icase});
        loaded = true;
      } else if (!parse_uid(v, &uid)) {
        *err = "'-u' expects a non-negative integer identifier, not '" + v + "'";
        return false;
      }
    } else {
      *err = "unknown flag '" + f + "' (expects -i, -f, -m, -M, -n, -u or --)";
      return false;
    }
  }
  const bool auth_groups = out->expr->fetch->id == FetchId::kHttpAuthGroup;
  if (!method) method = default_match(out->expr->out_type());
  if (!method) {
    *err = "'" + words[0] + "' returns a sample of type '" + type_name(out->expr->out_type()) +
           "': a matching method is required (-m)";
    return false;
  }
  out->method = *method;
  // Integer operators may come before any value and hold for the values after
  // them, as in HAProxy ("1 gt 5" is eq 1 or gt 5).
  const bool ints = *method == MatchMethod::kInt || *method == MatchMethod::kLen;
  IntOp op = IntOp::kEq;
  for (; i < words.size(); ++i) {
    if (!ints || !int_op(words[i], &op)) patterns.push_back(Pattern{words[i], icase, op});
  }
  // Group names are exact (HAProxy ignores -i here).
  for (auto& [path, file_icase] : pattern_files) {
    std::shared_ptr<PatRef> ref = PatRefRegistry::instance().file_ref(path);
    std::shared_ptr<PatExpr> x = ref->expr_for(PatKind{*method, file_icase && !auth_groups}, err);
    if (!x) {
      *err = "pattern file '" + path + "', " + *err;
      return false;
    }
    ref->add_use("acl at file '" + load_origin_file() + "' line " +
                 std::to_string(load_origin_line()));
    out->sets.push_back(PatUse{std::move(ref), std::move(x)});
  }
  if (!inline_set(words[0], patterns, icase && !auth_groups, *method, uid, out, err)) return false;
  if (auth_groups) {
    // The configuration checks every group named, from files too.
    std::vector<std::string>& groups = out->expr->args[0].userlist->acl_groups;
    const size_t before = groups.size();
    for (const PatUse& u : out->sets)
      u.ref->each(u.ref->curr_gen(), [&groups](const PatEntry& e) { groups.push_back(e.key); });
    if (!auth_groups_test(out, explicit_method, groups.size() - before, err)) return false;
    return true;
  }
  // HAProxy warns only when nothing at all follows the criterion ("--" or a
  // flag silences it) and the expression is not a boolean.
  if (words.size() == 1 && out->expr->out_type() != SmpType::kBool) {
    *warning =
        "no pattern to match against was provided, so this ACL will never match (add '--' if "
        "this is intended, or use '-m found' to test for presence)";
  }
  return true;
}

}  // namespace hearth::expr
