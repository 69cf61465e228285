// show/new/set/commit/abort/del ssl cert: the certificate store
// (net/cert_store.h) changed without a restart. "set" opens a transaction
// (one at a time, as in HAProxy) holding the new PEM; "commit" stores it and
// rebuilds the contexts of every bind line that loaded that file and of
// every server whose client certificate it is, and publishes them together:
// new handshakes get the new certificate, connections already established
// keep theirs.
#include <optional>

#include "admin/ssl_commands.h"
#include "net/cert_info.h"
#include "net/cert_store.h"
#include "net/tls_pem.h"

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

// Returns: true if bind line `b` loaded certificate `name`.
bool loaded_by(net::TlsBindState& b, const std::string& name) {
  for (const auto& l : b.current()->loaded())
    if (l.path == name) return true;
  return false;
}

// Returns: true if a bind line loaded certificate `name` or a server's
// client side uses it.
bool in_use(const std::string& name) {
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all())
    if (loaded_by(*b, name)) return true;
  for (net::TlsClientState* c : net::TlsBindRegistry::instance().clients())
    if (c->settings().crt == name) return true;
  return false;
}

// Returns: the answer to "show ssl cert NAME" ("*NAME": the transaction's).
std::string show_one(const std::string& name) {
  const std::string none =
      "Can't display the certificate: Not found or the certificate is a bundle!\n\n";
  const CertTransaction& t = transaction();
  net::TlsServerContext::Loaded stored;
  const net::TlsServerContext::Loaded* found = &stored;
  std::string status;
  if (name[0] == '*') {
    if (t.path.empty() || name.substr(1) != t.path) return none;
    found = &t.loaded;
    status = "Unused";
  } else {
    const std::optional<std::string> pem = net::PemStore::certs().find(name);
    if (!pem) return none;
    if (pem->empty()) return "Filename: " + name + "\nStatus: Empty\nOCSP Response Key: \n\n";
    std::string err;
    if (!stored.read(name, *pem, &err)) return none;
    status = in_use(name) ? "Used" : "Unused";
  }
  // HAProxy's last field: Hearth staples no OCSP response, so it is empty.
  std::string out = "Filename: " + name + "\nStatus: " + status + "\n" +
                    net::describe_certificate(found->cert, found->chain) +
                    "OCSP Response Key: \n\n";
  stored.clear();
  return out;
}

std::string show(const std::vector<std::string>& w) {
  if (w.size() > 3) return show_one(w[3]);
  std::string out;
  if (!transaction().path.empty()) out += "# transaction\n*" + transaction().path + "\n";
  out += "# filename\n";
  for (const std::string& p : net::PemStore::certs().paths()) out += p + "\n";
  return out + "\n";
}

// "new ssl cert NAME": an empty entry, filled by set and commit.
std::string new_cert(const std::vector<std::string>& w) {
  if (w.size() < 4) return "'new ssl cert' expects a filename\n\n";
  if (!net::PemStore::certs().create(w[3])) return "Certificate '" + w[3] + "' already exists!\n\n";
  return "New empty certificate store '" + w[3] + "'!\n\n";
}

// "del ssl cert NAME": an entry nothing uses.
std::string del_cert(const std::vector<std::string>& w) {
  if (w.size() < 4) return "'del ssl cert' expects a certificate name\n\n";
  const std::string& name = w[3];
  const std::string cant = "Can't remove the certificate: ";
  if (transaction().path == name)
    return cant + "ongoing transaction for the certificate '" + name + "'\n\n";
  if (!net::PemStore::certs().contains(name))
    return cant + "certificate '" + name + "' doesn't exist!\n\n\n";
  if (in_use(name)) return cant + "certificate '" + name + "' in use, can't be deleted!\n\n\n";
  net::PemStore::certs().set(name, std::nullopt);
  return "Certificate '" + name + "' deleted!\n\n";
}

// Returns: `text` without its private key blocks.
std::string without_keys(const std::string& text) {
  std::string out;
  size_t at = 0;
  for (;;) {
    const size_t begin = text.find("-----BEGIN ", at);
    if (begin == std::string::npos) break;
    const size_t eol = text.find('\n', begin);
    const size_t line_end = eol == std::string::npos ? text.size() : eol;
    const size_t tail = line_end > begin && text[line_end - 1] == '\r' ? line_end - 1 : line_end;
    const bool key = tail >= begin + 16 && text.compare(tail - 16, 16, "PRIVATE KEY-----") == 0;
    const size_t end = text.find("-----END ", begin);
    size_t stop = end == std::string::npos ? text.size() : text.find('\n', end);
    stop = stop == std::string::npos ? text.size() : stop + 1;
    if (!key) out.append(text, begin, stop - begin);
    at = stop;
  }
  return out;
}

// Returns: the private key blocks of `text`.
std::string keys_of(const std::string& text) {
  std::string out;
  size_t at = 0;
  while ((at = text.find("PRIVATE KEY-----", at)) != std::string::npos) {
    const size_t begin = text.rfind("-----BEGIN ", at);
    const size_t end = text.find("-----END ", at);
    if (begin == std::string::npos || end == std::string::npos) break;
    size_t stop = text.find('\n', end);
    stop = stop == std::string::npos ? text.size() : stop + 1;
    out.append(text, begin, stop - begin);
    at = stop;
  }
  return out;
}

