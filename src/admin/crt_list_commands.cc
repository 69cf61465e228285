// show/add/del ssl crt-list: the crt-list lines of the bind lines, edited at
// runtime. An edit applies to every bind line that uses the list: their
// contexts are rebuilt with the line added or removed (SNI index included)
// and published together. The file itself is not written.
#include <set>

#include "admin/ssl_commands.h"
#include "config/crt_list.h"
#include "net/cert_store.h"

namespace hearth::admin {
namespace {

// Returns: the crt-list files of every bind line, sorted.
std::set<std::string> lists() {
  std::set<std::string> out;
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all())
    for (const net::TlsCertEntry& e : b->settings().certs)
      if (!e.list.empty()) out.insert(e.list);
  return out;
}

// Returns: the entries of `list` as the first bind line using it has them.
std::vector<net::TlsCertEntry> entries_of(const std::string& list) {
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all()) {
    std::vector<net::TlsCertEntry> out;
    for (const net::TlsCertEntry& e : b->settings().certs)
      if (e.list == list) out.push_back(e);
    if (!out.empty()) return out;
  }
  return {};
}

// Returns: a crt-list name as typed, without trailing slashes (as HAProxy).
std::string list_name(std::string name) {
  while (!name.empty() && name.back() == '/') name.pop_back();
  return name;
}

std::string show(const std::vector<std::string>& w) {
  size_t at = 3;
  const bool numbers = w.size() > at && w[at] == "-n";
  if (numbers) ++at;
  if (w.size() <= at) {
    std::string out;
    for (const std::string& l : lists()) out += l + "\n";
    return out + "\n";
  }
  const std::string list = list_name(w[at]);
  if (!lists().count(list)) return "didn't find the specified filename\n\n";
  std::string out = "# " + list + "\n";
  for (const net::TlsCertEntry& e : entries_of(list)) {
    config::CrtListLine l;
    l.path = e.path + (numbers ? ":" + std::to_string(e.line) : "");
    l.options = e.options;
    l.filters = e.filters;
    out += config::format_crt_list_line(l) + "\n";
  }
  return out + "\n";
}

std::string add(const std::vector<std::string>& w, const std::string& payload) {
  const std::string usage = "'add ssl crtlist' expects a filename and a certificate name\n\n";
  if (w.size() < 4 || (w.size() < 5 && payload.empty())) return usage;
  const std::string list = list_name(w[3]);
  config::CrtListLine line;
  if (w.size() >= 5) {
    line.path = w[4];
  } else {
    const config::CrtList parsed = config::parse_crt_list(payload, "(payload)", config::BindTls{});
    if (!parsed.ok()) return "Can't edit the crt-list: " + parsed.errors[0].str() + "\n\n";
    if (parsed.lines.size() != 1)
      return "Can't edit the crt-list: the payload must hold one crt-list line\n\n";
    line = parsed.lines[0];
  }
  if (!lists().count(list))
    return "Can't edit the crt-list: crt-list '" + list + "' does not exist!\n\n";
  if (!net::PemStore::certs().contains(line.path))
    return "Can't edit the crt-list: certificate '" + line.path + "' does not exist!\n\n";
  int next_line = 0;
  for (const net::TlsCertEntry& e : entries_of(list)) next_line = std::max(next_line, e.line);
  ++next_line;
  std::string err;
  const int n = rebuild_tls_binds(
      [&](net::TlsBindState& b, net::TlsBindSettings& s) {
        size_t last = s.certs.size();
        for (size_t i = 0; i < s.certs.size(); ++i)
          if (s.certs[i].list == list) last = i;
        if (last == s.certs.size()) return false;
        net::TlsCertEntry e{line.path, line.filters, nullptr, list, next_line, line.options};
        if (!line.options.empty()) {
          if (!b.origin().line_settings) return false;
          auto own = b.origin().line_settings(line.options, &err);
          if (!own) return false;
          e.own = std::make_shared<const net::TlsBindSettings>(std::move(*own));
        }
        s.certs.insert(s.certs.begin() + long(last) + 1, std::move(e));
        return true;
      },
      &err);
  if (n <= 0) return "Can't edit the crt-list: " + err + "\n\n";
  return "Inserting certificate '" + line.path + "' in crt-list '" + list + "'.\nSuccess!\n\n";
}

std::string del(const std::vector<std::string>& w) {
  if (w.size() < 5) return "'del ssl crtlist' expects a filename and a certificate name\n\n";
  const std::string list = list_name(w[3]);
  std::string cert = w[4];
  int line = 0;
  if (const size_t colon = cert.rfind(':'); colon != std::string::npos) {
    line = std::atoi(cert.c_str() + colon + 1);
    cert.resize(colon);
  }
  if (!lists().count(list))
    return "Can't delete the entry: crt-list '" + list + "' does not exist!\n\n";
  std::vector<int> lines;
  for (const net::TlsCertEntry& e : entries_of(list))
    if (e.path == cert && (!line || e.line == line)) lines.push_back(e.line);
  if (lines.empty())
    return "Can't delete the entry: certificate '" + cert + "' does not exist!\n\n";
  if (lines.size() > 1) {
    std::string which;
    for (int l : lines) which += (which.empty() ? "" : ", ") + std::to_string(l);
    return "Can't delete the entry: found the certificate '" + cert +
           "' in several entries, please specify a line number preceded by colons (" + which +
           ")!\n\n";
  }
  std::string defaults;
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all()) {
    const auto& certs = b->settings().certs;
    // Under strict-sni a bind line has no default certificate to lose.
    if (!certs.empty() && certs[0].list == list && certs[0].line == lines[0] &&
        !b->settings().strict_sni)
      defaults += "\t- " + b->origin().where + "\n";
  }
  if (!defaults.empty())
    return "Can't delete the entry: certificate '" + cert +
           "' cannot be deleted, it is used as default certificate by the following "
           "frontends:\n" +
           defaults + "\n\n";
  std::string err;
  const int n = rebuild_tls_binds(
      [&](net::TlsBindState&, net::TlsBindSettings& s) {
        for (size_t i = 0; i < s.certs.size(); ++i)
          if (s.certs[i].list == list && s.certs[i].line == lines[0]) {
            s.certs.erase(s.certs.begin() + long(i));
            return true;
          }
        return false;
      },
      &err);
  if (n < 0) return "Can't delete the entry: " + err + "\n\n";
  return "Entry '" + cert + "' deleted in crtlist '" + list + "'!\n\n";
}

}  // namespace

std::string cli_crt_list_command(const std::vector<std::string>& w, const std::string& payload,
                                 bool admin) {
  if (w.size() < 3 || w[1] != "ssl" || w[2] != "crt-list") return "";
  if (w[0] == "show") return show(w);
  if (w[0] != "add" && w[0] != "del") return "";
  if (!admin) return "Permission denied\n\n";
  return w[0] == "add" ? add(w, payload) : del(w);
}

}  // namespace hearth::admin
