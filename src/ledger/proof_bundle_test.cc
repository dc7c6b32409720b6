// Proves that proof bundles verify from the trust root alone, across a validator-set handoff,
// and that every alteration a dishonest server could make is rejected: each path hash, the index,
// the size, the roots, each certificate signature, the signer set and duplicated signers.
#include "ledger/proof_bundle.h"

#include <gtest/gtest.h>

#include "block.pb.h"
#include "ledger/log_tree.h"
#include "ledger/merkle.h"

namespace onechain::ledger {
namespace {

constexpr char kChainId[] = "test-chain";

struct Validators {
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys;
  pb::ValidatorSet set;
  explicit Validators(int n, pb::Suite suite = pb::SUITE_INTL) {
    for (int i = 0; i < n; ++i) {
      keys.push_back(std::move(crypto::GenerateKey(suite)).value());
      set.add_public_keys(keys.back()->public_key());
    }
  }
  // Signatures of the first `count` validators over `header`.
  std::string Certificate(const std::string& header, int count) const {
    pb::CertificateSignatures certificate;
    for (int i = 0; i < count; ++i) {
      auto* signature = certificate.add_signatures();
      signature->set_public_key(keys[i]->public_key());
      signature->set_signature(keys[i]->Sign(header));
    }
    return certificate.SerializeAsString();
  }
};

// A small chain: block h appends txs and writes state; headers carry both roots.
class Chain {
 public:
  explicit Chain(const crypto::Suite& suite) : suite_(suite), state_(suite, nodes_) {
    NodeWrites out;
    EXPECT_TRUE(state_.Update(0, {}, out).ok());
    nodes_.Apply(out);
  }

  pb::Checkpoint AddBlock(const std::vector<std::string>& txs, const StateWrites& writes,
                          const Validators& signers, int signer_count) {
    ++height_;
    NodeWrites out;
    LogTree log = *LogTree::Load(suite_, nodes_);
    log.Append(txs, out);
    std::string state_root = *state_.Update(height_, writes, out);
    nodes_.Apply(out);
    pb::BlockHeader header;
    header.set_chain_id(kChainId);
    header.set_height(height_);
    header.set_state_root(state_root);
    header.set_log_size(log.size());
    header.set_log_root(log.Root());
    pb::Checkpoint checkpoint;
    header.SerializeToString(checkpoint.mutable_header());
    checkpoint.set_certificate(signers.Certificate(checkpoint.header(), signer_count));
    return checkpoint;
  }

  const crypto::Suite& suite_;
  MemoryNodes nodes_;
  StateTree state_;
  uint64_t height_ = 0;
};

class ProofBundleTest : public ::testing::Test {
 protected:
  ProofBundleTest() : suite_(*crypto::GetSuite(pb::SUITE_INTL)), genesis_(4), chain_(suite_) {
    trust_.suite = &suite_;
    trust_.chain_id = kChainId;
    trust_.validators = genesis_.set;
    chain_.AddBlock({"tx0", "tx1", "tx2"}, {{"case/1", "accepted"}}, genesis_, 3);
    checkpoint_ = chain_.AddBlock({"tx3", "notice-to-creditor", "tx5", "tx6"},
                                  {{"claim/9", "filed"}}, genesis_, 3);
  }

  Status Verify(const pb::ProofBundle& bundle) {
    auto verified = VerifyProofBundle(trust_, bundle, VerifySignatureListCertificate);
    return verified.ok() ? Status::Ok() : verified.status();
  }

  pb::ProofBundle RecordBundle() {
    return *BuildRecordBundle(suite_, chain_.nodes_, 4, "notice-to-creditor", checkpoint_);
  }

  // The bundle with its checkpoint's header changed by `edit` and signed again by `signers`.
  pb::ProofBundle Resigned(pb::ProofBundle bundle,
                           const std::function<void(pb::BlockHeader&)>& edit) {
    pb::BlockHeader header;
    header.ParseFromString(bundle.checkpoint().header());
    edit(header);
    header.SerializeToString(bundle.mutable_checkpoint()->mutable_header());
    bundle.mutable_checkpoint()->set_certificate(
        genesis_.Certificate(bundle.checkpoint().header(), 3));
    return bundle;
  }

