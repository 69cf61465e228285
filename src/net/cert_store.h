#pragma once
// The PEM files the process loaded, by path, as HAProxy's stores: the
// certificates (certs(): bind lines and their directories and crt-lists,
// servers' client certificates), the CA files (ca_files(): ca-file,
// ca-verify-file) and the CRL files (crl_files()). An entry holds the text
// last loaded or committed (for a certificate: certificate, chain and key, a
// key read from the ".key" file beside it appended); "new ssl cert|ca-file|
// crl-file" makes an empty one. Loading reads the store before the file
// system, so what was committed through the runtime API is what a context
// rebuilt later, a crt-list line added or a server added get. Entries stay
// when nothing uses them any more; "del ssl ..." removes them. Once the
// configuration is applied, the CA and CRL stores are frozen: a file they do
// not hold is not read from disk any more (as HAProxy). A reload reads the
// files again. Thread-safe.
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hearth::net {

// Which files beside a certificate are loaded (ssl-load-extra-files,
// ssl-load-extra-del-ext). Set once, before any certificate is loaded.
struct ExtraFiles {
  bool key = true;       // FILE.key when FILE holds no key
  bool bundle = true;    // FILE.rsa, FILE.ecdsa, FILE.dsa when FILE does not exist
  bool del_ext = false;  // the key of foo.crt is foo.key (not foo.crt.key)
};
void set_extra_files(const ExtraFiles& e);
const ExtraFiles& extra_files();
// Returns: the key file of certificate `path` under extra_files() ("": none).
std::string key_file_of(const std::string& path);
// The extensions of a multi-cert bundle's files, in load order.
inline constexpr const char* kBundleExtensions[] = {".rsa", ".ecdsa", ".dsa"};

class PemStore {
 public:
  // what: the files' kind, for messages ("CA file"); with_key: a file
  // without a private key gets its ".key" companion's.
  explicit PemStore(const char* what = "certificate file", bool with_key = true)
      : what_(what), with_key_(with_key) {}
  static PemStore& certs();
  static PemStore& ca_files();
  static PemStore& crl_files();
  // From now on, pem() of a path the store does not hold fails.
  void freeze() { frozen_ = true; }

  // Returns: the PEM text of `path`: the store's, else the file's (and its
  // ".key" companion's when the file holds no key; *from_file is then set).
  // nullopt with *err when the file cannot be read (or, frozen, is not held)
  // or the entry is empty.
  std::optional<std::string> pem(const std::string& path, std::string* err, bool* from_file);
  // Stores `text` for `path` unless it has an entry (a file read and found good).
  void keep(const std::string& path, const std::string& text);
  // Returns: the stored text of `path` ("" for an empty entry), or nullopt.
  std::optional<std::string> find(const std::string& path) const;
  bool contains(const std::string& path) const { return find(path).has_value(); }
  // Returns: every path, in name order.
  std::vector<std::string> paths() const;
  // Adds an empty entry. Returns: false if `path` exists.
  bool create(const std::string& path);
  // Stores `text` for `path` (nullopt: forgets it).
  void set(const std::string& path, std::optional<std::string> text);

 private:
  const char* const what_;
  const bool with_key_;
  std::atomic<bool> frozen_{false};
  mutable std::mutex mu_;
  std::map<std::string, std::string> pems_;
};

}  // namespace hearth::net
