#include "bench/workload.h"

#include <google/protobuf/util/json_util.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "api.pb.h"
#include "bench/http.h"
#include "cli/client.h"
#include "node/genesis.h"
#include "tx.pb.h"
#include "util/bytes.h"

namespace onechain::bench {

namespace {

constexpr size_t kKeyFileBytesMax = 64 * 1024;
constexpr int kCommitWaitRounds = 10;  // of the node's 30 s wait each

template <typename T>
Result<T> ParseJson(const std::string& json) {
  T message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  if (!status.ok()) {
    return Status(pb::Status::MALFORMED, "unexpected reply: " + std::string(status.message()));
  }
  return message;
}

// The same bytes node::SignEnvelope produces, keeping the body bytes to hash them once.
PlannedTx Sign(const crypto::Suite& suite, const crypto::PrivateKey& key, const pb::TxBody& body) {
  PlannedTx out;
  pb::SignedTx envelope;
  body.SerializeToString(envelope.mutable_body());
  envelope.set_signature(key.Sign(envelope.body()));
  out.envelope = envelope.SerializeAsString();
  out.hash_hex = ToHex(suite.Hash(envelope.body()));
  out.action = body.action_case();
  return out;
}

pb::TxBody BodyFor(const Network& network, const crypto::PrivateKey& signer, uint64_t nonce,
                   uint64_t valid_until_height) {
  pb::TxBody body;
  body.set_chain_id(network.genesis.chain_id());
  body.set_suite(network.genesis.suite());
  body.set_signer(signer.public_key());
  body.set_nonce(nonce);
  body.set_valid_until_height(valid_until_height);
  return body;
}

// A role an org admin of `kind` may grant, varied by `i`.
pb::Role MemberRole(pb::OrgKind kind, size_t i) {
  switch (kind) {
    case pb::ORG_KIND_COURT:
      return i % 2 == 0 ? pb::ROLE_CLERK : pb::ROLE_JUDGE;
    case pb::ORG_KIND_ADMINISTRATORS_ASSOCIATION:
    case pb::ORG_KIND_ADMINISTRATOR_FIRM:
      return pb::ROLE_ADMINISTRATOR_MEMBER;
    default:
      return pb::ROLE_DEPARTMENT_OFFICER;
  }
}

std::unique_ptr<crypto::PrivateKey> NewKey(pb::Suite suite) {
  Result<std::unique_ptr<crypto::PrivateKey>> key = crypto::GenerateKey(suite);
  if (!key.ok()) {
    std::fprintf(stderr, "key generation failed: %s\n", key.status().ToString().c_str());
    std::abort();
  }
  return std::move(*key);
}

Result<uint64_t> CommittedNonce(HttpConnection& client, const crypto::PrivateKey& key) {
  Result<std::string> json = GetJson(client, "/v1/keys/" + ToHex(key.public_key()));
  if (!json.ok()) return json.status();
  Result<pb::Account> account = ParseJson<pb::Account>(*json);
  if (!account.ok()) return account.status();
  return account->nonce();
}

Result<pb::TxStatus> TxStatusOf(HttpConnection& client, const std::string& hash_hex,
                                int64_t wait_ms) {
  Result<std::string> json =
      GetJson(client, "/v1/tx/" + hash_hex + "?wait_ms=" + std::to_string(wait_ms));
  if (!json.ok()) return json.status();
  return ParseJson<pb::TxStatus>(*json);
}

// Waits until every transaction in `hashes` is committed with code OK.
Status WaitCommittedOk(HttpConnection& client, const std::vector<std::string>& hashes) {
  for (const std::string& hash : hashes) {
    for (int round = 0;; ++round) {
      Result<pb::TxStatus> status = TxStatusOf(client, hash, 30'000);
      if (!status.ok()) return status.status();
      if (status->state() == pb::TxStatus::COMMITTED && status->code() == pb::Status::OK) break;
      if (status->state() != pb::TxStatus::PENDING || round == kCommitWaitRounds) {
        return Status(pb::Status::FAILED_PRECONDITION,
                      "setup transaction " + hash + " ended " +
                          pb::TxStatus::State_Name(status->state()) + " " +
                          pb::Status::Code_Name(status->code()) + ": " + status->message());
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Network> LoadNetwork(const std::string& dir, const std::string& passphrase) {
  Network network;
  std::filesystem::path root(dir);
  Result<pb::Genesis> genesis = node::LoadGenesisFile((root / "genesis.json").string());
  if (!genesis.ok()) return genesis.status();
  network.genesis = std::move(*genesis);
  network.suite = crypto::GetSuite(network.genesis.suite());
  if (network.suite == nullptr) {
    return Status(pb::Status::INVALID_ARGUMENT, dir + "/genesis.json names no known suite");
  }
  for (const pb::GenesisOrg& org : network.genesis.orgs()) {
    std::string path = (root / "keys" / (org.id() + "-admin.pem")).string();
    Result<std::string> pem = node::ReadFile(path, kKeyFileBytesMax);
    if (!pem.ok()) return pem.status();
    Result<std::unique_ptr<crypto::PrivateKey>> key = crypto::PrivateKeyFromPem(*pem, passphrase);
    if (!key.ok()) return Status(key.status().code(), path + ": " + key.status().message());
    if ((*key)->public_key() != org.admin_public_key()) {
      return Status(pb::Status::INVALID_ARGUMENT, path + " is not the admin key in genesis");
    }
    network.org_admins.push_back(std::move(*key));
  }
  if (network.org_admins.empty()) {
    return Status(pb::Status::INVALID_ARGUMENT, "genesis has no organization to register signers");
  }
  return network;
}

Result<std::vector<LoadAdmin>> RegisterLoadAdmins(const Network& network,
                                                  const std::string& node_url, size_t count,
                                                  uint64_t valid_until_height, std::ostream& log) {
  // Quick ACKs: setup is not measured, and the node's two-segment replies would cost ~40 ms each.
  HttpConnection client(node_url, /*quick_ack=*/true);
  const size_t orgs = network.org_admins.size();
  std::vector<uint64_t> nonces(orgs);
  for (size_t o = 0; o < orgs; ++o) {
    Result<uint64_t> nonce = CommittedNonce(client, *network.org_admins[o]);
    if (!nonce.ok()) return nonce.status();
    nonces[o] = *nonce;
  }
  std::vector<LoadAdmin> admins(count);
  std::vector<std::string> last_hash(orgs);
  std::vector<std::string> hashes;
  for (size_t k = 0; k < count; ++k) {
    size_t o = k % orgs;
    const pb::GenesisOrg& org = network.genesis.orgs(static_cast<int>(o));
    admins[k].key = NewKey(network.genesis.suite());
    admins[k].org_kind = org.kind();
    pb::TxBody body = BodyFor(network, *network.org_admins[o], ++nonces[o], valid_until_height);
    pb::RegisterAccount* action = body.mutable_register_account();
    action->set_public_key(admins[k].key->public_key());
    action->add_roles(pb::ROLE_ORG_ADMIN);
    action->set_display_name("load admin " + std::to_string(k) + " of " + org.id());
    PlannedTx tx = Sign(*network.suite, *network.org_admins[o], body);
    Result<HttpResponse> reply = client.Post("/v1/tx", "application/x-protobuf", tx.envelope);
    if (!reply.ok()) return reply.status();
    if (reply->status != 202) return cli::StatusFromErrorBody({reply->status, reply->body});
    hashes.push_back(tx.hash_hex);
  }
  log << "registering " << count << " load admins over " << orgs << " organizations...\n";
  if (Status st = WaitCommittedOk(client, hashes); !st.ok()) return st;
  return admins;
}

LoadPlan PresignLoad(const Network& network, std::vector<LoadAdmin>& admins,
                     const PlanOptions& options) {
  // Decide every transaction's signer and nonce in send order, then sign in parallel.
  struct Slot {
    int64_t admin = -1;  // -1: a fresh key registers itself
    uint64_t nonce = 1;
  };
  const size_t connections = options.connections;
  LoadPlan plan;
  plan.txs.resize(options.txs);
  plan.by_connection.resize(connections);
  std::vector<Slot> slots(options.txs);
  std::vector<size_t> next_admin_turn(connections, 0);  // per connection, round robin
  for (size_t i = 0; i < options.txs; ++i) {
    size_t c = i % connections;
    size_t round = i / connections;
    bool self_register = options.workload == Workload::kSelfRegister ||
                         (options.workload == Workload::kMixed && round % 2 == 0);
    if (!self_register) {
      // Admin k belongs to connection k % connections.
      size_t owned = (admins.size() - c + connections - 1) / connections;
      size_t k = c + (next_admin_turn[c]++ % owned) * connections;
      slots[i].admin = static_cast<int64_t>(k);
      slots[i].nonce = admins[k].next_nonce++;
    }
    plan.by_connection[c].push_back(static_cast<uint32_t>(i));
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < options.txs; i = next++) {
      auto fresh = NewKey(network.genesis.suite());
      if (slots[i].admin < 0) {
        pb::TxBody body = BodyFor(network, *fresh, 1, options.valid_until_height);
        pb::SelfRegister* action = body.mutable_self_register();
        action->set_display_name("Bench Creditor " + std::to_string(i));
        action->set_party_kind(i % 2 == 0 ? pb::PARTY_KIND_PERSON : pb::PARTY_KIND_FIRM);
        action->set_id_number("BENCH" + std::to_string(i));
        plan.txs[i] = Sign(*network.suite, *fresh, body);
      } else {
        const LoadAdmin& admin = admins[static_cast<size_t>(slots[i].admin)];
        pb::TxBody body = BodyFor(network, *admin.key, slots[i].nonce, options.valid_until_height);
        pb::RegisterAccount* action = body.mutable_register_account();
        action->set_public_key(fresh->public_key());
        action->add_roles(MemberRole(admin.org_kind, i));
        action->set_display_name("Bench Member " + std::to_string(i));
        plan.txs[i] = Sign(*network.suite, *admin.key, body);
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::max<size_t>(1, options.threads); ++t) threads.emplace_back(worker);
  for (std::thread& thread : threads) thread.join();
  return plan;
}

}  // namespace onechain::bench
