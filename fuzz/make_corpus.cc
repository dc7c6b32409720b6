// Writes the seed corpora of every fuzz target from real encodings made with the code under test:
//   fuzz_make_corpus DIR    (DIR is fuzz/corpus; one subdirectory per target)
// Every seed is named by the SHA-256 of its bytes, as libFuzzer names the inputs it keeps, so a
// second run rewrites the same files. Signatures come from the fixed keys of fixtures.h.
#include <google/protobuf/util/json_util.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/request_auth.h"
#include "consensus/encoding.h"
#include "events.pb.h"
#include "fuzz/fixtures.h"
#include "ledger/log_tree.h"
#include "ledger/proof_bundle.h"
#include "net/frame.h"
#include "net/tls.h"
#include "node/bft_driver.h"
#include "node/envelope.h"
#include "node/chain.h"
#include "node/genesis.h"
#include "node/snapshot.h"
#include "util/bytes.h"

namespace onechain::fuzz {
namespace {

std::filesystem::path g_root;

void Seed(const std::string& target, std::string_view bytes) {
  const std::filesystem::path dir = g_root / target;
  std::filesystem::create_directories(dir);
  const std::string name = ToHex(GetFixture().params.suite->Hash(bytes)).substr(0, 40);
  std::ofstream(dir / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out);
  return out;
}

// Signed transactions of a few kinds from the fixture's client account.
std::vector<std::string> Envelopes() {
  const Fixture& f = GetFixture();
  std::vector<std::string> out;
  pb::TxBody body;
  body.set_chain_id(f.genesis.chain_id());
  body.set_suite(pb::SUITE_INTL);
  body.set_signer(f.client->public_key());
  body.set_nonce(1);
  body.set_valid_until_height(100);
  pb::RegisterAccount& reg = *body.mutable_register_account();
  reg.set_public_key(f.keys[2]->public_key());
  reg.add_roles(pb::Role(1));
  reg.set_display_name("清算组 administrator");
  out.push_back(node::SignEnvelope(*f.client, body));
  body.set_nonce(2);
  pb::AcceptCase& accept = *body.mutable_accept_case();
  accept.set_case_number("(2026)京01破1号");
  accept.set_debtor_name("某某有限公司");
  accept.set_debtor_credit_code("91110000100000000X");
  accept.set_acceptance_date("2026-03-01");
  out.push_back(node::SignEnvelope(*f.client, body));
  return out;
}

pb::Block LedgerBlock(const std::vector<std::string>& envelopes) {
  const Fixture& f = GetFixture();
  pb::BlockHeader header;
  header.set_chain_id(f.genesis.chain_id());
  header.set_height(1);
  header.set_prev_hash(f.genesis_hash);
  header.set_time_ms(f.genesis.genesis_time_ms() + 1000);
  header.set_tx_count(static_cast<uint32_t>(envelopes.size()));
  header.set_proposer(f.keys[1]->public_key());
  pb::Block block;
  header.SerializeToString(block.mutable_header());
  for (const std::string& e : envelopes) block.add_txs(e);
  block.set_proposer_signature(f.keys[1]->Sign(block.header()));
  return block;
}

void EnvelopeAndBlockSeeds() {
  const std::vector<std::string> envelopes = Envelopes();
  for (const std::string& e : envelopes) Seed("envelope", e);
  Seed("block", LedgerBlock(envelopes).SerializeAsString());
  pb::Block batch;  // a relayed batch: envelopes only
  for (const std::string& e : envelopes) batch.add_txs(e);
  Seed("block", batch.SerializeAsString());
}

// A short history: block 1 on genesis, its QC, block 2, a timeout in round 3, its TC, and a
// proposal in round 4 that carries the TC.
void ConsensusSeeds() {
  const Fixture& f = GetFixture();
  const consensus::ChainParams& params = f.params;
  auto info_of = [&](const pb::ConsensusBlock& block, uint64_t height) {
    pb::BlockInfo info;
    info.set_round(block.round());
    info.set_height(height);
    info.set_id(consensus::BlockId(params, block));
    info.set_time_ms(block.time_ms());
    info.set_state_root(params.suite->Hash("fuzz-state-" + std::to_string(height)));
    return info;
  };
  auto make_block = [&](uint64_t round, const pb::QuorumCert& qc) {
    pb::ConsensusBlock block;
    block.set_round(round);
    block.set_time_ms(qc.vote_data().proposed().time_ms() + 1000);
    block.set_proposer(params.LeaderOf(round));
    *block.mutable_qc() = qc;
    block.add_batches(LedgerBlock({}).SerializeAsString());
    block.set_signature(f.keys[block.proposer()]->Sign(consensus::BlockId(params, block)));
    return block;
  };
  auto seed = [&](const char* target, const google::protobuf::Message& inner) {
    Seed(target, inner.SerializeAsString());
  };

  const pb::QuorumCert genesis_qc = consensus::GenesisQc(params.genesis);
  const pb::ConsensusBlock b1 = make_block(1, genesis_qc);
  pb::Vote vote;
  *vote.mutable_vote_data()->mutable_proposed() = info_of(b1, 1);
  *vote.mutable_vote_data()->mutable_parent() = params.genesis;
  pb::QuorumCert qc1;
  *qc1.mutable_vote_data() = vote.vote_data();
  const std::string digest = consensus::VoteDigest(params, vote.vote_data());
  for (uint32_t s = 0; s < 3; ++s) {
    pb::ValidatorSignature& sig = *qc1.add_signatures();
    sig.set_signer(s);
    sig.set_signature(f.keys[s]->Sign(digest));
  }
  vote.set_signer(2);
  vote.set_signature(f.keys[2]->Sign(digest));
  const pb::ConsensusBlock b2 = make_block(2, qc1);

  pb::Proposal p1;
  *p1.mutable_block() = b1;
  seed("consensus_proposal", p1);
  pb::Proposal p2;
  *p2.mutable_block() = b2;
  seed("consensus_proposal", p2);
  seed("consensus_vote", vote);

  pb::Timeout timeout;
  timeout.set_round(3);
  timeout.set_signer(1);
  *timeout.mutable_high_qc() = qc1;
  timeout.set_signature(f.keys[1]->Sign(consensus::TimeoutDigest(params, 3, 1)));
  seed("consensus_timeout", timeout);
  pb::TimeoutCert tc;
  tc.set_round(3);
  for (uint32_t s = 1; s < 4; ++s) {
    pb::TimeoutSignature& sig = *tc.add_signatures();
    sig.set_signer(s);
    sig.set_high_qc_round(1);
    sig.set_signature(f.keys[s]->Sign(consensus::TimeoutDigest(params, 3, 1)));
  }
  pb::Proposal p4;
  *p4.mutable_block() = make_block(4, qc1);
  *p4.mutable_last_round_tc() = tc;
  seed("consensus_proposal", p4);
  pb::Timeout timeout4 = timeout;
  timeout4.set_round(4);
  *timeout4.mutable_last_round_tc() = tc;
  timeout4.set_signature(f.keys[1]->Sign(consensus::TimeoutDigest(params, 4, 1)));
  seed("consensus_timeout", timeout4);

  pb::BlockRequest request;
  request.set_block_id(consensus::BlockId(params, b2));
  request.set_count(2);
  seed("consensus_block_request", request);
  pb::BlockResponse response;
  *response.add_blocks() = b2;
  *response.add_blocks() = b1;
  seed("consensus_block_response", response);

  // A peer's stream: hello, ping, a proposal, a relayed transaction and a relayed batch.
  pb::ConsensusMessage message;
  *message.mutable_proposal() = p2;
  const std::vector<std::string> envelopes = Envelopes();
  pb::Block batch;
  for (const std::string& e : envelopes) batch.add_txs(e);
  const net::HelloFields hello{.chain_id = f.genesis.chain_id(),
                               .genesis_hash = f.genesis_hash,
                               .index = 1,
                               .tls_binding = std::string(net::kTlsBindingBytes, 'b'),
                               .dialer = true};
  std::string stream;
  uint64_t sequence = 0;
  auto frame = [&](net::MessageType type, std::string_view payload) {
    std::string bytes = net::EncodeFrame(type, payload);
    net::StampSequence(bytes, ++sequence);
    stream += bytes;
  };
  frame(net::kHelloType, net::BuildHello(hello, *f.keys[1]));
  Seed("net_frame", stream);
  frame(net::kPingType, "");
  frame(node::kConsensusMessage, consensus::EncodeMessage(message));
  frame(node::kTxRelayMessage, envelopes[0]);
  frame(node::kTxBatchRelayMessage, batch.SerializeAsString());
  Seed("net_frame", stream);
}

pb::Checkpoint Certified(const pb::BlockHeader& header) {
  const Fixture& f = GetFixture();
  pb::Checkpoint checkpoint;
  header.SerializeToString(checkpoint.mutable_header());
  pb::CertificateSignatures certificate;
  for (size_t i = 0; i < 3; ++i) {
    pb::KeyedSignature& signature = *certificate.add_signatures();
    signature.set_public_key(f.keys[i]->public_key());
    signature.set_signature(f.keys[i]->Sign(checkpoint.header()));
  }
  checkpoint.set_certificate(certificate.SerializeAsString());
  return checkpoint;
}

void ProofBundleSeeds() {
  const Fixture& f = GetFixture();
  const crypto::Suite& suite = *f.params.suite;
  std::vector<pb::ProofBundle> bundles;

  ledger::MemoryNodes log_nodes;
  Result<ledger::LogTree> log = ledger::LogTree::Load(suite, log_nodes);
  const std::vector<std::string> records = Envelopes();
  std::vector<std::string> leaves = {records[0], records[1], "third", "fourth", "fifth"};
  ledger::NodeWrites writes;
  log->Append(leaves, writes);
  log_nodes.Apply(writes);
  pb::BlockHeader header;
  header.set_chain_id(f.genesis.chain_id());
  header.set_height(1);
  header.set_log_size(log->size());
  header.set_log_root(log->Root());
  Result<pb::ProofBundle> record =
      ledger::BuildRecordBundle(suite, log_nodes, 1, records[1], Certified(header));
  if (record.ok()) bundles.push_back(*record);

  ledger::MemoryNodes state_nodes;
  ledger::StateTree tree(suite, state_nodes);
  ledger::StateWrites state;
  state["case/1"] = std::string("accepted");
  state["claim/1/7"] = std::string(40, 'v');
  ledger::NodeWrites out;
  Result<std::string> root = tree.Update(0, state, out);
  state_nodes.Apply(out);
  pb::BlockHeader state_header;
  state_header.set_chain_id(f.genesis.chain_id());
  state_header.set_height(0);
  if (root.ok()) state_header.set_state_root(*root);
  for (const char* key : {"case/1", "case/2"}) {
    std::optional<std::string> value;
    if (auto it = state.find(key); it != state.end()) value = it->second;
    Result<pb::ProofBundle> bundle =
        ledger::BuildStateBundle(suite, state_nodes, key, value, Certified(state_header));
    if (bundle.ok()) bundles.push_back(*bundle);
  }
  for (const pb::ProofBundle& bundle : bundles) {
    Seed("proof_bundle_binary", bundle.SerializeAsString());
    Seed("proof_bundle_text", ledger::ArmorProofBundle(bundle));
  }
  if (bundles.size() != 3) std::cerr << "some proof bundles could not be built\n";
}

void RestSeeds() {
  const Fixture& f = GetFixture();
  const std::vector<std::string> envelopes = Envelopes();
  auto seed = [](char route, std::string_view body) { Seed("rest_body", std::string(1, route) + std::string(body)); };
  pb::SignedTx tx;
  tx.ParseFromString(envelopes[0]);
  seed(0, Json(tx));
  seed(1, envelopes[0]);
  pb::SubmitBatchRequest batch;
  for (const std::string& e : envelopes) batch.add_txs(e);
  seed(2, Json(batch));
  seed(3, batch.SerializeAsString());
  pb::WebhookRequest hook;
  hook.set_url("https://court.example/hooks/onechain");
  seed(4, Json(hook));
  const std::string body = "";
  const api::SignatureHeaders headers = api::SignRequest(
      *f.client, {.method = "GET", .path = "/v1/me", .query = "", .body = body}, 1'700'000'000,
      "fuzzseednonce0001");
  seed(5, headers.content_digest + "\n" + headers.signature_input + "\n" + headers.signature + "\n" +
              body);
}

void GenesisSeeds() {
  const Fixture& f = GetFixture();
  Seed("genesis", node::GenesisJson(f.genesis));
  pb::Genesis sm = f.genesis;
  sm.set_chain_id("fuzz-chain-params");
  sm.mutable_params()->set_claim_period_min_days(30);
  sm.mutable_params()->set_claim_period_max_days(90);
  Seed("genesis", node::GenesisJson(sm));
}

// A snapshot of a chain of the fixture's genesis at height 2, certified and QC'd by three
// validators as the BFT driver keeps them.
void SnapshotSeeds() {
  const Fixture& f = GetFixture();
  const crypto::Suite& suite = *f.params.suite;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("onechain-make-corpus-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "bft" / "checkpoints");
  {
    auto chain = node::Chain::Open((dir / "data").string(), f.genesis);
    if (!chain.ok()) {
      std::cerr << "snapshot seed: " << chain.status().ToString() << "\n";
      return;
    }
    std::vector<mempool::PendingTx> txs;
    for (const std::string& envelope : Envelopes()) {
      Result<node::DecodedTx> decoded = node::DecodeEnvelope(envelope);
      mempool::PendingTx tx;
      tx.hash = node::TxHash(suite, decoded->envelope);
      tx.envelope = envelope;
      tx.body = decoded->body;
      txs.push_back(std::move(tx));
    }
    const int64_t t = f.genesis.genesis_time_ms();
    (void)(*chain)->Commit((*chain)->ExecuteOrdered(txs, t + 1000, f.keys[0]->public_key()));
    (void)(*chain)->Commit((*chain)->ExecuteOrdered({}, t + 2000, f.keys[1]->public_key()));
    pb::Block block;
    block.ParseFromString(*(*(*chain)->store().GetBlock(2)));
    pb::BlockHeader header;
    header.ParseFromString(block.header());
    (void)node::WriteFile((dir / "bft" / "checkpoints" / "2").string(),
                          Certified(header).certificate());
    pb::QuorumCert qc;
    pb::BlockInfo& proposed = *qc.mutable_vote_data()->mutable_proposed();
    proposed.set_round(2);
    proposed.set_height(2);
    proposed.set_id(suite.Hash("block 2"));
    proposed.set_time_ms(t + 2000);
    proposed.set_state_root(suite.Hash("order 2"));
    pb::BlockInfo& parent = *qc.mutable_vote_data()->mutable_parent();
    parent = proposed;
    parent.set_round(1);
    parent.set_height(1);
    parent.set_id(suite.Hash("block 1"));
    const std::string digest = consensus::VoteDigest(f.params, qc.vote_data());
    for (uint32_t i = 0; i < 3; ++i) {
      pb::ValidatorSignature& sig = *qc.add_signatures();
      sig.set_signer(i);
      sig.set_signature(f.keys[i]->Sign(digest));
    }
    (void)node::WriteFile((dir / "bft" / "root.qc").string(), qc.SerializeAsString());
    auto snapshot = node::SnapshotOf((*chain)->store(), (dir / "bft").string());
    if (!snapshot.ok() || !snapshot->has_value()) {
      std::cerr << "no snapshot seed: " << snapshot.status().ToString() << "\n";
    } else if (auto verified = node::VerifySnapshot(f.genesis, **snapshot); !verified.ok()) {
      std::cerr << "the snapshot seed does not verify: " << verified.status().ToString() << "\n";
    } else {
      Seed("snapshot", node::EncodeSnapshot(**snapshot));
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onechain::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_corpus DIR\n";
    return 2;
  }
  onechain::fuzz::g_root = argv[1];
  onechain::fuzz::EnvelopeAndBlockSeeds();
  onechain::fuzz::ConsensusSeeds();
  onechain::fuzz::ProofBundleSeeds();
  onechain::fuzz::RestSeeds();
  onechain::fuzz::GenesisSeeds();
  onechain::fuzz::SnapshotSeeds();
  return 0;
}
