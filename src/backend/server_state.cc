#include "backend/server_state.h"

#include <charconv>

namespace hearth::backend {

const char* const kServerStateColumns =
    "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
    "srv_iweight srv_time_since_last_change srv_check_status srv_check_result "
    "srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id "
    "srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr "
    "srv_agent_port";

namespace {

constexpr size_t kColumns = 25;

std::string_view text_or_dash(const std::string& s) {
  return s.empty() ? std::string_view("-") : std::string_view(s);
}

std::vector<std::string_view> split_blanks(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// Strict: the whole text is a decimal number.
template <typename T>
bool to_int(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Lenient: the leading digits (none: 0), for the columns HAProxy reads that way.
template <typename T>
T lead_int(std::string_view s) {
  T v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string dash_to_empty(std::string_view s) { return s == "-" ? std::string() : std::string(s); }

void parse_row(const std::vector<std::string_view>& f, ServerStateRow* r) {
  r->be_id = lead_int<int>(f[0]);
  r->be_name = std::string(f[1]);
  r->srv_id = lead_int<int>(f[2]);
  r->srv_name = std::string(f[3]);
  r->addr = dash_to_empty(f[4]);
  r->since_change_s = lead_int<int64_t>(f[9]);
  r->check_status = lead_int<int>(f[10]);
  r->check_result = lead_int<int>(f[11]);
  r->check_health = lead_int<int>(f[12]);
  r->check_state = lead_int<int>(f[13]);
  r->agent_state = lead_int<int>(f[14]);
  r->be_forced_id = lead_int<int>(f[15]);
  r->srv_forced_id = lead_int<int>(f[16]);
  r->fqdn = dash_to_empty(f[17]);
  r->srvrecord = dash_to_empty(f[19]);
  r->use_ssl = lead_int<int>(f[20]);
  r->check_port = lead_int<int>(f[21]);
  r->check_addr = dash_to_empty(f[22]);
  r->agent_addr = dash_to_empty(f[23]);
  r->agent_port = lead_int<int>(f[24]);
  // The columns that change the server must be valid, or the server is skipped.
  struct Strict {
    size_t col;
    const char* name;
    int* out;
    int min, max;
  };
  const Strict strict[] = {{5, "srv_op_state", &r->op_state, kOpStopped, kOpStopping},
                           {6, "srv_admin_state", &r->admin_state, 0, 0xff},
                           {7, "srv_uweight", &r->uweight, 0, 256},
                           {8, "srv_iweight", &r->iweight, 0, 256},
                           {18, "srv_port", &r->port, 0, 65535}};
  for (const Strict& c : strict) {
    if (!to_int(f[c.col], c.out) || *c.out < c.min || *c.out > c.max) {
      r->invalid = std::string("invalid ") + c.name + " value '" + std::string(f[c.col]) + "'";
      return;
    }
  }
}

}  // namespace

std::string format_server_state_row(const ServerStateRow& r) {
  std::string o;
  o.reserve(128);
  auto num = [&](int64_t v) {
    o += std::to_string(v);
    o += ' ';
  };
  auto txt = [&](const std::string& v) {
    o += text_or_dash(v);
    o += ' ';
  };
  num(r.be_id);
  txt(r.be_name);
  num(r.srv_id);
  txt(r.srv_name);
  txt(r.addr);
  for (int64_t v : {int64_t(r.op_state), int64_t(r.admin_state), int64_t(r.uweight),
                    int64_t(r.iweight), r.since_change_s, int64_t(r.check_status),
                    int64_t(r.check_result), int64_t(r.check_health), int64_t(r.check_state),
                    int64_t(r.agent_state), int64_t(r.be_forced_id), int64_t(r.srv_forced_id)})
    num(v);
  txt(r.fqdn);
  num(r.port);
  txt(r.srvrecord);
  num(r.use_ssl);
  num(r.check_port);
  txt(r.check_addr);
  txt(r.agent_addr);
  o += std::to_string(r.agent_port);
  return o;
}

StateFileStatus parse_server_state(std::string_view text, std::vector<ServerStateRow>* rows,
                                   int* bad_line) {
  rows->clear();
  int version_line = 0;  // file line of the version; 0: not seen yet
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string_view> f = split_blanks(line);
    if (version_line == 0) {
      // The version is the first line, as "1" alone.
      if (f.size() != 1 || f[0] != "1") return StateFileStatus::kNoVersion;
      version_line = line_no;
      continue;
    }
    if (f.empty() || f[0][0] == '#') continue;
    if (f.size() < kColumns) {
      *bad_line = line_no - version_line;
      return StateFileStatus::kCorrupted;
    }
    ServerStateRow r;
    parse_row(f, &r);
    rows->push_back(std::move(r));
  }
  return version_line ? StateFileStatus::kOk : StateFileStatus::kNoVersion;
}

}  // namespace hearth::backend
