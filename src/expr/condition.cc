#include "expr/condition.h"

#include <map>
#include <mutex>

namespace hearth::expr {
namespace {

struct Predefined {
  const char* name;
  std::vector<std::string> words;
};

const Predefined kPredefined[] = {
    {"FALSE", {"always_false"}},
    {"HTTP", {"req.proto_http"}},
    {"HTTP_1.0", {"req.ver", "1.0"}},
    {"HTTP_1.1", {"req.ver", "1.1"}},
    {"HTTP_2.0", {"req.ver", "2.0"}},
    {"HTTP_CONTENT", {"req.hdr_val(content-length)", "gt", "0"}},
    {"HTTP_URL_ABS", {"url_reg", "^[^/:]*://"}},
    {"HTTP_URL_SLASH", {"url_beg", "/"}},
    {"HTTP_URL_STAR", {"url", "*"}},
    {"LOCALHOST", {"src", "127.0.0.1/8", "::1"}},
    {"METH_CONNECT", {"method", "CONNECT"}},
    {"METH_DELETE", {"method", "DELETE"}},
    {"METH_GET", {"method", "GET", "HEAD"}},
    {"METH_HEAD", {"method", "HEAD"}},
    {"METH_OPTIONS", {"method", "OPTIONS"}},
    {"METH_POST", {"method", "POST"}},
    {"METH_PUT", {"method", "PUT"}},
    {"METH_TRACE", {"method", "TRACE"}},
    {"RDP_COOKIE", {"req.rdp_cookie_cnt", "gt", "0"}},
    {"REQ_CONTENT", {"req.len", "gt", "0"}},
    {"TRUE", {"always_true"}},
    {"WAIT_END", {"wait_end"}},
};

}  // namespace

std::shared_ptr<const Acl> predefined_acl(const std::string& name) {
  // Built for each use, as HAProxy's: each use has pattern references of its
  // own, which the runtime API lists with the line of the use.
  for (const Predefined& p : kPredefined) {
    if (name != p.name) continue;
    auto acl = std::make_shared<Acl>(name);
    AclTest t;
    std::string err, warning;
    if (!parse_acl_test(p.words, file_patterns(), &t, &err, &warning)) return nullptr;
    acl->add(std::move(t));
    return acl;
  }
  return nullptr;
}

std::unique_ptr<Condition> parse_condition(const std::vector<std::string>& words, size_t first,
                                           bool unless, const AclLookup& lookup,
                                           PatternSource& files, uint8_t where, std::string* err,
                                           std::vector<std::string>* warnings) {
  auto c = std::make_unique<Condition>();
  c->unless = unless;
  c->any_of.emplace_back();
  for (size_t i = first; i < words.size(); ++i) {
    if (i > first) c->text += ' ';
    c->text += words[i];
  }
  bool negate = false;
  for (size_t i = first; i < words.size(); ++i) {
    std::string w = words[i];
    // "or" in any case, as HAProxy reads it.
    if (w == "||" || (w.size() == 2 && (w[0] | 0x20) == 'o' && (w[1] | 0x20) == 'r')) {
      if (negate || c->any_of.back().empty()) {
        *err = "'" + w + "' must follow an ACL in condition '" + c->text + "'";
        return nullptr;
      }
      c->any_of.emplace_back();
      continue;
    }
    // Every leading '!' negates once more ("!!a" is "a"); a lone "!" applies to
    // the next word.
    size_t bangs = 0;
    while (bangs < w.size() && w[bangs] == '!') ++bangs;
    if (bangs % 2) negate = !negate;
    w.erase(0, bangs);
    if (w.empty()) continue;
    std::shared_ptr<const Acl> acl;
    if (w == "{") {
      size_t end = i + 1;
      while (end < words.size() && words[end] != "}") ++end;
      if (end == words.size()) {
        *err = "missing '}' closing the anonymous ACL in condition '" + c->text + "'";
        return nullptr;
      }
      std::vector<std::string> inner(words.begin() + long(i) + 1, words.begin() + long(end));
      AclTest t;
      std::string warning;
      if (!parse_acl_test(inner, files, &t, err, &warning)) return nullptr;
      if (!warning.empty()) warnings->push_back("anonymous ACL: " + warning);
      auto anon = std::make_shared<Acl>("anonymous");
      anon->add(std::move(t));
      acl = std::move(anon);
      i = end;
    } else {
      acl = lookup ? lookup(w) : nullptr;
      if (!acl) acl = predefined_acl(w);
      if (!acl) {
        *err = "no such ACL : '" + w + "'";
        return nullptr;
      }
    }
    if (!(acl->use() & where)) {
      warnings->push_back("acl '" + acl->name() +
                          "' will never match because it only involves keywords that are "
                          "incompatible with this rule");
    }
    c->any_of.back().push_back(CondTerm{std::move(acl), negate});
    negate = false;
  }
  if (negate || c->any_of.back().empty()) {
    *err = "incomplete condition '" + c->text + "'";
    return nullptr;
  }
  return c;
}

bool eval_condition(const Condition& c, FetchContext& ctx) {
  bool result = false;
  for (const auto& all : c.any_of) {
    bool ok = true;
    for (const CondTerm& t : all) {
      if (t.acl->eval(ctx) == t.negate) {
        ok = false;
        break;
      }
    }
    if (ok) {
      result = true;
      break;
    }
  }
  return result != c.unless;
}

}  // namespace hearth::expr
