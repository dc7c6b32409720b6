#include "api/request_bodies.h"

#include <google/protobuf/util/json_util.h>

#include "api/server.h"
#include "tx.pb.h"

namespace onechain::api {

namespace {

google::protobuf::StringPiece Piece(std::string_view text) {
  return google::protobuf::StringPiece(text.data(), text.size());
}

}  // namespace

Result<std::string> EnvelopeFromBody(std::string_view body, bool json) {
  if (body.size() > kRequestBodyBytesMax) {
    return Status(pb::Status::TOO_LARGE, "the request body is larger than " +
                                             std::to_string(kRequestBodyBytesMax) + " bytes");
  }
  if (!json) return std::string(body);
  pb::SignedTx envelope;
  auto status = google::protobuf::util::JsonStringToMessage(Piece(body), &envelope);
  if (!status.ok()) {
    return Status(pb::Status::MALFORMED,
                  "the body is not JSON of a SignedTx: " + std::string(status.message()));
  }
  return envelope.SerializeAsString();
}

Result<pb::SubmitBatchRequest> BatchFromBody(std::string_view body, bool json) {
  pb::SubmitBatchRequest batch;
  if (body.size() > kBatchBodyBytesMax * 4 / 3 + 1024) {  // the server takes blobs up to 32 MiB
    return Status(pb::Status::TOO_LARGE,
                  "a batch is at most " + std::to_string(kBatchBodyBytesMax) + " bytes");
  }
  if (json) {
    auto status = google::protobuf::util::JsonStringToMessage(Piece(body), &batch);
    if (!status.ok()) {
      return Status(pb::Status::MALFORMED, "the body is not JSON of a SubmitBatchRequest: " +
                                               std::string(status.message()));
    }
  } else if (body.size() > kBatchBodyBytesMax) {
    return Status(pb::Status::TOO_LARGE,
                  "a batch is at most " + std::to_string(kBatchBodyBytesMax) + " bytes");
  } else if (!batch.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return Status(pb::Status::MALFORMED, "the body is not a SubmitBatchRequest");
  }
  if (batch.txs_size() == 0) {
    return Status(pb::Status::INVALID_ARGUMENT, "txs is empty: give at least one envelope");
  }
  if (static_cast<size_t>(batch.txs_size()) > kBatchTxsMax) {
    return Status(pb::Status::TOO_LARGE, "txs has " + std::to_string(batch.txs_size()) +
                                             " envelopes; a batch holds at most " +
                                             std::to_string(kBatchTxsMax));
  }
  return batch;
}

}  // namespace onechain::api
