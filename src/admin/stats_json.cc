#include "admin/stats_json.h"

#include <cstdio>

namespace hearth::admin {
namespace {

const char* origin_word(char c) {
  switch (c) {
    case 'K':
      return "Key";
    case 'C':
      return "Config";
    case 'S':
      return "Status";
    case 'P':
      return "Product";
    default:
      return "Metric";
  }
}

const char* nature_word(char c) {
  switch (c) {
    case 'N':
      return "Name";
    case 'L':
      return "Limit";
    case 'C':
      return "Counter";
    case 'M':
      return "Max";
    case 'm':
      return "Min";
    case 'R':
      return "Rate";
    case 'A':
      return "Age";
    case 'D':
      return "Duration";
    case 'O':
      return "Output";
    case 'T':
      return "Time";
    case 'a':
      return "Avg";
    default:
      return "Gauge";
  }
}

const char* scope_word(char c) {
  switch (c) {
    case 'S':
      return "Service";
    case 's':
      return "System";
    case 'C':
      return "Cluster";
    default:
      return "Process";
  }
}

const char* type_word(StatType t) {
  return t == StatType::kFrontend  ? "Frontend"
         : t == StatType::kBackend ? "Backend"
         : t == StatType::kServer  ? "Server"
                                   : "Listener";
}

}  // namespace

// Appends `s` as a JSON string.
void json_append_string(std::string& o, const std::string& s) {
  o.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o.push_back('\\');
      o.push_back(c);
    } else if (uint8_t(c) < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", unsigned(uint8_t(c)));
      o += esc;
    } else {
      o.push_back(c);
    }
  }
  o.push_back('"');
}

std::string json_tags(const char* tags) {
  return std::string("\"tags\":{\"origin\":\"") + origin_word(tags[0]) + "\",\"nature\":\"" +
         nature_word(tags[1]) + "\",\"scope\":\"" + scope_word(tags[2]) + "\"}";
}

namespace {

// Returns: true if `s` is an integer as the rows write them.
bool is_number(const std::string& s) {
  if (s.empty() || s == "-") return false;
  for (size_t i = s[0] == '-' ? 1 : 0; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

void for_each_typed_field(const StatRow& r,
                          const std::function<void(size_t, size_t, const StatFieldMeta&)>& f) {
  for (size_t i = 0; i < kStatFieldCount; ++i) {
    const StatFieldMeta& m = stat_field_meta(r.type, i);
    const bool keep_empty = i == kLastChk && !r.f[kCheckStatus].empty();
    if (i == kModSep || (r.f[i].empty() && !keep_empty) || !m.tags) continue;
    if (std::string(m.type) != "str" && !is_number(r.f[i])) continue;
    f(i, i > kModSep ? i - 1 : i, m);
  }
}

namespace {

void append_row(std::string& o, const StatRow& r) {
  const std::string id =
      r.type == StatType::kServer || r.type == StatType::kListener ? r.f[kSid] : "0";
  bool first = true;
  o.push_back('[');
  for_each_typed_field(r, [&](size_t f, size_t pos, const StatFieldMeta& m) {
    if (!first) o.push_back(',');
    first = false;
    o += std::string("{\"objType\":\"") + type_word(r.type) + "\",\"proxyId\":" + r.f[kIid] +
         ",\"id\":" + id + ",\"field\":{\"pos\":" + std::to_string(pos) + ",\"name\":\"" +
         kStatFieldNames[f] + "\"},\"processNum\":1," + json_tags(m.tags) +
         ",\"value\":{\"type\":\"" + m.type + "\",\"value\":";
    if (std::string(m.type) == "str")
      json_append_string(o, r.f[f]);
    else
      o += r.f[f];
    o += "}}";
  });
  o.push_back(']');
}

}  // namespace

std::string stat_json(const std::vector<StatRow>& rows) {
  std::string o = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) o.push_back(',');
    append_row(o, rows[i]);
  }
  o += "]\n";
  return o;
}

}  // namespace hearth::admin
