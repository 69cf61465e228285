#include "admin/map_commands.h"

#include <cstdio>

#include "expr/map.h"
#include "expr/pattern_ref.h"

namespace hearth::admin {
namespace {

using expr::PatEntry;
using expr::PatRef;

// The words of one command after "VERB map|acl", with an optional "@VER".
struct Args {
  bool map;
  const char* what;  // "map" or "ACL", as the answers name it
  bool has_ver = false;
  uint32_t ver = 0;
  std::vector<std::string> rest;
};

Args args_of(const std::vector<std::string>& w) {
  Args a{w[1] == "map", w[1] == "map" ? "map" : "ACL"};
  size_t i = 2;
  if (i < w.size() && !w[i].empty() && w[i][0] == '@') {
    // As HAProxy's: the digits that follow, 0 when there are none.
    a.has_ver = true;
    a.ver = uint32_t(std::strtoul(w[i].c_str() + 1, nullptr, 10));
    ++i;
  }
  a.rest.assign(w.begin() + long(i), w.end());
  return a;
}

std::string unknown(const Args& a) {
  return std::string("Unknown ") + a.what + " identifier. Please use #<id> or <file>.\n\n";
}

std::string hex_ref(const PatEntry& e) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%lx", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(&e)));
  return b;
}

// Returns: the reference "#0x..." names, or 0 for a key.
uintptr_t ref_of(const std::string& key) {
  if (key.empty() || key[0] != '#') return 0;
  const uintptr_t r = std::strtoul(key.c_str() + 1, nullptr, 16);
  return r ? r : ~uintptr_t(0);  // a reference no entry has
}

std::string show(const Args& a) {
  if (a.rest.empty()) {
    std::string out = "# id (file) description\n";
    for (PatRef* r : expr::PatRefRegistry::instance().list(a.map))
      out += std::to_string(r->id()) + " (" + r->path() + ") " + r->describe() + "\n";
    return out + "\n";
  }
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  std::string out;
  r->each(a.has_ver ? a.ver : r->curr_gen(), [&](const PatEntry& e) {
    out += hex_ref(e) + " " + e.key;
    if (a.map) out += " " + e.value;
    out += "\n";
  });
  return out + "\n";
}

std::string get(const Args& a) {
  if (a.rest.size() < 2) return std::string("Missing ") + a.what + " identifier and/or key.\n\n";
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  expr::Sample s;
  s.set_str(a.rest[1]);
  std::string out;
  r->probe(s, [&](const expr::PatExpr& x, const PatEntry* e) {
    out += std::string("type=") + expr::match_method_name(x.kind().method) +
           ", case=" + (x.kind().icase ? "insensitive" : "sensitive") + ", " +
           (a.map ? "found=" : "match=") + (e ? "yes" : "no");
    if (e) {
      out += std::string(", idx=") + x.index_name();
      if (a.map) {
        expr::Sample v;
        const bool typed = x.lookup(s, &v);
        out += ", key=\"" + e->key + "\", value=\"" + e->value + "\", type=\"" +
               expr::type_name(typed ? v.type : x.kind().out) + "\"";
      } else {
        out += ", pattern=\"" + e->key + "\"";
      }
    }
    out += "\n";
  });
  return out + "\n";
}

std::string add(const Args& a, const std::string& payload) {
  const bool one = a.rest.size() == 1 && !payload.empty();
  if (!one && a.rest.size() < (a.map ? 3u : 2u)) {
    return a.map ? "'add map' expects three parameters (map identifier, key and value) or one "
                   "parameter (map identifier) and a payload\n\n"
                 : "'add acl' expects two parameters: ACL identifier and pattern.\n\n";
  }
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  const uint32_t gen = a.has_ver ? a.ver : r->curr_gen();
  if (int32_t(gen - r->next_gen()) > 0)
    return std::string("Version number in the future, please use 'prepare ") +
           (a.map ? "map" : "acl") + "' before.\n\n";
  std::vector<PatEntry> entries;
  if (one) {
    std::vector<std::string> lines;
    for (size_t p = 0; p < payload.size();) {
      size_t e = payload.find('\n', p);
      if (e == std::string::npos) e = payload.size();
      if (e > p) lines.push_back(payload.substr(p, e - p));
      p = e + 1;
    }
    if (a.map) {
      entries = expr::Map::entries_of(lines);
    } else {
      for (std::string& l : lines) entries.push_back(PatEntry{std::move(l)});
    }
  } else {
    entries.push_back(PatEntry{a.rest[1], a.map ? a.rest[2] : ""});
  }
  for (PatEntry& e : entries) {
    std::string err;
    if (!r->add(gen, std::move(e.key), std::move(e.value), expr::IntOp::kEq, &err))
      return err + ".\n\n";
  }
  return "\n";
}

std::string set(const Args& a) {
  if (a.rest.size() < 3)
    return "'set map' expects three parameters: map identifier, key and value.\n\n";
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], true);
  if (!r) return unknown(a);
  const uintptr_t ref = ref_of(a.rest[1]);
  std::string err;
  if (r->set_value(a.rest[1], ref, a.rest[2], &err) == 0)
    return err.empty() ? (ref ? "key or pattern not found.\n\n" : "entry not found.\n\n")
                       : err + ".\n\n";
  return err.empty() ? "\n" : err + ".\n\n";
}

std::string del(const Args& a) {
  if (a.rest.size() < 2)
    return std::string("This command expects two parameters: ") + a.what +
           " identifier and key.\n\n";
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  return r->erase(a.rest[1], ref_of(a.rest[1])) ? "\n" : "Key not found.\n\n";
}

std::string clear(const Args& a) {
  if (a.rest.empty()) return std::string("Missing ") + a.what + " identifier.\n\n";
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  r->clear(a.has_ver ? a.ver : r->curr_gen());
  return "\n";
}

std::string prepare(const Args& a) {
  PatRef* r = a.rest.empty() ? nullptr : expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  return "New version created: " + std::to_string(r->prepare()) + "\n\n";
}

std::string commit(const Args& a) {
  if (!a.has_ver) return "Missing version number.\n\n";
  if (a.rest.empty()) return std::string("Missing ") + a.what + " identifier.\n\n";
  PatRef* r = expr::PatRefRegistry::instance().find(a.rest[0], a.map);
  if (!r) return unknown(a);
  return r->commit(a.ver) ? "\n" : "Version number out of range.\n\n";
}

}  // namespace

std::string cli_pattern_command(const std::vector<std::string>& w, const std::string& payload,
                                bool admin) {
  if (w.size() < 2 || (w[1] != "map" && w[1] != "acl")) return "";
  const std::string& verb = w[0];
  const Args a = args_of(w);
  if (verb == "show") return show(a);
  if (verb == "get") return get(a);
  const bool change = verb == "add" || (verb == "set" && a.map) || verb == "del" ||
                      verb == "clear" || verb == "prepare" || verb == "commit";
  if (!change) return "";
  if (!admin) return "Permission denied\n\n";
  if (verb == "add") return add(a, payload);
  if (verb == "set") return set(a);
  if (verb == "del") return del(a);
  if (verb == "clear") return clear(a);
  if (verb == "prepare") return prepare(a);
  return commit(a);
}

}  // namespace hearth::admin
