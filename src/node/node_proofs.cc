// Node's part in the proofs of issue 5 under BFT: which certificates the API serves.
#include "node/bft_driver.h"
#include "node/checkpoint_certifier.h"
#include "node/node.h"

namespace onechain::node {

const CheckpointCertifier* Node::checkpoint_certifier() const {
  return bft_ ? &bft_->certifier() : nullptr;
}

}  // namespace onechain::node
