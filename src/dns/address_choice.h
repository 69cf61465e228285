#pragma once
// Which address of an answer a server takes (HAProxy's choice, 5.3): the
// preferred family first (resolve-prefer), then one inside a resolve-net
// network, then the one it has now (no needless move); ties go to the
// answer's order. Addresses another server of its backend with the same
// name already uses are left out, unless allow-dup-ip.
#include <functional>
#include <vector>

#include "config/model.h"
#include "net/address.h"

namespace hearth::dns {

bool same_ip(const net::Address& a, const net::Address& b);
bool in_net(const net::Address& a, const config::ResolveNet& n);

// Returns: the index in `addrs` of the address to take, or -1 if none is
// free. current: the server's address now (null: none). taken(a): another
// server uses a.
int choose_address(const std::vector<net::Address>& addrs, config::ResolveFamily prefer,
                   const std::vector<config::ResolveNet>& nets, const net::Address* current,
                   const std::function<bool(const net::Address&)>& taken);

}  // namespace hearth::dns
