#pragma once
// The stats rows in HAProxy 2.6's JSON form (the page's ";json"): an array per
// row of one object per field that has a value, with the field's position, its
// tags (origin, nature, scope) and its typed value.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "admin/stat_rows.h"

namespace hearth::admin {

struct StatFieldMeta {
  const char* tags = nullptr;  // origin, nature, scope letters ("MCP"); null: none known
  const char* type = nullptr;  // "u32", "u64", "s32", "str"
};

// Returns: what `field` means ("show stat typed desc"), Hearth's wording.
const char* stat_field_desc(size_t field);

// Returns: the tags and type of `field` in a row of `type` (stat_field_meta.cc).
const StatFieldMeta& stat_field_meta(StatType type, size_t field);

// Calls f(field, pos, meta) for each field of `row` the typed forms (JSON,
// "show stat typed") print: those with tags and a value of their type (a
// checked server's last_chk even when empty, as HAProxy). `pos` counts the
// fields without the "-" that ends the static ones.
void for_each_typed_field(const StatRow& row,
                          const std::function<void(size_t, size_t, const StatFieldMeta&)>& f);

// Returns: `rows` as JSON, ending with a line break.
std::string stat_json(const std::vector<StatRow>& rows);

// Shared with "show info json": `"tags":{"origin":...,"nature":...,"scope":...}`
// for the three tag letters, and a JSON string.
std::string json_tags(const char* tags);
void json_append_string(std::string& out, const std::string& s);

}  // namespace hearth::admin
