#pragma once
// Helpers of the TLS integration tests: openssl s_client against a local
// port, and what its output says.
#include <cstdio>
#include <string>
#include <vector>

#include "support/command.h"

namespace hearth::test::tls {

inline std::string addr(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

// Runs openssl s_client against port (stdin empty). Returns: its output.
inline std::string s_client(uint16_t port, std::vector<std::string> extra) {
  std::vector<std::string> argv = {"openssl", "s_client", "-connect", addr(port)};
  for (std::string& e : extra) argv.push_back(std::move(e));
  return run_command(argv).output;
}

// Returns: the s_client arguments that send `sni` ("": none).
inline std::vector<std::string> sni_args(const std::string& sni) {
  return sni.empty() ? std::vector<std::string>{"-noservername"}
                     : std::vector<std::string>{"-servername", sni};
}

// Returns: the CN of the certificate the server presented ("" if none).
inline std::string presented_cn(const std::string& out) {
  const size_t s = out.find("\nsubject=");
  if (s == std::string::npos) return "";
  const size_t cn = out.find("CN = ", s);
  const size_t eol = out.find('\n', s + 1);
  if (cn == std::string::npos || cn > eol) return "";
  return out.substr(cn + 5, eol - cn - 5);
}

// Returns: the contents of file `path` ("" if it cannot be read).
inline std::string read_all(const std::string& path) {
  std::string out;
  if (FILE* f = fopen(path.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    fclose(f);
  }
  return out;
}

// Returns: `text` without its empty lines (a CLI payload ends at the first).
inline std::string no_empty_lines(const std::string& text) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    if (eol == std::string::npos) eol = text.size();
    if (eol > at) out += text.substr(at, eol - at) + "\n";
    at = eol + 1;
  }
  return out;
}

}  // namespace hearth::test::tls
