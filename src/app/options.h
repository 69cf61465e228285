#pragma once
// Command-line flags, compatible with what scripts pass to HAProxy.
#include <string>
#include <vector>

namespace hearth::app {

struct Options {
  std::vector<std::string> config_files;  // -f, repeatable, in order
  bool check_only = false;                // -c
  bool debug = false;                     // -d: debug output, foreground
  bool foreground = true;                 // -db (Hearth always runs in the foreground)
  std::string pidfile;                    // -p
  std::string local_peer;                 // -L (accepted for compatibility)
  bool version = false;                   // -v / -vv
  bool help = false;
};

// Returns: false with *err describing the bad flag.
bool parse_options(int argc, char** argv, Options* o, std::string* err);
const char* usage();

}  // namespace hearth::app
