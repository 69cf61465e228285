// show/new/set/commit/abort/del ssl ca-file and ssl crl-file: the CA and CRL
// stores (net/cert_store.h) changed without a restart. As with certificates,
// "set" opens a transaction (one per kind at a time, as in HAProxy) holding
// the new PEM; "commit" stores it, rebuilds the contexts of every bind line
// (a crt-list line's own settings included) and every server that names the
// file, and publishes them together: new handshakes verify with the new CAs
// or revocation lists, established connections keep theirs.
#include <optional>

#include "admin/ssl_commands.h"
#include "net/cert_info.h"
#include "net/cert_store.h"
#include "net/tls_pem.h"

namespace hearth::admin {
namespace {

// What differs between the two families of commands.
struct Kind {
  bool ca;            // ca-file (certificates), else crl-file (revocation lists)
  const char* word;   // "ca-file"
  const char* label;  // "CA" (messages)
  net::PemStore& store() const {
    return ca ? net::PemStore::ca_files() : net::PemStore::crl_files();
  }
  // Returns: how many objects of this kind `o` holds.
  int count(const net::PemObjects& o) const {
    return ca ? sk_X509_num(o.certs) : sk_X509_CRL_num(o.crls);
  }
};
const Kind kCa{true, "ca-file", "CA"};
const Kind kCrl{false, "crl-file", "CRL"};

// The file being replaced ("set ssl ca-file|crl-file" until commit or abort).
struct Transaction {
  std::string path;  // "": none
  std::string pem;
};
Transaction& transaction(const Kind& k) {
  static Transaction ca, crl;
  return k.ca ? ca : crl;
}

// Returns: true if settings `s` of a bind line (or of a crt-list line) name `path`.
bool names(const Kind& k, const net::TlsBindSettings& s, const std::string& path) {
  return k.ca ? s.ca_file == path || s.ca_verify_file == path : s.crl_file == path;
}

bool bind_uses(const Kind& k, const net::TlsBindSettings& s, const std::string& path) {
  if (names(k, s, path)) return true;
  for (const net::TlsCertEntry& e : s.certs)
    if (e.own && names(k, *e.own, path)) return true;
  return false;
}

bool server_uses(const Kind& k, const net::TlsClientSettings& s, const std::string& path) {
  return k.ca ? s.ca_file == path : s.crl_file == path;
}

bool in_use(const Kind& k, const std::string& path) {
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all())
    if (bind_uses(k, b->settings(), path)) return true;
  for (net::TlsClientState* c : net::TlsBindRegistry::instance().clients())
    if (server_uses(k, c->settings(), path)) return true;
  return false;
}

std::string list(const Kind& k) {
  auto line = [&](const std::string& name, const std::string& text) {
    if (!k.ca) return name + "\n";
    net::PemObjects o;
    net::parse_pem_objects(text, &o);  // an empty entry: none
    return name + " - " + std::to_string(k.count(o)) + " certificate(s)\n";
  };
  std::string out;
  const Transaction& t = transaction(k);
  if (!t.path.empty()) out += "# transaction\n" + line("*" + t.path, t.pem);
  out += "# filename\n";
  for (const std::string& p : k.store().paths()) out += line(p, k.store().find(p).value_or(""));
  return out + "\n";
}

// "show ssl ca-file|crl-file [*]NAME[:N]": the file's objects, or its Nth.
std::string show_one(const Kind& k, std::string name) {
  int index = 0;
  if (const size_t colon = name.rfind(':');
      colon != std::string::npos && colon + 1 < name.size() &&
      name.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    index = std::atoi(name.c_str() + colon + 1);
    name.resize(colon);
  }
  const Transaction& t = transaction(k);
  const bool pending = name[0] == '*';
  std::optional<std::string> text;
  if (pending) {
    if (!t.path.empty() && name.substr(1) == t.path) text = t.pem;
  } else {
    text = k.store().find(name);
  }
  if (!text) return std::string("Can't display the ") + k.label + " file : Not found!\n\n";
  if (text->empty())  // made by "new" and never committed
    return k.ca ? "\n" : "Filename: " + name + "\nStatus: Empty\n\n";
  net::PemObjects o;
  net::parse_pem_objects(*text, &o);
  const int n = k.count(o);
  if (index > n) return "\n";
  const std::string status = pending ? "Unused" : in_use(k, name) ? "Used" : "Unused";
  std::string out = "Filename: " + name + "\nStatus: " + status + "\n";
  for (int i = 1; i <= n; ++i) {
    if (index && i != index) continue;
    out += " \n";
    if (k.ca) {
      out += "Certificate #" + std::to_string(i) + ":\n" +
             net::describe_certificate(sk_X509_value(o.certs, i - 1), nullptr);
    } else {
      out += "Certificate Revocation List #" + std::to_string(i) + ":\n" +
             net::describe_crl(sk_X509_CRL_value(o.crls, i - 1));
    }
  }
  return out + "\n";
}

std::string new_file(const Kind& k, const std::vector<std::string>& w) {
  if (w.size() < 4) return std::string("'new ssl ") + k.word + "' expects a filename\n\n";
  if (!k.store().create(w[3]))
    return std::string(k.label) + " file '" + w[3] + "' already exists!\n\n";
  return std::string("New ") + k.label + " file created '" + w[3] + "'!\n\n";
}

std::string set(const Kind& k, const std::vector<std::string>& w, const std::string& payload) {
  if (w.size() < 4 || payload.empty())
    return std::string("'set ssl ") + k.word + " expects a filename and " +
           (k.ca ? "CAs" : "CRLs") + " as a payload\n\n";
  const std::string& name = w[3];
  Transaction& t = transaction(k);
  const std::string cant = "Can't update " + name + "!\n\n";
  if (!t.path.empty() && t.path != name) return other_transaction(t.path, name, false, cant);
  if (!k.store().contains(name))
    return std::string("Can't replace a ") + k.label +
           " file which is not referenced by the configuration!\n" + cant;
  net::PemObjects o;
  if (!net::parse_pem_objects(payload, &o) || k.count(o) == 0) return "Invalid payload\n" + cant;
  const bool update = !t.path.empty();
  t.path = name;
  t.pem = payload;
  return std::string("transaction ") + (update ? "updated" : "created") + " for " + k.label + " " +
         name + "!\n\n";
}

std::string commit(const Kind& k, const std::vector<std::string>& w) {
  if (w.size() < 4) return std::string("'commit ssl ") + k.word + " expects a filename\n\n";
  const std::string& name = w[3];
  Transaction& t = transaction(k);
  const std::string cant = "Can't commit " + name + "!\n\n";
  if (t.path.empty()) return "No ongoing transaction! !\n" + cant;
  if (t.path != name) return other_transaction(t.path, name, false, cant);
  std::string err;
  const int n = commit_tls_file(
      k.store(), name, t.pem,
      [&](net::TlsBindState& b) { return bind_uses(k, b.settings(), name); },
      [&](const net::TlsClientSettings& s) { return server_uses(k, s, name); }, &err);
  if (n < 0) return "Committing " + name + "\n" + err + "\n" + cant;
  t.path.clear();
  t.pem.clear();
  return "Committing " + name + std::string(size_t(n), '.') + "\nSuccess!\n\n";
}

std::string abort_tx(const Kind& k, const std::vector<std::string>& w) {
  if (w.size() < 4) return std::string("'abort ssl ") + k.word + "' expects a filename\n\n";
  Transaction& t = transaction(k);
  if (t.path.empty()) return "No ongoing transaction!\n\n";
  if (t.path != w[3]) return other_transaction(t.path, w[3], true, "");
  const std::string name = t.path;
  t.path.clear();
  t.pem.clear();
  return "Transaction aborted for certificate '" + name + "'!\n\n";
}

std::string del(const Kind& k, const std::vector<std::string>& w) {
  if (w.size() < 4)
    return std::string("'del ssl ") + k.word + "' expects a " + k.label + " file name\n\n";
  const std::string& name = w[3];
  const std::string cant = std::string("Can't remove the ") + k.label + " file: ";
  if (transaction(k).path == name)
    return cant + "ongoing transaction for the " + k.label + " file '" + name + "'\n\n";
  if (!k.store().contains(name))
    return cant + k.label + " file '" + name + "' doesn't exist!\n\n\n";
  if (in_use(k, name))
    return cant + k.label + " file '" + name + "' in use, can't be deleted!\n\n\n";
  k.store().set(name, std::nullopt);
  return std::string(k.label) + " file '" + name + "' deleted!\n\n";
}

}  // namespace

std::string cli_ca_file_command(const std::vector<std::string>& w, const std::string& payload,
                                bool admin) {
  if (w.size() < 3 || w[1] != "ssl" || (w[2] != "ca-file" && w[2] != "crl-file")) return "";
  const Kind& k = w[2] == "ca-file" ? kCa : kCrl;
  if (w[0] == "show") return w.size() > 3 ? show_one(k, w[3]) : list(k);
  if (w[0] != "new" && w[0] != "set" && w[0] != "commit" && w[0] != "abort" && w[0] != "del")
    return "";
  if (!admin) return "Permission denied\n\n";
  if (w[0] == "new") return new_file(k, w);
  if (w[0] == "set") return set(k, w, payload);
  if (w[0] == "commit") return commit(k, w);
  if (w[0] == "abort") return abort_tx(k, w);
  return del(k, w);
}

}  // namespace hearth::admin
