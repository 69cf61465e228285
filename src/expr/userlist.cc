#include "expr/userlist.h"

#include <crypt.h>

#include <memory>

namespace hearth::expr {
namespace {

thread_local UserlistRefScope* current_scope = nullptr;

// crypt_r's state is large (32 KiB): one per thread, zeroed once when made
// (crypt_r asks for that before the first call only).
crypt_data& thread_crypt_data() {
  static thread_local std::unique_ptr<crypt_data> d = std::make_unique<crypt_data>();
  return *d;
}

// Returns: crypt(3) of `word` with `setting`, or nullptr when it fails
// (libxcrypt returns a token starting with '*' instead of a hash).
const char* hash_with(const std::string& word, const std::string& setting) {
  const char* h = crypt_r(word.c_str(), setting.c_str(), &thread_crypt_data());
  if (!h || h[0] == '*') return nullptr;
  return h;
}

}  // namespace

const Userlist::User* Userlist::find_user(std::string_view name) const {
  for (const User& u : users_)
    if (u.name == name) return &u;
  return nullptr;
}

int Userlist::find_group(std::string_view name) const {
  for (size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i] == name) return int(i);
  return -1;
}

bool Userlist::check(std::string_view user, std::string_view pass) const {
  const User* u = find_user(user);
  if (!u || !u->has_pass) return false;
  if (u->insecure) return pass == u->pass;
  // crypt(3) reads C strings: a password holding a NUL cannot be the one.
  if (pass.find('\0') != std::string_view::npos) return false;
  const char* h = hash_with(std::string(pass), u->pass);
  return h && u->pass == h;
}

bool Userlist::in_group(const User& u, std::string_view group) const {
  for (size_t g : u.groups)
    if (groups_[g] == group) return true;
  return false;
}

Userlist::User& Userlist::add_user(User u) {
  users_.push_back(std::move(u));
  return users_.back();
}

size_t Userlist::add_group(std::string name) {
  groups_.push_back(std::move(name));
  return groups_.size() - 1;
}

void Userlist::join(size_t u, size_t g) {
  std::vector<size_t>& gs = users_[u].groups;
  for (size_t x : gs)
    if (x == g) return;
  gs.push_back(g);
}

bool crypt_supports(const std::string& hash) { return hash_with("", hash) != nullptr; }

UserlistRefScope::UserlistRefScope() : prev_(current_scope) { current_scope = this; }

UserlistRefScope::~UserlistRefScope() { current_scope = prev_; }

void UserlistRefScope::note(std::shared_ptr<UserlistRef> ref) {
  if (current_scope) current_scope->refs_.push_back(std::move(ref));
}

}  // namespace hearth::expr
