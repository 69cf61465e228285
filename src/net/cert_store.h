#pragma once
// Every certificate file the process loaded, by path, as HAProxy's
// certificate store: bind lines and their directories and crt-lists, and
// servers' client certificates (`crt`). An entry holds the PEM text last
// loaded or committed (certificate, chain, key: a key read from the ".key"
// file beside it is appended); "new ssl cert" makes an empty one. Loading
// reads the store before the file system, so a certificate committed through
// the runtime API is what a context rebuilt later, a crt-list line added or a
// server added get. Entries stay when nothing uses them any more; "del ssl
// cert" removes them. A reload reads the files again. Thread-safe.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hearth::net {

class CertStore {
 public:
  static CertStore& instance();

  // Returns: the PEM text of `path`: the store's, else the file's (and its
  // ".key" companion's when the file holds no key; *from_file is then set).
  // nullopt with *err when the file cannot be read or the entry is empty.
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
  mutable std::mutex mu_;
  std::map<std::string, std::string> pems_;
};

}  // namespace hearth::net
