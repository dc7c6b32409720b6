// The node's log formats: "text" (spdlog's default pattern) or "json", one JSON object a line for
// log collectors: {"time":"2026-11-29T09:30:25.517+00:00","level":"info","thread":123,"msg":"..."}
// with the message escaped as a JSON string.
#pragma once

#include <string>

#include "util/status.h"

namespace onechain::node {

// Sets the default logger's format; INVALID_ARGUMENT for a format other than text or json.
Status SetLogFormat(const std::string& format);
// Sets the level; INVALID_ARGUMENT for a name other than trace, debug, info, warn, error,
// critical, off (spdlog itself would silently turn an unknown name into "off").
Status SetLogLevel(const std::string& level);

}  // namespace onechain::node
