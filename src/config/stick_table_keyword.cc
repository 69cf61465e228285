// "stick-table type ip|ipv6|integer|string [len N]|binary [len N] size N
// [expire T] [nopurge] [store TYPE[,TYPE...]]..." in a frontend, backend or
// listen (HAProxy 2.6). `peers` and `srvkey` are refused: Hearth has no
// peers sections, and srvkey only matters to them.
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {

void parse_stick_table(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "stick-table";
  if (s.proxy.stick_table) {
    rep.error(d.loc, kw, "only one stick-table per proxy");
    return;
  }
  stick::TableConfig t;
  t.name = s.proxy.name;
  bool have_type = false, have_size = false;
  for (size_t i = 1; i < d.size(); ++i) {
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
            return;
          }
          t.key_len = uint32_t(*n);
          i += 2;
        }
      } else {
        rep.error(d.loc, kw,
                  "unknown type '" + ty + "': expects ip, ipv6, integer, string or binary");
        return;
      }
    } else if (w == "size" && has_value) {
      const auto n = parse_size(d[++i]);
      if (!n || *n < 1) {
        rep.error(d.loc, kw, "invalid size '" + d[i] + "'");
        return;
      }
      t.size = uint32_t(*n);
      have_size = true;
    } else if (w == "expire" && has_value) {
      const auto ms = parse_duration_ms(d[++i]);
      if (!ms) {
        rep.error(d.loc, kw, "invalid expire '" + d[i] + "'");
        return;
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
          return;
        }
        start = end + 1;
      }
    } else if (w == "peers" || w == "srvkey") {
      rep.error(d.loc, kw + " " + w,
                "Hearth does not support " +
                    std::string(w == "peers" ? "peers sections (replication)" : "srvkey") + " yet");
      return;
    } else {
      rep.error(d.loc, kw,
                "unexpected '" + w +
                    "': expects type, size, expire, nopurge and store, each with its value");
      return;
    }
  }
  if (!have_type || !have_size) {
    rep.error(d.loc, kw, std::string("missing '") + (have_type ? "size" : "type") + "'");
    return;
  }
  if (t.layout.find(stick::DataType::kServerKey)) {
    rep.error(d.loc, kw, "Hearth does not support the server_key data type yet");
    return;
  }
  s.proxy.stick_table = std::make_shared<const stick::TableConfig>(std::move(t));
  s.proxy.stick_table_loc = d.loc;
}

}  // namespace hearth::config::detail
