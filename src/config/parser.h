#pragma once
// Reads haproxy.cfg-style files into a Config. Every problem is collected
// (parsing never stops at the first error); call validate() (validate.h)
// afterwards for the checks that need the whole configuration.
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/lexer.h"
#include "config/model.h"

namespace hearth::config {

// Parses the files in order as one configuration, like `haproxy -f a -f b`:
// each file starts outside any section, while the most recent defaults
// section carries over to the next file. A directory stands for the *.cfg
// files directly inside it, in lexical order. An unreadable file is an error.
// `env` resolves ${VAR} references (injectable for tests).
ParseResult parse_files(const std::vector<std::string>& paths,
                        const EnvLookup& env = process_env());

// Parses `text` as if it were the file `filename` (used in diagnostics).
ParseResult parse_string(const std::string& text, const std::string& filename,
                         const EnvLookup& env = process_env());

}  // namespace hearth::config
