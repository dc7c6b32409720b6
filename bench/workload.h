// The load of onechain-bench: the network it drives (genesis and org admin keys from the
// directory `onechain genesis new` wrote), the signer accounts it registers before the clock
// starts, and the transactions it signs in advance.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "block.pb.h"
#include "crypto/crypto.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::bench {

enum class Workload {
  kMixed,         // half self-registrations, half registrations by pipelining load admins
  kSelfRegister,  // every transaction is a fresh creditor key registering itself (nonce 1)
  kRegister,      // load admins register clerks, officers and members, nonces pipelined
};

struct Network {
  pb::Genesis genesis;
  const crypto::Suite* suite = nullptr;
  std::vector<std::unique_ptr<crypto::PrivateKey>> org_admins;  // order of genesis.orgs()
};

// Reads DIR/genesis.json and DIR/keys/<org>-admin.pem for every genesis organization.
Result<Network> LoadNetwork(const std::string& dir, const std::string& passphrase);

// An org-admin account of one of the genesis organizations, registered for the load. It signs
// registrations with consecutive nonces that the node admits while earlier ones are pending.
struct LoadAdmin {
  std::unique_ptr<crypto::PrivateKey> key;
  pb::OrgKind org_kind = pb::ORG_KIND_UNSPECIFIED;
  uint64_t next_nonce = 1;
};

// Has the genesis org admins register `count` load admins (round robin over the organizations,
// each admin's nonces pipelined), waits until every registration is committed with code OK.
Result<std::vector<LoadAdmin>> RegisterLoadAdmins(const Network& network,
                                                  const std::string& node_url, size_t count,
                                                  uint64_t valid_until_height, std::ostream& log);

struct PlannedTx {
  std::string envelope;  // serialized SignedTx, ready to POST
  std::string hash_hex;  // as the node reports it in BlockView.tx_hashes
  pb::TxBody::ActionCase action = pb::TxBody::ACTION_NOT_SET;
};

struct LoadPlan {
  std::vector<PlannedTx> txs;
  // Per connection, indexes into `txs` in send order. A signer's transactions all sit on one
  // connection in nonce order, so the node always receives them in order.
  std::vector<std::vector<uint32_t>> by_connection;
};

struct PlanOptions {
  size_t txs = 0;
  size_t connections = 0;
  Workload workload = Workload::kMixed;
  uint64_t valid_until_height = 0;
  size_t threads = 1;  // signing threads
};

// Builds and signs every transaction of the run. `admins` (needed unless the workload is
// kSelfRegister) is split over the connections: admin k belongs to connection k % connections.
LoadPlan PresignLoad(const Network& network, std::vector<LoadAdmin>& admins,
                     const PlanOptions& options);

}  // namespace onechain::bench
