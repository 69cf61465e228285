// "stick-table type ip|ipv6|integer|string [len N]|binary [len N] size N
// [expire T] [nopurge] [peers NAME] [srvkey name|addr] [store TYPE[,TYPE...]]..."
// in a frontend, backend or listen, and the same options on a peers
// section's "table NAME" lines (HAProxy 2.6).
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {

bool parse_table_options(const Directive& d, size_t first, const std::string& kw, bool in_peers,
                         stick::TableConfig* out, Reporter& rep) {
  stick::TableConfig& t = *out;
  bool have_type = false, have_size = false;
  for (size_t i = first; i < d.size(); ++i) {
    const std::string& w = d[i];
    const bool has_value = i + 1 < d.size();
    if (w == "type" && has_value) {
      const std::string& ty = d[++i];
      have_type = true;
      if (ty == "ip") {
        t.type = stick::KeyType::kIp, t.key_len = 4;
      } else if (ty == "ipv6") {
        t.type = stick::KeyType::kIpv6, t.key_len = 16;
      } else if (ty == "integer") {
        t.type = stick::KeyType::kInteger, t.key_len = 4;
      } else if (ty == "string" || ty == "binary") {
        t.type = ty == "string" ? stick::KeyType::kString : stick::KeyType::kBinary;
        t.key_len = 32;
        if (i + 2 < d.size() && d[i + 1] == "len") {
          const auto n = parse_int(d[i + 2]);
          if (!n || *n < 1 || *n > 65535) {
            rep.error(d.loc, kw, "invalid length '" + d[i + 2] + "' for type " + ty);
            return false;
          }
          t.key_len = uint32_t(*n);
          // HAProxy counts a string's NUL in the length its peers announce.
          if (t.type == stick::KeyType::kString) t.peer_key_len = t.key_len + 1;
          i += 2;
        }
      } else {
        rep.error(d.loc, kw,
                  "unknown type '" + ty + "': expects ip, ipv6, integer, string or binary");
        return false;
      }
    } else if (w == "size" && has_value) {
      const auto n = parse_size(d[++i]);
      if (!n || *n < 1) {
        rep.error(d.loc, kw, "invalid size '" + d[i] + "'");
        return false;
      }
      t.size = uint32_t(*n);
      have_size = true;
    } else if (w == "expire" && has_value) {
      const auto ms = parse_duration_ms(d[++i]);
      if (!ms) {
        rep.error(d.loc, kw, "invalid expire '" + d[i] + "'");
        return false;
      }
      t.expire_ms = uint32_t(*ms);
    } else if (w == "nopurge") {
      t.nopurge = true;
    } else if (w == "store" && has_value) {
      const std::string& list = d[++i];
      size_t start = 0;
      while (start <= list.size()) {
        // Commas inside parentheses belong to the item (gpc_rate(2,10s)).
        size_t end = start;
        int depth = 0;
        while (end < list.size() && (list[end] != ',' || depth > 0)) {
          depth += list[end] == '(' ? 1 : list[end] == ')' ? -1 : 0;
          ++end;
        }
        std::string err;
        if (!t.layout.add(std::string_view(list).substr(start, end - start), &err)) {
          rep.error(d.loc, kw, err);
          return false;
        }
        start = end + 1;
      }
    } else if (w == "peers" && has_value && !in_peers) {
      t.peers = d[++i];
    } else if (w == "srvkey" && has_value) {
      const std::string& v = d[++i];
      if (v != "name" && v != "addr") {
        rep.error(d.loc, kw, "invalid srvkey '" + v + "': expects name or addr");
        return false;
      }
      t.srvkey_addr = v == "addr";
    } else {
      rep.error(d.loc, kw,
                "unexpected '" + w + "': expects type, size, expire, nopurge, " +
                    (in_peers ? "" : "peers, ") + "srvkey and store, each with its value");
      return false;
    }
  }
  if (!have_type || !have_size) {
    rep.error(d.loc, kw, std::string("missing '") + (have_type ? "size" : "type") + "'");
    return false;
  }
  return true;
}

void parse_stick_table(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "stick-table";
  if (s.proxy.stick_table) {
    rep.error(d.loc, kw, "only one stick-table per proxy");
    return;
  }
  stick::TableConfig t;
  t.name = s.proxy.name;
  t.wire_name = t.name;
  if (!parse_table_options(d, 1, kw, false, &t, rep)) return;
  s.proxy.stick_table = std::make_shared<const stick::TableConfig>(std::move(t));
  s.proxy.stick_table_loc = d.loc;
}

}  // namespace hearth::config::detail
