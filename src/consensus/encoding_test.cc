// Proves that the signed bytes bind every field they should (and only those), and that decoding
// refuses oversized, undecodable and out-of-shape messages with the right code.
#include "consensus/encoding.h"

#include <gtest/gtest.h>

#include "consensus/limits.h"
#include "consensus/test_util.h"

namespace onechain::consensus {
namespace {

using testing::TestChain;

TEST(Encoding, BlockIdBindsEveryFieldButTheSignature) {
  TestChain chain(4);
  const pb::ConsensusBlock block = chain.Block(1, GenesisQc(chain.params.genesis));
  const std::string id = BlockId(chain.params, block);
  pb::ConsensusBlock other = block;
  other.set_signature(std::string(64, 'x'));
  EXPECT_EQ(BlockId(chain.params, other), id);
  other = block;
  other.set_round(2);
  EXPECT_NE(BlockId(chain.params, other), id);
  other = block;
  other.set_time_ms(block.time_ms() + 1);
  EXPECT_NE(BlockId(chain.params, other), id);
  other = block;
  other.set_proposer(3);
  EXPECT_NE(BlockId(chain.params, other), id);
  other = block;
  other.set_batches(0, "ty");
  EXPECT_NE(BlockId(chain.params, other), id);
  other = block;
  other.add_batches("");  // an empty batch still counts
  EXPECT_NE(BlockId(chain.params, other), id);
  other = block;
  other.mutable_qc()->mutable_vote_data()->mutable_proposed()->set_state_root(
      chain.params.suite->Hash("other root"));
  EXPECT_NE(BlockId(chain.params, other), id);
  ChainParams other_chain = chain.params;
  other_chain.chain_id = "another-chain";
  EXPECT_NE(BlockId(other_chain, block), id);
}

TEST(Encoding, VoteAndTimeoutDigestsAreDomainSeparated) {
  TestChain chain(4);
  pb::VoteData data;
  *data.mutable_proposed() = chain.Info(1, 1, "a");
  *data.mutable_parent() = chain.params.genesis;
  ChainParams other_chain = chain.params;
  other_chain.chain_id = "another-chain";
  EXPECT_NE(VoteDigest(chain.params, data), VoteDigest(other_chain, data));
  EXPECT_NE(TimeoutDigest(chain.params, 5, 3), TimeoutDigest(chain.params, 5, 4));
  EXPECT_NE(TimeoutDigest(chain.params, 5, 3), TimeoutDigest(other_chain, 5, 3));
}

TEST(Encoding, DecodeAcceptsAWellFormedProposal) {
  TestChain chain(4);
  pb::ConsensusMessage message;
  *message.mutable_proposal()->mutable_block() = chain.Block(1, GenesisQc(chain.params.genesis));
  Result<pb::ConsensusMessage> decoded = DecodeMessage(chain.params, EncodeMessage(message));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->proposal().block().round(), 1u);
}

TEST(Encoding, DecodeRefusesBadInput) {
  TestChain chain(4);
  auto code_of = [&](const std::string& bytes) {
    Result<pb::ConsensusMessage> decoded = DecodeMessage(chain.params, bytes);
    return decoded.ok() ? pb::Status::OK : decoded.status().code();
  };
  auto encoded = [](const pb::ConsensusMessage& m) { return EncodeMessage(m); };
  EXPECT_EQ(code_of(std::string(kMessageBytesMax + 1, '\n')), pb::Status::TOO_LARGE);
  EXPECT_EQ(code_of("\xff\xff\xff"), pb::Status::MALFORMED);
  EXPECT_EQ(code_of(""), pb::Status::MALFORMED);  // no kind

  pb::ConsensusMessage good;
  *good.mutable_proposal()->mutable_block() = chain.Block(1, GenesisQc(chain.params.genesis));

  pb::ConsensusMessage m = good;
  m.mutable_proposal()->mutable_block()->set_proposer(4);
  EXPECT_EQ(code_of(encoded(m)), pb::Status::MALFORMED);
  m = good;
  m.mutable_proposal()->mutable_block()->set_signature("short");
  EXPECT_EQ(code_of(encoded(m)), pb::Status::MALFORMED);
  m = good;
  m.mutable_proposal()->mutable_block()->set_round(0);  // not above its QC
  EXPECT_EQ(code_of(encoded(m)), pb::Status::MALFORMED);
  m = good;
  for (size_t i = 0; i < kBlockBatchesMax; ++i) m.mutable_proposal()->mutable_block()->add_batches("x");
  EXPECT_EQ(code_of(encoded(m)), pb::Status::TOO_LARGE);
  m = good;
  m.mutable_proposal()->mutable_block()->set_batches(0, std::string(kBatchBytesMax + 1, 'x'));
  EXPECT_EQ(code_of(encoded(m)), pb::Status::TOO_LARGE);
  m = good;
  m.mutable_proposal()->mutable_block()->mutable_qc()->mutable_vote_data()->mutable_proposed()->set_id("x");
  EXPECT_EQ(code_of(encoded(m)), pb::Status::MALFORMED);
  m = good;
  for (int i = 0; i < 5; ++i) {
    pb::ValidatorSignature& s = *m.mutable_proposal()->mutable_block()->mutable_qc()->add_signatures();
    s.set_signer(0);
    s.set_signature(std::string(64, 's'));
  }
  EXPECT_EQ(code_of(encoded(m)), pb::Status::TOO_LARGE);  // more signatures than validators

  pb::ConsensusMessage request;
  request.mutable_block_request()->set_block_id(std::string(32, 'i'));
  request.mutable_block_request()->set_count(kResponseBlocksMax + 1);
  EXPECT_EQ(code_of(encoded(request)), pb::Status::MALFORMED);
  request.mutable_block_request()->set_count(1);
  EXPECT_EQ(code_of(encoded(request)), pb::Status::OK);

  pb::ConsensusMessage timeout;
  timeout.mutable_timeout()->set_round(1);
  timeout.mutable_timeout()->set_signature(std::string(64, 's'));
  *timeout.mutable_timeout()->mutable_high_qc() = GenesisQc(chain.params.genesis);
  EXPECT_EQ(code_of(encoded(timeout)), pb::Status::OK);
  pb::TimeoutSignature& s = *timeout.mutable_timeout()->mutable_last_round_tc()->add_signatures();
  s.set_signer(1);
  s.set_signature(std::string(64, 's'));
  s.set_high_qc_round(7);  // not below the TC's round (0)
  EXPECT_EQ(code_of(encoded(timeout)), pb::Status::MALFORMED);
}

}  // namespace
}  // namespace onechain::consensus
