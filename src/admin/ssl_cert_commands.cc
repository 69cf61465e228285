// show/set/commit/abort ssl cert: certificates replaced without a restart.
// "set" opens a transaction (one at a time, as in HAProxy) holding the new
// PEM; "commit" rebuilds the contexts of every bind line that loaded that
// file and publishes them together: new handshakes get the new certificate,
// connections already established keep theirs.
#include <set>

#include "admin/ssl_commands.h"
#include "net/cert_info.h"

namespace hearth::admin {
namespace {

// The certificate being replaced ("set ssl cert" until commit or abort).
struct CertTransaction {
  std::string path;  // "": none
  std::string pem;
  net::TlsServerContext::Loaded loaded;
  ~CertTransaction() { loaded.clear(); }
};
CertTransaction& transaction() {
  static CertTransaction t;
  return t;
}

// Returns: the certificate files every bind line loaded, sorted.
std::set<std::string> cert_paths() {
  std::set<std::string> out;
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all())
    for (const auto& l : b->current()->loaded()) out.insert(l.path);
  return out;
}

// Returns: the answer to "show ssl cert NAME" ("*NAME": the transaction's).
std::string show_one(const std::string& name) {
  const std::string none =
      "Can't display the certificate: Not found or the certificate is a bundle!\n\n";
  const CertTransaction& t = transaction();
  const net::TlsServerContext::Loaded* found = nullptr;
  std::shared_ptr<net::TlsServerContext> keep;
  if (name[0] == '*') {
    if (t.path.empty() || name.substr(1) != t.path) return none;
    found = &t.loaded;
  } else {
    for (net::TlsBindState* b : net::TlsBindRegistry::instance().all()) {
      auto ctx = b->current();
      for (const auto& l : ctx->loaded())
        if (!found && l.path == name) found = &l, keep = ctx;
    }
    if (!found) return none;
  }
  // HAProxy's last field: Hearth staples no OCSP response, so it is empty.
  return "Filename: " + name + "\nStatus: " + (name[0] == '*' ? "Unused" : "Used") + "\n" +
         net::describe_certificate(found->cert, found->chain) + "OCSP Response Key: \n\n";
}

std::string show(const std::vector<std::string>& w) {
  if (w.size() > 3) return show_one(w[3]);
  std::string out;
  if (!transaction().path.empty()) out += "# transaction\n*" + transaction().path + "\n";
  out += "# filename\n";
  for (const std::string& p : cert_paths()) out += p + "\n";
  return out + "\n";
}

std::string set(const std::vector<std::string>& w, const std::string& payload) {
  if (w.size() < 4 || payload.empty())
    return "'set ssl cert expects a filename and a certificate as a payload\n\n";
  const std::string& name = w[3];
  CertTransaction& t = transaction();
  const std::string cant = "Can't update " + name + "!\n\n";
  if (!t.path.empty() && t.path != name)
    return "The ongoing transaction is about '" + t.path + "' but you are trying to set '" + name +
           "'\n" + cant;
  if (!cert_paths().count(name))
    return "Can't replace a certificate which is not referenced by the configuration!\n" + cant;
  net::TlsServerContext::Loaded fresh;
  std::string err;
  if (!fresh.read(name, payload, &err))
    return "unable to load certificate from file '" + name + "': " + err +
           ".\nCan't load the payload\n" + cant;
  const bool update = !t.path.empty();
  t.loaded.clear();
  t.loaded = fresh;
  t.path = name;
  t.pem = payload;
  return std::string("Transaction ") + (update ? "updated" : "created") + " for certificate " +
         name + "!\n\n";
}

std::string commit(const std::vector<std::string>& w) {
  if (w.size() < 4) return "'commit ssl cert expects a filename\n\n";
  const std::string& name = w[3];
  CertTransaction& t = transaction();
  const std::string cant = "Can't commit " + name + "!\n\n";
  if (t.path.empty()) return "No ongoing transaction! !\n" + cant;
  if (t.path != name)
    return "The ongoing transaction is about '" + t.path + "' but you are trying to set '" + name +
           "'\n" + cant;
  net::TlsBindRegistry& reg = net::TlsBindRegistry::instance();
  const std::optional<std::string> before = reg.replaced_pem(name);
  reg.set_replaced_pem(name, t.pem);
  std::string err;
  const int n = rebuild_tls_binds(
      [&](net::TlsBindState& b, net::TlsBindSettings&) {
        for (const auto& l : b.current()->loaded())
          if (l.path == name) return true;
        return false;
      },
      &err);
  if (n < 0) {
    reg.set_replaced_pem(name, before);
    return "Committing " + name + "\n" + err + "\n" + cant;
  }
  t.loaded.clear();
  t.path.clear();
  t.pem.clear();
  return "Committing " + name + std::string(size_t(n), '.') + "\nSuccess!\n\n";
}

std::string abort_tx(const std::vector<std::string>& w) {
  if (w.size() < 4) return "'abort ssl cert' expects a filename\n\n";
  CertTransaction& t = transaction();
  if (t.path.empty()) return "No ongoing transaction!\n\n";
  if (t.path != w[3])
    return "The ongoing transaction is about '" + t.path +
           "' but you are trying to abort a transaction for '" + w[3] + "'\n\n";
  const std::string name = t.path;
  t.loaded.clear();
  t.path.clear();
  t.pem.clear();
  return "Transaction aborted for certificate '" + name + "'!\n\n";
}

}  // namespace

int rebuild_tls_binds(const std::function<bool(net::TlsBindState&, net::TlsBindSettings&)>& pick,
                      std::string* err) {
  struct Next {
    net::TlsBindState* bind;
    net::TlsBindSettings settings;
    std::shared_ptr<net::TlsServerContext> ctx;
  };
  std::vector<Next> next;
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all()) {
    net::TlsBindSettings s = b->settings();
    if (!pick(*b, s)) continue;
    auto ctx = b->prepare(s, err);
    if (!ctx) {
      if (!b->origin().where.empty()) *err = b->origin().where + ": " + *err;
      return -1;
    }
    next.push_back({b, std::move(s), std::move(ctx)});
  }
  for (Next& n : next) n.bind->publish(std::move(n.ctx), std::move(n.settings));
  return int(next.size());
}

std::string cli_ssl_cert_command(const std::vector<std::string>& w, const std::string& payload,
                                 bool admin) {
  if (w.size() < 3 || w[1] != "ssl" || w[2] != "cert") return "";
  if (w[0] == "show") return show(w);
  if (w[0] != "set" && w[0] != "commit" && w[0] != "abort") return "";
  if (!admin) return "Permission denied\n\n";
  if (w[0] == "set") return set(w, payload);
  if (w[0] == "commit") return commit(w);
  return abort_tx(w);
}

}  // namespace hearth::admin
