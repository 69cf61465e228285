#include "backend/handover_wire.h"

#include <charconv>

namespace hearth::backend {
namespace {

template <typename T>
bool number(std::string_view s, T* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// Returns: the space-separated fields of `line` (empty ones included).
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> f;
  for (;;) {
    const size_t sp = line.find(' ');
    f.push_back(line.substr(0, sp));
    if (sp == std::string_view::npos) return f;
    line.remove_prefix(sp + 1);
  }
}

// Splits off the next line (without its break). Returns: false at the end.
bool next_line(std::string_view* text, std::string_view* line, bool need_break) {
  if (text->empty()) return false;
  const size_t nl = text->find('\n');
  if (nl == std::string_view::npos && need_break) return false;
  *line = text->substr(0, nl);
  text->remove_prefix(nl == std::string_view::npos ? text->size() : nl + 1);
  return true;
}

void append_list(std::string* out, const std::vector<int64_t>& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) *out += ',';
    *out += std::to_string(v[i]);
  }
}

bool parse_list(std::string_view s, std::vector<int64_t>* out) {
  while (!s.empty()) {
    const size_t c = s.find(',');
    int64_t x = 0;
    if (!number(s.substr(0, c), &x) || x < 0) return false;
    out->push_back(x);
    if (c == std::string_view::npos) break;
    s.remove_prefix(c + 1);
    if (s.empty()) return false;  // a trailing comma
  }
  return true;
}

bool is_name(std::string_view s) { return !s.empty() && s.find('\t') == std::string_view::npos; }

}  // namespace

std::string format_idle_item(const IdleHandoverItem& it) {
  return it.backend + ' ' + it.server + ' ' + it.ip + ' ' + std::to_string(it.port) + ' ' +
         std::to_string(it.idle_ms) + ' ' + std::to_string(it.exchanges) + '\n';
}

bool parse_idle_handover(std::string_view msg, size_t nfds, std::vector<IdleHandoverItem>* out) {
  out->clear();
  if (msg.substr(0, kIdleHandoverHeader.size()) != kIdleHandoverHeader) return false;
  msg.remove_prefix(kIdleHandoverHeader.size());
  std::string_view line;
  while (next_line(&msg, &line, /*need_break=*/true)) {
    const std::vector<std::string_view> f = fields(line);
    IdleHandoverItem it;
    if (f.size() != 6 || !is_name(f[0]) || !is_name(f[1]) || f[2].empty() ||
        !number(f[3], &it.port) || it.port < 0 || it.port > 65535 || !number(f[4], &it.idle_ms) ||
        it.idle_ms < 0 || !number(f[5], &it.exchanges))
      return false;
    it.backend = f[0];
    it.server = f[1];
    it.ip = f[2];
    out->push_back(std::move(it));
  }
  return msg.empty() && out->size() == nfds;
}

std::string format_keepalive_line(const KeepAliveLine& k) {
  std::string out = k.backend + ' ' + k.server + " c=";
  append_list(&out, k.closes);
  out += " a=";
  append_list(&out, k.alives);
  return out + '\n';
}

std::vector<KeepAliveLine> parse_keepalive_lines(std::string_view text) {
  std::vector<KeepAliveLine> out;
  std::string_view line;
  while (next_line(&text, &line, /*need_break=*/false)) {
    const std::vector<std::string_view> f = fields(line);
    if (f.size() != 4 || !is_name(f[0]) || !is_name(f[1]) || f[2].substr(0, 2) != "c=" ||
        f[3].substr(0, 2) != "a=")
      continue;
    KeepAliveLine k{std::string(f[0]), std::string(f[1]), {}, {}};
    if (parse_list(f[2].substr(2), &k.closes) && parse_list(f[3].substr(2), &k.alives))
      out.push_back(std::move(k));
  }
  return out;
}

}  // namespace hearth::backend
