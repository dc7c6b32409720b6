// The REST API on HTTP: JSON is protobuf's canonical JSON mapping of proto/api.proto messages;
// errors are {"code": "...", "message": "..."} with the HTTP status that fits the code.
// Routes (docs/api.md has the details):
//   POST /v1/tx                 signed envelope (application/x-protobuf, or JSON of SignedTx)
//   POST /v1/txs                up to kBatchTxsMax envelopes (SubmitBatchRequest), one result each
//   GET  /v1/tx/{hash}          pending / committed / rejected; ?wait_ms= waits for commit
//   GET  /v1/blocks/latest      GET /v1/blocks/{height}
//   GET  /v1/accounts/{id}      GET /v1/keys/{public key hex}
//   GET  /v1/orgs               GET /v1/health
//   GET  /v1/cases/{id}         GET /v1/cases?credit_code=   (public case records)
//   GET  /v1/cases/{id}/claims|creditors|plans|distribution-preview, /v1/plans/{id} (case class)
//   GET  /v1/claims/{id}, /v1/claims/{id}/history (party), /v1/me/notices, /v1/me/claims (own)
//   GET  /v1/cases/{id}/meetings|recruitments, /v1/recruitments (public)
//   GET  /v1/checkpoints/latest, /v1/proofs/tx/{hash}|consistency|state/{key} (api/proof_reads.h)
//   PUT  /v1/blobs/{hash}, GET /v1/blobs/{hash}  encrypted materials (signed; docs/privacy.md)
//   GET  /v1/orgs/{id}/record-types (public), /v1/grants/{id}, /v1/grants/{id}/accesses (grant),
//        /v1/me/grants (own)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "node/node.h"

namespace onechain::api {

inline constexpr size_t kRequestBodyBytesMax = 2 * node::kEnvelopeBytesMax;  // JSON adds base64
inline constexpr size_t kBatchTxsMax = 1000;
inline constexpr size_t kBatchBodyBytesMax = 4ull << 20;  // binary; JSON may be 4/3 of it
inline constexpr size_t kServerThreads = 64;

int HttpStatusFor(Code code);

class Server {
 public:
  explicit Server(node::Node& node);
  ~Server();

  // Binds and serves until Stop(); returns an error if the address cannot be bound.
  Status Listen(const std::string& host, int port);
  void Stop();
  // True once the socket is bound and accepting.
  bool running() const;
  // Serves the web console's files from `dir` (api/static_files.h) for every GET outside /v1/.
  // Call before Listen.
  void ServeStatic(const std::string& dir);
  // Delivers per-organization webhooks (api/webhooks.h), keeping their state in `dir`.
  Status EnableWebhooks(const std::string& dir);
  // Every route served, as "METHOD /path/{param}" in api/openapi.yaml's naming.
  const std::vector<std::string>& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onechain::api
