#pragma once
// HAProxy's weighted map (static-rr and map-based hashing): one cycle in
// which each usable server of a tier appears as many times as its effective
// weight, spread evenly. Each slot goes to the server whose running score,
// counted in whole cycles, is the highest (the first in order wins a tie),
// which is then debited by one cycle: weights 3,1,2 give a a c a b c.
#include <cstdint>
#include <vector>

#include "backend/server.h"

namespace hearth::backend {

// Returns: the map, as positions in `servers`, of the usable servers whose
// backup flag is `backup`, each weighing ceil(weight / wmult).
// Requires: wmult >= 1.
std::vector<uint32_t> build_weight_map(const std::vector<Server*>& servers, bool backup, int wmult);

// Returns: the greatest common divisor of the servers' weights (0 ones
// aside), or 1 if all are 0: HAProxy's weight multiplier of static maps.
int weights_gcd(const std::vector<Server*>& servers);

}  // namespace hearth::backend
