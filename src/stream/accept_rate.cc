#include "stream/accept_rate.h"

namespace hearth::stream {

ProcessRates& process_rates() {
  static ProcessRates r;
  return r;
}

}  // namespace hearth::stream
