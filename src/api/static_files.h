// The web console's files (web/dist), served by the node beside /v1/ when `onechain node` is given
// --web-dir. Only regular files under the root are served: no "..", ".", hidden or empty path
// segments, no backslashes or NULs, no symlink that leads out of the root, and nothing larger
// than kStaticFileBytesMax. A path whose last segment has no extension is a client route of the
// single-page app and gets index.html; a missing file with an extension is NOT_FOUND.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace onechain::api {

inline constexpr size_t kStaticFileBytesMax = 8u << 20;
inline constexpr size_t kStaticPathBytesMax = 512;

struct StaticFile {
  std::string body;
  std::string content_type;  // "text/html; charset=utf-8", ...
  bool immutable = false;    // under assets/, whose names carry a content hash
};

// The content type for a file name by its extension; application/octet-stream when unknown.
std::string ContentTypeFor(std::string_view name);

// The file `url_path` ("/", "/assets/index-abc.js", "/cases/…") names under `root`.
// Codes: INVALID_ARGUMENT (an unsafe path), NOT_FOUND, TOO_LARGE, IO.
Result<StaticFile> ReadStaticFile(const std::string& root, std::string_view url_path);

}  // namespace onechain::api
