#pragma once
// "show errors [IID|PROXY] [request|response]": the last invalid request of
// each frontend and the last invalid response of each backend
// (stream/error_capture.h), optionally of one proxy (by name or numeric id)
// and of one kind.
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
}
namespace hearth::stream {
class Frontend;
}

namespace hearth::admin {

// Returns: the answer, or an empty string if `w` is not "show errors".
std::string cli_show_errors(const std::vector<std::string>& w,
                            const std::vector<stream::Frontend*>& frontends,
                            const std::vector<backend::Backend*>& backends);

}  // namespace hearth::admin
