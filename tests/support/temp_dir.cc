#include "support/temp_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "support/fatal.h"

namespace hearth::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/hearth-test-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) fatal_errno("mkdtemp /tmp/hearth-test-XXXXXX");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;  // best effort: a leftover dir must not fail a test
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::file(std::string_view name) const {
  std::string out = path_;
  out += '/';
  out += name;
  return out;
}

bool write_file(const std::string& path, std::string_view content) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  bool ok = off == content.size();
  return close(fd) == 0 && ok;
}

std::string read_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace hearth::test
