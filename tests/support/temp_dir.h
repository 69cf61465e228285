#pragma once
// Scratch directories and whole-file helpers for tests.
#include <string>
#include <string_view>

namespace hearth::test {

// A fresh directory /tmp/hearth-test-XXXXXX, removed with everything in it
// when the TempDir is destroyed. Aborts if the directory cannot be created.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Returns: path() + "/" + name (the file need not exist).
  std::string file(std::string_view name) const;

 private:
  std::string path_;
};

// Replaces the file's contents. Returns: false on any I/O error.
bool write_file(const std::string& path, std::string_view content);
// Returns: the file's contents, or "" if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace hearth::test
