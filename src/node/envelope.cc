#include "node/envelope.h"

namespace onechain::node {

Result<DecodedTx> DecodeEnvelope(std::string_view bytes) {
  if (bytes.size() > kEnvelopeBytesMax) {
    return Status(pb::Status::TOO_LARGE, "transaction of " + std::to_string(bytes.size()) +
                                             " bytes exceeds the limit of " +
                                             std::to_string(kEnvelopeBytesMax));
  }
  DecodedTx tx;
  if (!tx.envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status(pb::Status::MALFORMED, "the envelope is not a valid SignedTx message");
  }
  if (!tx.body.ParseFromString(tx.envelope.body())) {
    return Status(pb::Status::MALFORMED, "the body is not a valid TxBody message");
  }
  // Fields this node does not know could hide meaning from it: refuse them.
  if (!tx.envelope.GetReflection()->GetUnknownFields(tx.envelope).empty() ||
      !tx.body.GetReflection()->GetUnknownFields(tx.body).empty()) {
    return Status(pb::Status::MALFORMED, "the transaction carries fields this node does not know");
  }
  if (tx.body.action_case() == pb::TxBody::ACTION_NOT_SET) {
    return Status(pb::Status::MALFORMED, "the transaction carries no action");
  }
  return tx;
}

std::string SignEnvelope(const crypto::PrivateKey& key, const pb::TxBody& body) {
  pb::SignedTx envelope;
  body.SerializeToString(envelope.mutable_body());
  envelope.set_signature(key.Sign(envelope.body()));
  return envelope.SerializeAsString();
}

}  // namespace onechain::node
