#include "bench/http.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "cli/client.h"

namespace onechain::bench {

namespace {

constexpr size_t kReadChunkBytes = 64 * 1024;
constexpr int kReadTimeoutS = 60;

Status Unavailable(const std::string& what) {
  return Status(pb::Status::UNAVAILABLE, what + ": " + std::strerror(errno));
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

}  // namespace

HttpConnection::HttpConnection(const std::string& base_url, bool quick_ack)
    : quick_ack_(quick_ack) {
  std::string rest = base_url;
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  host_ = colon == std::string::npos ? rest : rest.substr(0, colon);
  port_ = colon == std::string::npos ? 80 : std::atoi(rest.c_str() + colon + 1);
  host_header_ = rest;
}

HttpConnection::~HttpConnection() { Close(); }

void HttpConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

Status HttpConnection::Open() { return fd_ >= 0 ? Status::Ok() : Connect(); }

Status HttpConnection::Connect() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return Status(pb::Status::UNAVAILABLE, "cannot resolve " + host_);
  }
  fd_ = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd_ < 0 || ::connect(fd_, found->ai_addr, found->ai_addrlen) != 0) {
    freeaddrinfo(found);
    Status status = Unavailable("cannot connect to " + host_header_);
    Close();
    return status;
  }
  freeaddrinfo(found);
  int on = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  timeval timeout{kReadTimeoutS, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return Status::Ok();
}

Result<HttpResponse> HttpConnection::Get(std::string_view path) {
  std::string request =
      "GET " + std::string(path) + " HTTP/1.1\r\nHost: " + host_header_ + "\r\nAccept: */*\r\n\r\n";
  return Exchange(request);
}

Result<HttpResponse> HttpConnection::Post(std::string_view path, std::string_view content_type,
                                          std::string_view body, std::string_view accept) {
  std::string request;
  request.reserve(body.size() + 160);
  request.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host_header_);
  request.append("\r\nContent-Type: ").append(content_type);
  if (!accept.empty()) request.append("\r\nAccept: ").append(accept);
  request.append("\r\nContent-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  request.append(body);
  return Exchange(request);
}

Result<HttpResponse> HttpConnection::Exchange(const std::string& request) {
  // A kept-alive connection the server closed shows up as a send or read that gets nothing;
  // then the request was not processed and is sent once more on a new connection.
  for (int attempt = 0;; ++attempt) {
    if (fd_ < 0) {
      if (Status st = Connect(); !st.ok()) return st;
    }
    bool nothing_received = false;
    Result<HttpResponse> response = ExchangeOnce(request, &nothing_received);
    if (response.ok() || !nothing_received || attempt == 1) return response;
  }
}

// A chunked body (RFC 9112 section 7.1) starting at `from`: its decoded bytes into `body` and
// the offset just past it, or nothing while it is incomplete (or larger than allowed).
std::optional<size_t> DecodeChunked(const std::string& buffer, size_t from, std::string& body) {
  body.clear();
  size_t pos = from;
  while (true) {
    size_t line_end = buffer.find("\r\n", pos);
    if (line_end == std::string::npos) return std::nullopt;
    size_t size = std::strtoull(buffer.c_str() + pos, nullptr, 16);
    if (size > kHttpResponseBytesMax || body.size() + size > kHttpResponseBytesMax) {
      return std::nullopt;
    }
    if (size == 0) {  // last chunk; no trailers expected, just the final CRLF
      size_t end = buffer.find("\r\n", line_end + 2);
      if (end == std::string::npos) return std::nullopt;
      return end + 2;
    }
    if (buffer.size() < line_end + 2 + size + 2) return std::nullopt;
    body.append(buffer, line_end + 2, size);
    pos = line_end + 2 + size + 2;
  }
}

Result<HttpResponse> HttpConnection::ExchangeOnce(const std::string& request,
                                                  bool* nothing_received) {
  *nothing_received = true;
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      Status status = Unavailable("send failed");
      Close();
      return status;
    }
    sent += static_cast<size_t>(n);
  }
  int on = 1;
  size_t header_end = std::string::npos, total = 0;
  int status_code = 0;
  bool close_after = false, chunked = false;
  std::string body;
  char chunk[kReadChunkBytes];
  auto complete = [&] {
    if (header_end == std::string::npos) return false;
    if (!chunked) return buffer_.size() >= total;
    std::optional<size_t> end = DecodeChunked(buffer_, header_end + 4, body);
    if (end) total = *end;
    return end.has_value();
  };
  while (!complete()) {
    if (quick_ack_) setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      *nothing_received = buffer_.empty();
      Status status = n == 0 ? Status(pb::Status::UNAVAILABLE, "the node closed the connection")
                             : Unavailable("read failed");
      Close();
      return status;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    *nothing_received = false;
    if (header_end != std::string::npos) continue;
    header_end = buffer_.find("\r\n\r\n");
    if (header_end == std::string::npos) {
      if (buffer_.size() > kHttpResponseBytesMax) break;
      continue;
    }
    std::string_view head(buffer_.data(), header_end);
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/") break;
    status_code = std::atoi(buffer_.c_str() + 9);
    size_t content_length = 0;
    for (size_t pos = head.find("\r\n"); pos != std::string_view::npos;) {
      size_t next = head.find("\r\n", pos + 2);
      std::string_view line = head.substr(
          pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
      if (StartsWithNoCase(line, "content-length:")) {
        content_length = std::strtoull(std::string(line.substr(15)).c_str(), nullptr, 10);
      } else if (StartsWithNoCase(line, "transfer-encoding:") &&
                 line.find("chunked") != std::string_view::npos) {
        chunked = true;
      } else if (StartsWithNoCase(line, "connection:") &&
                 line.find("close") != std::string_view::npos) {
        close_after = true;
      }
      pos = next;
    }
    if (content_length > kHttpResponseBytesMax) {
      status_code = 0;
      break;
    }
    total = header_end + 4 + content_length;
  }
  if (header_end == std::string::npos || status_code == 0) {
    Close();
    *nothing_received = false;
    return Status(pb::Status::MALFORMED, "the reply is not HTTP/1.1");
  }
  HttpResponse response{status_code, chunked ? std::move(body)
                                             : buffer_.substr(header_end + 4, total - header_end - 4)};
  buffer_.erase(0, total);
  if (close_after) Close();
  return response;
}

Result<std::string> GetJson(HttpConnection& http, std::string_view path) {
  Result<HttpResponse> reply = http.Get(path);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) return cli::StatusFromErrorBody({reply->status, reply->body});
  return std::move(reply->body);
}

}  // namespace onechain::bench
