#include "api/static_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace onechain::api {

namespace {

namespace fs = std::filesystem;

Status Unsafe(std::string_view why) {
  return Status(pb::Status::INVALID_ARGUMENT, "unsafe path: " + std::string(why));
}

// The path's segments, or an error when one is unsafe.
Result<std::vector<std::string>> Segments(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return Unsafe("it must start with /");
  if (url_path.size() > kStaticPathBytesMax) {
    return Unsafe("longer than " + std::to_string(kStaticPathBytesMax) + " bytes");
  }
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= url_path.size()) {
    size_t end = url_path.find('/', start);
    if (end == std::string_view::npos) end = url_path.size();
    std::string_view segment = url_path.substr(start, end - start);
    if (segment.empty()) {
      if (end != url_path.size()) return Unsafe("an empty segment");
    } else {
      if (segment.front() == '.') return Unsafe("a segment starts with '.'");
      for (char c : segment) {
        if (c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) {
          return Unsafe("a backslash or control character");
        }
      }
      segments.emplace_back(segment);
    }
    start = end + 1;
  }
  return segments;
}

Result<StaticFile> ReadRegular(const fs::path& root, const fs::path& file) {
  std::error_code error;
  fs::path real = fs::canonical(file, error);
  if (error || !fs::is_regular_file(real, error)) {
    return Status(pb::Status::NOT_FOUND, "no such file");
  }
  // A symlink may not lead out of the root.
  auto [root_end, real_it] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (root_end != root.end()) return Status(pb::Status::NOT_FOUND, "no such file");
  uintmax_t size = fs::file_size(real, error);
  if (error) return Status(pb::Status::IO, "cannot read the file's size");
  if (size > kStaticFileBytesMax) {
    return Status(pb::Status::TOO_LARGE, "the file is larger than " +
                                             std::to_string(kStaticFileBytesMax) + " bytes");
  }
  std::ifstream in(real, std::ios::binary);
  StaticFile out;
  out.body.resize(size);
  if (!in.read(out.body.data(), static_cast<std::streamsize>(size))) {
    return Status(pb::Status::IO, "cannot read the file");
  }
  out.content_type = ContentTypeFor(real.filename().string());
  return out;
}

}  // namespace

std::string ContentTypeFor(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (name.size() > extension.size() && name.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

Result<StaticFile> ReadStaticFile(const std::string& root_dir, std::string_view url_path) {
  Result<std::vector<std::string>> segments = Segments(url_path);
  if (!segments.ok()) return segments.status();
  std::error_code error;
  fs::path root = fs::canonical(root_dir, error);
  if (error) return Status(pb::Status::IO, "the web directory does not exist");
  fs::path index = root / "index.html";
  if (segments->empty()) return ReadRegular(root, index);
  fs::path file = root;
  for (const std::string& segment : *segments) file /= segment;
  bool client_route = segments->back().find('.') == std::string::npos;
  Result<StaticFile> found = ReadRegular(root, file);
  if (!found.ok() && found.status().code() == pb::Status::NOT_FOUND && client_route) {
    return ReadRegular(root, index);
  }
  if (found.ok()) found->immutable = segments->size() > 1 && segments->front() == "assets";
  return found;
}

}  // namespace onechain::api
