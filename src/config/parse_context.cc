#include "config/parse_context.h"

#include "config/server_address.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

const char* section_name(ProxyKind kind) {
  switch (kind) {
    case ProxyKind::kDefaults:
      return "defaults";
    case ProxyKind::kFrontend:
      return "frontend";
    case ProxyKind::kBackend:
      return "backend";
    case ProxyKind::kListen:
      return "listen";
  }
  return "?";
}

std::string allowed_list(unsigned allowed) {
  std::vector<std::string> names;
  if (allowed & kInDefaults) names.push_back("defaults");
  if (allowed & kInFrontend) names.push_back("frontend");
  if (allowed & kInBackend) names.push_back("backend");
  names.push_back("listen");
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

}  // namespace

void Reporter::error(const SourceLoc& loc, std::string keyword, std::string message) {
  result_.errors.push_back(Diagnostic{loc, std::move(keyword), std::move(message)});
}

void Reporter::warning(const SourceLoc& loc, std::string keyword, std::string message) {
  result_.warnings.push_back(Diagnostic{loc, std::move(keyword), std::move(message)});
}

bool check_section(const Directive& d, const std::string& keyword, ProxyKind kind, unsigned allowed,
                   Misplaced misplaced, Reporter& rep) {
  bool ok = false;
  switch (kind) {
    case ProxyKind::kDefaults:
      ok = allowed & kInDefaults;
      break;
    case ProxyKind::kFrontend:
      ok = allowed & kInFrontend;
      break;
    case ProxyKind::kBackend:
      ok = allowed & kInBackend;
      break;
    case ProxyKind::kListen:
      ok = allowed & kInProxies;
      break;
  }
  if (ok) return true;
  const std::string where = std::string("a ") + section_name(kind) + " section";
  if (misplaced == Misplaced::kIgnore) {
    rep.warning(d.loc, keyword,
                "ignored in " + where +
                    ", where it has no effect (it applies in: " + allowed_list(allowed) + ")");
  } else {
    rep.error(d.loc, keyword,
              "not allowed in " + where + " (allowed in: " + allowed_list(allowed) + ")");
  }
  return false;
}

std::optional<std::string> address_arg(const Directive& d, size_t i, const std::string& keyword,
                                       const std::string& what, Reporter& rep) {
  std::string out, err;
  std::vector<std::string> unset;
  if (!expand_address_env(d[i], d.env ? *d.env : EnvLookup(), &out, &err, &unset)) {
    rep.error(d.loc, keyword, what + ": " + err);
    return std::nullopt;
  }
  if (unset.empty()) return out;
  if (out.empty()) {
    rep.error(d.loc, keyword,
              what + " is empty once expanded (" + unset_address_warning(unset) + ")");
    return std::nullopt;
  }
  rep.warning(d.loc, keyword, what + ": " + unset_address_warning(unset));
  return out;
}

bool check_arity(const Directive& d, const std::string& keyword, size_t min, size_t max,
                 const std::string& usage, Reporter& rep) {
  if (d.size() < min) {
    rep.error(d.loc, keyword, "missing argument: expects '" + usage + "'");
    return false;
  }
  if (d.size() > max) {
    rep.error(d.loc, keyword, "unexpected argument '" + d[max] + "': expects '" + usage + "'");
    return false;
  }
  return true;
}

std::optional<int64_t> int_arg(const Directive& d, size_t i, const std::string& keyword, int64_t lo,
                               int64_t hi, Reporter& rep) {
  const std::string text = i < d.size() ? d[i] : std::string();
  auto value = parse_int(text);
  if (!value || *value < lo || *value > hi) {
    rep.error(d.loc, keyword,
              "expects an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                  ", got '" + text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> duration_arg(const Directive& d, size_t i, const std::string& keyword,
                                    Reporter& rep) {
  const std::string text = i < d.size() ? d[i] : std::string();
  auto value = parse_duration_ms(text);
  if (!value) {
    rep.error(d.loc, keyword,
              "expects a duration such as 5s, 500ms or 1m (units us, ms, s, m, h, d; a bare "
              "number is ms; at most 24d), got '" +
                  text + "'");
  }
  return value;
}

bool is_valid_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string one_of(const std::vector<std::string>& choices) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += (i + 1 == choices.size()) ? " or " : ", ";
    out += choices[i];
  }
  return out;
}

}  // namespace hearth::config::detail
