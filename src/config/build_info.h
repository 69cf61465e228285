#pragma once
// What this build of Hearth is and has, in the vocabulary HAProxy's tooling
// reads: the version it is compatible with, its own version, and the feature
// names of HAProxy's "Feature list" (`-vv`), also tested by feature() in
// conditions (`-cc`, `.if`).
#include <span>
#include <string_view>

namespace hearth::config {

// The HAProxy version whose behaviour Hearth follows (for version_atleast()).
inline constexpr int kCompatMajor = 2, kCompatMinor = 6, kCompatPatch = 0;

// Returns: Hearth's own version, "X.Y" (from the CMake project version).
std::string_view hearth_version();
// The date this build was configured ("YYYY/MM/DD"): show info's Release_date.
std::string_view hearth_release_date();

struct Feature {
  std::string_view name;  // e.g. "PCRE2"
  bool present;           // '+' or '-' in the feature list
};

// Returns: every feature name HAProxy 2.6 prints, in its order, each marked
// with whether Hearth really has it.
std::span<const Feature> build_features();

// Returns: true if `name` is a feature this build has (case-sensitive, as
// HAProxy's feature()).
bool has_feature(std::string_view name);

}  // namespace hearth::config
