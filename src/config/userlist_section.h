#pragma once
// Internal to the parser: "userlist" sections (HAProxy manual 3.4) and the
// userlist arguments of fetches (http_auth(L), http_auth_group(L)).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/parse_context.h"
#include "expr/userlist.h"

namespace hearth::config::detail {

// A userlist being read. Names in "users" and "groups" lists are resolved
// once the whole configuration is read (either may come first).
struct UserlistSection {
  SourceLoc loc;
  std::shared_ptr<expr::Userlist> list;
  struct Names {
    SourceLoc loc;
    size_t index;      // the group (users lists) or user (groups lists)
    std::string list;  // "a,b,c" as written
  };
  std::vector<Names> group_users;  // group NAME users LIST
  std::vector<Names> user_groups;  // user NAME ... groups LIST
};

// "userlist NAME". Returns: the index in `lists` of the userlist the next
// lines add to, or -1 when there is none. A second userlist of a name is
// ignored with a warning, and its lines go to the last userlist made (as
// HAProxy does).
int open_userlist(const Directive& d, std::vector<UserlistSection>& lists, Reporter& rep);

// A line of a userlist section: "group ..." or "user ...".
void parse_userlist_keyword(const Directive& d, UserlistSection& s, Reporter& rep);

// Resolves the users and groups lists of every userlist and moves them to
// `config`.
void finish_userlists(std::vector<UserlistSection>& lists, Config& config, Reporter& rep);

// A fetch argument naming a userlist, with the line it was written on.
struct PendingUserlistRef {
  SourceLoc loc;
  std::string keyword;  // the directive's first word
  std::shared_ptr<expr::UserlistRef> ref;
};

// Points each reference at its userlist; a name no userlist has, and an
// http_auth_group ACL naming a group the userlist lacks, are errors.
void resolve_userlist_refs(const std::vector<PendingUserlistRef>& refs, const Config& config,
                           Reporter& rep);

}  // namespace hearth::config::detail
