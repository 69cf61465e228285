#pragma once
// The runtime API's dynamic cookie commands, as HAProxy 2.6's:
// `enable dynamic-cookie backend BK`, `disable dynamic-cookie backend BK` and
// `set dynamic-cookie-key backend BK KEY` (admin). Servers with a "cookie
// VALUE" keep it; the others get a value computed anew, or none when dynamic
// cookies are disabled or have no key (backend/dynamic_cookie.h).
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
}

namespace hearth::admin {

// Runs one of these commands; `w` are its words. Returns: the answer, or an
// empty string if `w` is not such a command.
std::string cli_dynamic_cookie_command(const std::vector<std::string>& w,
                                       const std::vector<backend::Backend*>& backends, bool admin);

}  // namespace hearth::admin
