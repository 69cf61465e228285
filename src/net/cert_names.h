#pragma once
// Certificate names for SNI: which certificate answers a client's server
// name. Pure code (no OpenSSL), unit-tested on its own.
#include <string>
#include <string_view>
#include <vector>

namespace hearth::net {

// Returns: `name` in lower case, without a trailing dot ("Www.Example.COM."
// -> "www.example.com"): the form names are stored and looked up in.
std::string normalize_server_name(std::string_view name);

// Returns: the host name of a ClientHello's server_name extension body
// (RFC 6066 section 3: a list of typed names), or "" if it has none or is
// malformed. The view points into `ext`.
std::string_view sni_from_extension(const unsigned char* ext, size_t len);

// Maps server names to the index of the certificate group that serves them.
// Exact names win over wildcards; among equals, the first added wins (the
// first certificate of a bind is its default). A wildcard "*.example.com"
// stands for exactly one non-empty leftmost label: it covers a.example.com,
// neither example.com nor a.b.example.com. A group's exclusions ("!name" SNI
// filters of a crt-list line) keep its wildcards from matching those names.
class CertNameIndex {
 public:
  // Adds a certificate name (exact or "*.domain") for group `index`.
  void add(std::string_view name, int index);
  // Keeps the wildcards of group `index` from matching `name`.
  void exclude(std::string_view name, int index);
  // Returns: the group for `host` (any case, trailing dot allowed), or -1.
  int find(std::string_view host) const;
  bool empty() const { return exact_.empty() && wild_.empty(); }

 private:
  struct Entry {
    std::string name;  // exact name, or the domain after "*."; or an excluded name
    int index;
  };
  // Returns: true if group `index` excludes `host` (normalized).
  bool excluded(const std::string& host, int index) const;
  std::vector<Entry> exact_;
  std::vector<Entry> wild_;  // several groups may claim one domain: tried in order
  std::vector<Entry> excluded_;
};

}  // namespace hearth::net
