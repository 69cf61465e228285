#pragma once
// Userlists (HAProxy manual 3.4): users with a crypt(3) hash or a clear
// password, and the groups they belong to. Built once by the configuration;
// read by the http_auth* fetches and ACLs.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::expr {

class Userlist {
 public:
  struct User {
    std::string name;
    std::string pass;       // a crypt(3) hash, or the clear text when `insecure`
    bool has_pass = false;  // false: no password given, the user never authenticates
    bool insecure = false;
    std::vector<size_t> groups;  // indexes into groups()
  };

  explicit Userlist(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  const std::vector<User>& users() const { return users_; }
  const std::vector<std::string>& groups() const { return groups_; }

  // Returns: the user called `name` (exact, case-sensitive), or nullptr.
  const User* find_user(std::string_view name) const;
  // Returns: the index of the group called `name`, or -1.
  int find_group(std::string_view name) const;
  // Returns: true if `user` exists and `pass` is its password: compared as
  // is for an insecure password, else through crypt(3) with the stored hash.
  bool check(std::string_view user, std::string_view pass) const;
  // Returns: true if `u` belongs to the group called `group`.
  bool in_group(const User& u, std::string_view group) const;

  // Building (the configuration parser). add_* keep the first of a name.
  User& add_user(User u);
  size_t add_group(std::string name);
  // Puts user `u` in group `g` (once).
  void join(size_t u, size_t g);

 private:
  std::string name_;
  std::vector<User> users_;
  std::vector<std::string> groups_;
};

// Returns: true if crypt(3) understands `hash` as a setting (a supported
// method and a well-formed salt): hashing the empty word with it succeeds.
bool crypt_supports(const std::string& hash);

// A fetch argument naming a userlist. The configuration resolves it once
// every userlist is read (a userlist may follow the proxies that use it):
// `list` stays null until then, and a fetch with an unresolved list gives
// no sample.
struct UserlistRef {
  std::string name;
  std::string keyword;  // the fetch, for messages: "http_auth"
  std::shared_ptr<const Userlist> list;
  // http_auth_group in an ACL: the groups the test names, checked against
  // the userlist once resolved.
  std::vector<std::string> acl_groups;
};

// Collects the UserlistRefs created while a configuration is compiled, so
// that the parser can resolve them afterwards. One scope per thread at a
// time; references made outside a scope are not collected.
class UserlistRefScope {
 public:
  UserlistRefScope();
  ~UserlistRefScope();
  UserlistRefScope(const UserlistRefScope&) = delete;
  UserlistRefScope& operator=(const UserlistRefScope&) = delete;
  std::vector<std::shared_ptr<UserlistRef>>& refs() { return refs_; }

  // Records `ref` in the thread's current scope, if any.
  static void note(std::shared_ptr<UserlistRef> ref);

 private:
  std::vector<std::shared_ptr<UserlistRef>> refs_;
  UserlistRefScope* prev_;
};

}  // namespace hearth::expr