  const crypto::Suite& suite_;
  Validators genesis_;
  Chain chain_;
  TrustRoot trust_;
  pb::Checkpoint checkpoint_;
};

TEST_F(ProofBundleTest, RecordBundleVerifiesAndSurvivesArmor) {
  pb::ProofBundle bundle = RecordBundle();
  auto verified = VerifyProofBundle(trust_, bundle, VerifySignatureListCertificate);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->height, 2u);
  EXPECT_EQ(verified->leaf_index, 4u);
  auto decoded = DecodeProofBundle(ArmorProofBundle(bundle));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(Verify(*decoded).ok());
  // With only the leaf hash instead of the record.
  bundle.clear_record();
  bundle.set_leaf_hash(MerkleLeafHash(suite_, "notice-to-creditor"));
  EXPECT_TRUE(Verify(bundle).ok());
  EXPECT_LT(bundle.ByteSizeLong(), 1000u);
}

TEST_F(ProofBundleTest, EveryAlterationOfARecordBundleIsRejected) {
  const pb::ProofBundle good = RecordBundle();
  ASSERT_TRUE(Verify(good).ok());
  std::vector<std::pair<std::string, pb::ProofBundle>> altered;
  auto add = [&](std::string what, const std::function<void(pb::ProofBundle&)>& edit) {
    pb::ProofBundle bundle = good;
    edit(bundle);
    altered.emplace_back(std::move(what), std::move(bundle));
  };
  add("record", [](auto& b) { b.set_record("notice-to-creditoR"); });
  add("leaf hash beside record", [](auto& b) { b.set_leaf_hash(std::string(32, 'x')); });
  add("no record", [](auto& b) { b.clear_record(); });
  for (int i = 0; i < good.inclusion().path_size(); ++i) {
    add("path hash " + std::to_string(i),
        [i](auto& b) { (*b.mutable_inclusion()->mutable_path(i))[7] ^= 1; });
    add("path without hash " + std::to_string(i), [i](auto& b) {
      auto* path = b.mutable_inclusion()->mutable_path();
      path->erase(path->begin() + i);
    });
  }
  add("extra path hash", [](auto& b) { b.mutable_inclusion()->add_path(std::string(32, 'e')); });
  add("index + 1", [](auto& b) { b.mutable_inclusion()->set_leaf_index(5); });
  add("index - 1", [](auto& b) { b.mutable_inclusion()->set_leaf_index(3); });
  add("size", [](auto& b) { b.mutable_inclusion()->set_tree_size(6); });
  add("header log root", [&](auto& b) {
    b = Resigned(b, [](pb::BlockHeader& h) { h.set_log_root(std::string(32, 'r')); });
    // Resigned by the real validators: only the proof can catch it.
  });
  add("header log size",
      [&](auto& b) { b = Resigned(b, [](pb::BlockHeader& h) { h.set_log_size(8); }); });
  add("header without re-signing", [](auto& b) {
    pb::BlockHeader h;
    h.ParseFromString(b.checkpoint().header());
    h.set_log_root(std::string(32, 'r'));
    h.SerializeToString(b.mutable_checkpoint()->mutable_header());
  });
  add("format", [](auto& b) { b.set_format(2); });
  for (auto& [what, bundle] : altered) {
    if (what == "format") {
      EXPECT_FALSE(DecodeProofBundle(bundle.SerializeAsString()).ok());
      continue;
    }
    EXPECT_FALSE(Verify(bundle).ok()) << what;
  }
}

TEST_F(ProofBundleTest, EveryAlterationOfTheCertificateIsRejected) {
  const pb::ProofBundle good = RecordBundle();
  pb::CertificateSignatures certificate;
  certificate.ParseFromString(good.checkpoint().certificate());
  ASSERT_EQ(certificate.signatures_size(), 3);
  auto with = [&](const pb::CertificateSignatures& c) {
    pb::ProofBundle bundle = good;
    bundle.mutable_checkpoint()->set_certificate(c.SerializeAsString());
    return Verify(bundle);
  };
  for (int i = 0; i < 3; ++i) {
    pb::CertificateSignatures c = certificate;
    (*c.mutable_signatures(i)->mutable_signature())[10] ^= 1;
    EXPECT_EQ(with(c).code(), pb::Status::BAD_SIGNATURE) << "signature " << i;
    c = certificate;
    (*c.mutable_signatures(i)->mutable_public_key())[0] ^= 1;
    EXPECT_EQ(with(c).code(), pb::Status::UNKNOWN_SIGNER) << "signer " << i;
    c = certificate;
    *c.mutable_signatures(i) = c.signatures((i + 1) % 3);
    EXPECT_FALSE(with(c).ok()) << "duplicated signer " << i;
    c = certificate;
    c.mutable_signatures()->erase(c.mutable_signatures()->begin() + i);
    EXPECT_FALSE(with(c).ok()) << "without signer " << i;
  }
  // A foreign key with a valid signature of its own.
  Validators outsider(1);
  pb::CertificateSignatures c = certificate;
  c.mutable_signatures(2)->set_public_key(outsider.keys[0]->public_key());
  c.mutable_signatures(2)->set_signature(outsider.keys[0]->Sign(good.checkpoint().header()));
  EXPECT_EQ(with(c).code(), pb::Status::UNKNOWN_SIGNER);
  // The genesis validator set altered in the trust root.
  TrustRoot other = trust_;
  other.validators.set_public_keys(0, outsider.keys[0]->public_key());
  EXPECT_FALSE(VerifyProofBundle(other, good, VerifySignatureListCertificate).ok());
  other = trust_;
  other.chain_id = "another-chain";
  EXPECT_EQ(VerifyProofBundle(other, good, VerifySignatureListCertificate).status().code(),
            pb::Status::WRONG_CHAIN);
}

TEST_F(ProofBundleTest, StateBundlesProveValuesAndAbsence) {
  auto present = BuildStateBundle(suite_, chain_.nodes_, "claim/9", "filed", checkpoint_);
  ASSERT_TRUE(present.ok());
  auto verified = VerifyProofBundle(trust_, *present, VerifySignatureListCertificate);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_TRUE(verified->is_state);
  EXPECT_EQ(verified->value, "filed");
  auto absent = BuildStateBundle(suite_, chain_.nodes_, "claim/10", std::nullopt, checkpoint_);
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(Verify(*absent).ok());
  pb::ProofBundle lie = *present;
  lie.mutable_state()->set_value("withdrawn");
  EXPECT_FALSE(Verify(lie).ok());
  lie = *absent;
  lie.mutable_state()->set_value("filed");
  EXPECT_FALSE(Verify(lie).ok());
  lie = *present;
  lie.mutable_state()->clear_value();
  EXPECT_FALSE(Verify(lie).ok());
  for (int i = 0; i < present->state().siblings_size(); ++i) {
    lie = *present;
    std::string& sibling = *lie.mutable_state()->mutable_siblings(i);
    sibling = sibling.empty() ? std::string(32, 's') : sibling.substr(1) + "s";
    EXPECT_FALSE(Verify(lie).ok()) << "sibling " << i;
  }
}

TEST_F(ProofBundleTest, CheckpointsAfterAValidatorHandoffNeedTheNewSet) {
  Validators next(7);
  pb::Checkpoint handoff_checkpoint = chain_.AddBlock(
      {"rotate"}, {{kValidatorSetStateKey, next.set.SerializeAsString()}}, genesis_, 3);
  pb::Checkpoint later = chain_.AddBlock({"after"}, {{"case/1", "closed"}}, next, 5);
  auto bundle = BuildRecordBundle(suite_, chain_.nodes_, 8, "after", later);
  ASSERT_TRUE(bundle.ok());
  // Without the handoff the verifier holds the genesis set, which did not sign.
  EXPECT_FALSE(Verify(*bundle).ok());
  pb::ValidatorHandoff* handoff = bundle->add_handoffs();
  *handoff->mutable_checkpoint() = handoff_checkpoint;
  StateProof proof = *chain_.state_.Prove(3, kValidatorSetStateKey);
  *handoff->mutable_next_validators() =
      StateInclusionMessage(kValidatorSetStateKey, next.set.SerializeAsString(), proof);
  auto verified = VerifyProofBundle(trust_, *bundle, VerifySignatureListCertificate);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->handoffs, 1u);
  // A forged next set in the handoff fails its state proof.
  Validators forged(7);
  pb::ProofBundle bad = *bundle;
  bad.mutable_handoffs(0)->mutable_next_validators()->set_value(forged.set.SerializeAsString());
  EXPECT_FALSE(Verify(bad).ok());
  // The handoff block signed by too few of the genesis set.
  bad = *bundle;
  bad.mutable_handoffs(0)->mutable_checkpoint()->set_certificate(
      genesis_.Certificate(handoff_checkpoint.header(), 2));
  EXPECT_FALSE(Verify(bad).ok());
  // A quorum of 5 of 7 is needed after the handoff; 4 is not enough.
  bad = *bundle;
  bad.mutable_checkpoint()->set_certificate(next.Certificate(later.header(), 4));
  EXPECT_FALSE(Verify(bad).ok());
  // The handoff repeated.
  bad = *bundle;
  *bad.add_handoffs() = bad.handoffs(0);
  EXPECT_FALSE(Verify(bad).ok());
}

TEST(Base64, RoundTripsAndRefusesJunk) {
  for (std::string data :
       {std::string(), std::string("a"), std::string("ab"), std::string("\x00\xff\x10", 3)}) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(data)), data);
  }
  EXPECT_EQ(DecodeBase64("YWJj\nZA=="), "abcd");
  EXPECT_FALSE(DecodeBase64("YW*j").has_value());
  EXPECT_FALSE(DecodeBase64("YWJ").has_value());
}

}  // namespace
}  // namespace onechain::ledger
