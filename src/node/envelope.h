// Encoding and decoding of the transaction envelope (proto/tx.proto). The signature covers the
// exact body bytes; the transaction hash is the suite hash of those bytes.
#pragma once

#include <string>
#include <string_view>

#include "crypto/crypto.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::node {

inline constexpr size_t kEnvelopeBytesMax = 64 * 1024;

struct DecodedTx {
  pb::SignedTx envelope;
  pb::TxBody body;
};

// Decodes and bounds an envelope; checks nothing about the signer or the chain.
// Codes: TOO_LARGE, MALFORMED.
Result<DecodedTx> DecodeEnvelope(std::string_view bytes);

// Serializes `body`, signs the bytes with `key` and returns the serialized SignedTx.
std::string SignEnvelope(const crypto::PrivateKey& key, const pb::TxBody& body);

inline std::string TxHash(const crypto::Suite& suite, const pb::SignedTx& envelope) {
  return suite.Hash(envelope.body());
}

}  // namespace onechain::node
