#pragma once
// Strings stored in stick-table entries (`server_key`, the server's name),
// interned once for the process: an entry holds a pointer that stays valid
// forever, so copying or reading one needs no lock beyond the entry's own.
#include <string>
#include <string_view>

namespace hearth::stick {

// Returns: the process's copy of `s` (the same pointer for equal strings).
// Thread-safe.
const std::string* intern(std::string_view s);

}  // namespace hearth::stick
