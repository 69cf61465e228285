#pragma once
// Certificate names for SNI: which certificate answers a client's server
// name. Pure code (no OpenSSL), unit-tested on its own.
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hearth::net {

// Returns: `name` in lower case, without a trailing dot ("Www.Example.COM."
// -> "www.example.com"): the form names are stored and looked up in.
std::string normalize_server_name(std::string_view name);

// Returns: the host name of a ClientHello's server_name extension body
// (RFC 6066 section 3: a list of typed names), or "" if it has none or is
// malformed. The view points into `ext`.
std::string_view sni_from_extension(const unsigned char* ext, size_t len);

// Reads a ClientHello's signature_algorithms extension body (a 2-byte
// length, then 2-byte schemes) for the signatures a certificate could make
// for this client, by the second byte of each scheme as TLS 1.2 pairs
// hash and signature: 1 is RSA (PKCS#1), 3 is ECDSA. Sets *rsa and *ecdsa.
// Returns: false if the body is too short to hold its length.
bool sigalgs_from_extension(const unsigned char* ext, size_t len, bool* rsa, bool* ecdsa);

// Maps server names to the certificate groups that serve them. Exact names
// come before wildcards; among groups of one name, the order they were added
// (the first certificate of a bind is its default). A wildcard
// "*.example.com" stands for exactly one non-empty leftmost label: it covers
// a.example.com, neither example.com nor a.b.example.com. A group's
// exclusions ("!name" SNI filters of a crt-list line) keep its wildcards from
// matching those names.
class CertNameIndex {
 public:
  // Adds a certificate name (exact or "*.domain") for group `index`.
  void add(std::string_view name, int index);
  // Keeps the wildcards of group `index` from matching `name`.
  void exclude(std::string_view name, int index);
  // Sets *exact to the groups naming `host` exactly (any case, trailing dot
  // allowed) and *wild to those whose wildcard covers it, each in the order
  // added, without the groups that exclude it.
  void candidates(std::string_view host, std::vector<int>* exact, std::vector<int>* wild) const;
  // Returns: the first group for `host`, exact names first, or -1.
  int find(std::string_view host) const;
  bool empty() const { return exact_.empty() && wild_.empty(); }

 private:
  // Returns: true if group `index` excludes `host` (normalized).
  bool excluded(const std::string& host, int index) const;
  std::unordered_map<std::string, std::vector<int>> exact_;
  std::unordered_map<std::string, std::vector<int>> wild_;  // the domain after "*."
  std::vector<std::pair<std::string, int>> excluded_;
};

}  // namespace hearth::net
