// A small HTTP client of the node's REST API for the CLI, the load generator and the tests.
#pragma once

#include <memory>
#include <string>

#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::cli {

struct HttpReply {
  int status = 0;
  std::string body;
};

class ApiClient {
 public:
  // `base_url` like "http://127.0.0.1:8080".
  explicit ApiClient(const std::string& base_url);
  ~ApiClient();

  // From now on, GET requests carry a request signature by `key` (api/request_auth.h), which
  // reads of non-public records need. `key` must outlive the client.
  void SignReadsWith(const crypto::PrivateKey* key) { signing_key_ = key; }

  Result<HttpReply> Get(const std::string& path);
  Result<HttpReply> PostBinary(const std::string& path, const std::string& body);
  // PUT of application/octet-stream `body`, signed by the SignReadsWith key (path without query).
  Result<HttpReply> PutSigned(const std::string& path, const std::string& body);

  // GET that expects 200 and a JSON body; otherwise the node's {code, message} as a Status.
  Result<std::string> GetJson(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const crypto::PrivateKey* signing_key_ = nullptr;
};

// The node's {code, message} error body as a Status (INTERNAL if it is not one).
Status StatusFromErrorBody(const HttpReply& reply);

}  // namespace onechain::cli