// "set ssl cert NAME <<": the payload replaces the certificate (and its
// chain; its key too when it holds one, else the current key stays).
// "set ssl cert NAME.key <<": it replaces the key only, as HAProxy; with
// ssl-load-extra-del-ext, NAME may stand for NAME.crt. The key and the
// certificate must match at commit.
std::string set(const std::vector<std::string>& w, const std::string& payload) {
  if (w.size() < 4 || payload.empty())
    return "'set ssl cert expects a filename and a certificate as a payload\n\n";
  std::string name = w[3];
  const std::string key_ext = ".key";
  const bool key_part = name.size() > key_ext.size() &&
                        name.compare(name.size() - key_ext.size(), key_ext.size(), key_ext) == 0;
  if (key_part) name.resize(name.size() - key_ext.size());
  const bool del_ext = net::extra_files().del_ext;
  CertTransaction& t = transaction();
  net::PemStore& store = net::PemStore::certs();
  if (!t.path.empty() && t.path != name) {
    if (key_part && del_ext && t.path == name + ".crt")
      name += ".crt";
    else
      return other_transaction(t.path, name, false, "Can't update " + name + "!\n\n");
  } else if (t.path.empty() && key_part && del_ext && !store.contains(name)) {
    name += ".crt";
  }
  const std::string cant = "Can't update " + name + "!\n\n";
  if (!store.contains(name))
    return "Can't replace a certificate which is not referenced by the configuration!\n" + cant;
  const std::string base = t.path.empty() ? store.find(name).value_or("") : t.pem;
  std::string text;
  if (key_part) {
    if (keys_of(payload).empty())
      return "unable to load the private key from the payload.\nCan't load the payload\n" + cant;
    text = without_keys(base) + keys_of(payload);
  } else {
    text = keys_of(payload).empty() ? payload + keys_of(base) : payload;
  }
  net::TlsServerContext::Loaded fresh;
  std::string err;
  if (!fresh.read_cert(name, text, &err))
    return "unable to load certificate from file '" + name + "': " + err +
           ".\nCan't load the payload\n" + cant;
  const bool update = !t.path.empty();
  t.loaded.clear();
  t.loaded = fresh;
  t.path = name;
  t.pem = text;
  return std::string("Transaction ") + (update ? "updated" : "created") + " for certificate " +
         name + "!\n\n";
}

std::string commit(const std::vector<std::string>& w) {
  if (w.size() < 4) return "'commit ssl cert expects a filename\n\n";
  const std::string& name = w[3];
  CertTransaction& t = transaction();
  const std::string cant = "Can't commit " + name + "!\n\n";
  if (t.path.empty()) return "No ongoing transaction! !\n" + cant;
  if (t.path != name) return other_transaction(t.path, name, false, cant);
  std::string err;
  const int n = commit_tls_file(
      net::PemStore::certs(), name, t.pem, [&](net::TlsBindState& b) { return loaded_by(b, name); },
      [&](const net::TlsClientSettings& s) { return s.crt == name; }, &err);
  if (n < 0) return "Committing " + name + "\n" + err + "\n" + cant;
  t.loaded.clear();
  t.path.clear();
  t.pem.clear();
  return "Committing " + name + std::string(size_t(n), '.') + "\nSuccess!\n\n";
}

std::string abort_tx(const std::vector<std::string>& w) {
  if (w.size() < 4) return "'abort ssl cert' expects a filename\n\n";
  CertTransaction& t = transaction();
  if (t.path.empty()) return "No ongoing transaction!\n\n";
  if (t.path != w[3]) return other_transaction(t.path, w[3], true, "");
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

std::string other_transaction(const std::string& ongoing, const std::string& name, bool abort,
                              const std::string& cant) {
  return "The ongoing transaction is about '" + ongoing + "' but you are trying to " +
         (abort ? "abort a transaction for '" : "set '") + name + "'\n" + (abort ? "\n" : cant);
}

int commit_tls_file(net::PemStore& store, const std::string& name, const std::string& text,
                    const std::function<bool(net::TlsBindState&)>& bind_pick,
                    const std::function<bool(const net::TlsClientSettings&)>& server_pick,
                    std::string* err) {
  const std::optional<std::string> before = store.find(name);
  store.set(name, text);
  // The servers' client sides first, published only once every bind line's
  // context is built too.
  struct NextClient {
    net::TlsClientState* client;
    std::shared_ptr<net::TlsClientContext> ctx;
  };
  std::vector<NextClient> clients;
  for (net::TlsClientState* c : net::TlsBindRegistry::instance().clients()) {
    if (!server_pick(c->settings())) continue;
    std::shared_ptr<net::TlsClientContext> ctx = net::TlsClientContext::build(c->settings(), err);
    if (!ctx) {
      store.set(name, before);
      return -1;
    }
    clients.push_back({c, std::move(ctx)});
  }
  const int n = rebuild_tls_binds(
      [&](net::TlsBindState& b, net::TlsBindSettings&) { return bind_pick(b); }, err);
  if (n < 0) {
    store.set(name, before);
    return -1;
  }
  for (NextClient& c : clients) c.client->publish(std::move(c.ctx));
  return n + int(clients.size());
}

std::string cli_ssl_cert_command(const std::vector<std::string>& w, const std::string& payload,
                                 bool admin) {
  if (w.size() < 3 || w[1] != "ssl" || w[2] != "cert") return "";
  if (w[0] == "show") return show(w);
  if (w[0] != "set" && w[0] != "commit" && w[0] != "abort" && w[0] != "new" && w[0] != "del")
    return "";
  if (!admin) return "Permission denied\n\n";
  if (w[0] == "new") return new_cert(w);
  if (w[0] == "del") return del_cert(w);
  if (w[0] == "set") return set(w, payload);
  if (w[0] == "commit") return commit(w);
  return abort_tx(w);
}

}  // namespace hearth::admin
