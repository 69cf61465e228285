#pragma once
// Conditions (HAProxy manual 7.2): "if|unless [!]acl1 [!]acl2 ... [or|||
// [!]acl3 ...]...", a disjunction of conjunctions of ACLs, named (declared
// earlier in the section), predefined (TRUE, METH_GET, ... section 7.4) or
// anonymous ("{ path_beg /api }").
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "expr/acl.h"

namespace hearth::expr {

struct CondTerm {
  std::shared_ptr<const Acl> acl;
  bool negate = false;
};

struct Condition {
  bool unless = false;
  std::vector<std::vector<CondTerm>> any_of;  // OR of ANDs
  std::string text;                           // as written
};

// Finds a named ACL of the section being read, or nullptr.
using AclLookup = std::function<std::shared_ptr<const Acl>(const std::string& name)>;

// Returns: the predefined ACL `name` (TRUE, FALSE, HTTP, METH_GET, ...), or
// nullptr.
std::shared_ptr<const Acl> predefined_acl(const std::string& name);

// Parses words[first..] (the words after "if" or "unless"). `where` is the
// FetchUse of the rule: an ACL whose fetches read nothing available there is
// reported in *warnings (it can never match), as HAProxy warns.
// Returns: the condition, or nullptr with *err.
std::unique_ptr<Condition> parse_condition(const std::vector<std::string>& words, size_t first,
                                           bool unless, const AclLookup& lookup,
                                           PatternSource& files, uint8_t where, std::string* err,
                                           std::vector<std::string>* warnings);

// Returns: whether the rule applies (the condition, inverted by unless).
bool eval_condition(const Condition& c, FetchContext& ctx);

}  // namespace hearth::expr
