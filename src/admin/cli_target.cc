#include "admin/cli_target.h"

#include <arpa/inet.h>

#include <charconv>

#include "backend/backend.h"
#include "backend/server.h"
#include "stream/frontend.h"

namespace hearth::admin {
namespace {

// "#N": sets *id. Returns: false for a plain name.
bool parse_id(const std::string& s, int* id) {
  if (s.size() < 2 || s[0] != '#') return false;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data() + 1, end, *id);
  return ec == std::errc() && p == end;
}

}  // namespace

std::optional<net::Address> parse_cli_ip(const std::string& word) {
  in6_addr v6;
  in_addr v4;
  net::Address a;
  if (inet_pton(AF_INET, word.c_str(), &v4) == 1) {
    a.ss.v4.sin_family = AF_INET;
    a.ss.v4.sin_addr = v4;
    a.len = sizeof(sockaddr_in);
    return a;
  }
  if (inet_pton(AF_INET6, word.c_str(), &v6) == 1) {
    a.ss.v6.sin6_family = AF_INET6;
    a.ss.v6.sin6_addr = v6;
    a.len = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

ServerTarget find_server_target(const std::string& arg,
                                const std::vector<backend::Backend*>& backends) {
  ServerTarget t;
  const size_t slash = arg.find('/');
  if (slash == std::string::npos) {
    t.error = "Require 'backend/server'.\n\n";
    return t;
  }
  const std::string be_name = arg.substr(0, slash), srv_name = arg.substr(slash + 1);
  int id = 0;
  const bool by_id = parse_id(be_name, &id);
  for (backend::Backend* b : backends)
    if (by_id ? b->id == id : b->name() == be_name) t.be = b;
  if (!t.be) {
    t.error = "No such backend.\n\n";
    return t;
  }
  int sid = 0;
  if (parse_id(srv_name, &sid)) {
    for (const auto& s : t.be->servers())
      if (s->puid == sid) t.srv = s.get();
  } else {
    t.srv = t.be->server_named(srv_name);
  }
  if (!t.srv) t.error = "No such server.\n\n";
  return t;
}

stream::Frontend* find_frontend(const std::string& arg,
                                const std::vector<stream::Frontend*>& frontends) {
  int id = 0;
  const bool by_id = parse_id(arg, &id);
  for (stream::Frontend* f : frontends)
    if (by_id ? f->id == id : f->name == arg) return f;
  return nullptr;
}

}  // namespace hearth::admin
