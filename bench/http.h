// A lean HTTP/1.1 keep-alive client for the load: one blocking socket, one request in flight,
// each request written with a single send. It costs the shared cores far less than httplib's
// client, and it can ask the kernel for immediate ACKs (TCP_QUICKACK), which works around a node
// that writes a response's headers and body in two segments without TCP_NODELAY: with delayed
// ACKs each such reply then waits ~40 ms for the ACK of the first segment (Nagle).
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace onechain::bench {

inline constexpr size_t kHttpResponseBytesMax = 64ull << 20;

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpConnection {
 public:
  // `base_url` like "http://127.0.0.1:8080". Connects lazily on the first request.
  HttpConnection(const std::string& base_url, bool quick_ack);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Connects now, e.g. before a timed phase, rather than on the first request.
  Status Open();

  // Codes: UNAVAILABLE (cannot connect, connection lost), MALFORMED (not an HTTP reply).
  Result<HttpResponse> Get(std::string_view path);
  // `accept`, when not empty, is sent as the Accept header.
  Result<HttpResponse> Post(std::string_view path, std::string_view content_type,
                            std::string_view body, std::string_view accept = {});

 private:
  Result<HttpResponse> Exchange(const std::string& request);
  Result<HttpResponse> ExchangeOnce(const std::string& request, bool* nothing_received);
  Status Connect();
  void Close();

  std::string host_, host_header_;
  int port_ = 0;
  bool quick_ack_ = false;
  int fd_ = -1;
  std::string buffer_;  // bytes read past the last response
};

// A GET that expects 200 and a JSON body; otherwise the node's {code, message} as a Status.
Result<std::string> GetJson(HttpConnection& http, std::string_view path);

}  // namespace onechain::bench
