// "userlist NAME" sections: "group NAME [users LIST]" and
// "user NAME [password HASH | insecure-password PASS] [groups LIST]".
#include "config/userlist_section.h"

namespace hearth::config::detail {
namespace {

// The names of a comma-separated list; empty ones are skipped (as strtok).
std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  for (size_t p = 0; p <= list.size();) {
    size_t c = list.find(',', p);
    if (c == std::string::npos) c = list.size();
    if (c > p) out.push_back(list.substr(p, c - p));
    p = c + 1;
  }
  return out;
}

// Returns: false after reporting when option d[i] has no value.
bool has_value(const Directive& d, size_t i, Reporter& rep) {
  if (i + 1 < d.size()) return true;
  rep.error(d.loc, d[0], "option '" + d[i] + "' expects a value");
  return false;
}

void parse_group(const Directive& d, UserlistSection& s, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, d[0], "expects a name: 'group NAME [users USER,...]'");
    return;
  }
  const std::string& name = d[1];
  if (!is_valid_name(name)) {
    rep.error(d.loc, d[0],
              "invalid group name '" + name + "': expects letters, digits, '-', '_', '.' or ':'");
    return;
  }
  if (s.list->find_group(name) >= 0) {
    // HAProxy ignores the whole line, its users list included.
    rep.warning(d.loc, d[0],
                "userlist '" + s.list->name() + "' already has a group '" + name +
                    "': this line is ignored");
    return;
  }
  std::string users;
  bool with_users = false;
  for (size_t i = 2; i < d.size(); i += 2) {
    if (d[i] != "users") {
      rep.error(d.loc, d[0], "unknown option '" + d[i] + "': 'group' only supports 'users'");
      return;
    }
    if (!has_value(d, i, rep)) return;
    users = d[i + 1];  // the last one counts, as in HAProxy
    with_users = true;
  }
  const size_t g = s.list->add_group(name);
  if (with_users) s.group_users.push_back(UserlistSection::Names{d.loc, g, users});
}

void parse_user(const Directive& d, UserlistSection& s, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, d[0],
              "expects a name: 'user NAME [password HASH | insecure-password PASS] "
              "[groups GROUP,...]'");
    return;
  }
  const std::string& name = d[1];
  if (s.list->find_user(name)) {
    rep.warning(d.loc, d[0],
                "userlist '" + s.list->name() + "' already has a user '" + name +
                    "': this line is ignored");
    return;
  }
  expr::Userlist::User u;
  u.name = name;
  std::string groups;
  bool with_groups = false;
  for (size_t i = 2; i < d.size(); i += 2) {
    const std::string& o = d[i];
    if (o != "password" && o != "insecure-password" && o != "groups") {
      rep.error(d.loc, d[0],
                "unknown option '" + o +
                    "': 'user' only supports 'password', 'insecure-password' and 'groups'");
      return;
    }
    if (!has_value(d, i, rep)) return;
    const std::string& v = d[i + 1];
    if (o == "groups") {
      groups = v;
      with_groups = true;
      continue;
    }
    if (u.has_pass) {
      rep.error(d.loc, d[0], "user '" + name + "' is given more than one password");
      return;
    }
    if (o == "password" && !expr::crypt_supports(v)) {
      rep.error(d.loc, d[0],
                "the password hash of user '" + name +
                    "' is not one crypt(3) supports on this system (expects e.g. $6$SALT$HASH "
                    "from 'mkpasswd -m sha-512')");
      return;
    }
    u.pass = v;
    u.has_pass = true;
    u.insecure = o == "insecure-password";
  }
  s.list->add_user(std::move(u));
  if (with_groups)
    s.user_groups.push_back(
        UserlistSection::Names{d.loc, s.list->users().size() - 1, std::move(groups)});
}

}  // namespace

int open_userlist(const Directive& d, std::vector<UserlistSection>& lists, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, d[0], "expects a name: 'userlist NAME'");
    return -1;
  }
  if (d.size() > 2) {
    rep.error(d.loc, d[0], "unexpected argument '" + d[2] + "': expects 'userlist NAME'");
    return -1;
  }
  const std::string& name = d[1];
  if (!is_valid_name(name)) {
    rep.error(d.loc, d[0],
              "invalid name '" + name + "': expects letters, digits, '-', '_', '.' or ':'");
    return -1;
  }
  for (const UserlistSection& s : lists) {
    if (s.list->name() != name) continue;
    // HAProxy ignores the line; what follows goes to the last userlist made.
    const std::string& last = lists.back().list->name();
    rep.warning(d.loc, d[0],
                "a userlist named '" + name + "' already exists (" + s.loc.file + ":" +
                    std::to_string(s.loc.line) +
                    "): this line is ignored and the lines after it "
                    "add to userlist '" +
                    last + "'");
    return int(lists.size()) - 1;
  }
  lists.push_back(UserlistSection{d.loc, std::make_shared<expr::Userlist>(name), {}, {}});
  return int(lists.size()) - 1;
}

void parse_userlist_keyword(const Directive& d, UserlistSection& s, Reporter& rep) {
  if (d[0] == "group")
    parse_group(d, s, rep);
  else if (d[0] == "user")
    parse_user(d, s, rep);
  else
    rep.error(d.loc, d[0], "unknown keyword in a userlist section: expects 'group' or 'user'");
}

void finish_userlists(std::vector<UserlistSection>& lists, Config& config, Reporter& rep) {
  for (UserlistSection& s : lists) {
    expr::Userlist& l = *s.list;
    for (const UserlistSection::Names& n : s.user_groups) {
      for (const std::string& g : split_names(n.list)) {
        const int gi = l.find_group(g);
        if (gi < 0) {
          rep.error(n.loc, "user",
                    "userlist '" + l.name() + "' has no group '" + g + "' (named by user '" +
                        l.users()[n.index].name + "')");
          continue;
        }
        l.join(n.index, size_t(gi));
      }
    }
    for (const UserlistSection::Names& n : s.group_users) {
      for (const std::string& u : split_names(n.list)) {
        const expr::Userlist::User* user = l.find_user(u);
        if (!user) {
          rep.error(n.loc, "group",
                    "userlist '" + l.name() + "' has no user '" + u + "' (named by group '" +
                        l.groups()[n.index] + "')");
          continue;
        }
        l.join(size_t(user - l.users().data()), n.index);
      }
    }
    config.userlists.push_back(s.list);
  }
  lists.clear();
}

void resolve_userlist_refs(const std::vector<PendingUserlistRef>& refs, const Config& config,
                           Reporter& rep) {
  for (const PendingUserlistRef& p : refs) {
    expr::UserlistRef& r = *p.ref;
    r.list = config.find_userlist(r.name);
    if (!r.list) {
      rep.error(p.loc, p.keyword,
                "no userlist named '" + r.name + "' (in the argument of " + r.keyword + ")");
      continue;
    }
    for (const std::string& g : r.acl_groups) {
      if (r.list->find_group(g) < 0)
        rep.error(p.loc, p.keyword,
                  "userlist '" + r.name + "' has no group '" + g + "' (named in an " +
                      "http_auth_group ACL)");
    }
  }
}

}  // namespace hearth::config::detail
