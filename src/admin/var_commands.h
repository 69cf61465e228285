#pragma once
// Runtime API commands on proc variables (HAProxy 2.6 management guide):
// "get var proc.NAME" and, in experimental mode, "set var proc.NAME
// [expr EXPR | fmt FORMAT | EXPR]". Answers keep HAProxy's texts, which
// reg-tests and scripts match.
#include <string>
#include <vector>

namespace hearth::admin {

// `w` is the command's words, w[0..1] = "get var".
std::string cli_get_var(const std::vector<std::string>& w);
// `w` is the command's words, w[0..1] = "set var"; `experimental` says
// whether experimental-mode is on for this CLI session.
std::string cli_set_var(const std::vector<std::string>& w, bool experimental);

}  // namespace hearth::admin
