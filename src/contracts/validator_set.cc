// Validator-set governance: proposals, approvals by two thirds of the member organizations, and
// the epoch change their application writes (docs/consensus.md §14.1).
#include "contracts/validator_set.h"

#include <algorithm>
#include <charconv>

#include "contracts/checks.h"
#include "contracts/executor.h"
#include "proof.pb.h"

namespace onechain::contracts {

namespace {

constexpr char kNextProposalKey[] = "valchange/next";
constexpr size_t kOrgIdBytesMax = 64;

bool Contains(const auto& list, const auto& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool KeyInUse(const pb::ConsensusEpoch& epoch, const std::string& key) {
  for (const pb::GenesisValidator& v : epoch.validators()) {
    if (v.public_key() == key) return true;
  }
  return Contains(epoch.retired_keys(), key);
}

Status CheckAddress(const std::string& address) {
  if (address.empty() || address.size() > kAddressBytesMax ||
      address.find(':') == std::string::npos) {
    return Invalid("address", "must be host:port of at most " + std::to_string(kAddressBytesMax) +
                                  " bytes");
  }
  return Status::Ok();
}

// Field formats, without state.
Status CheckChangeShape(const crypto::Suite& suite, const pb::ValidatorChange& change) {
  auto key_ok = [&](const std::string& key) { return key.size() == suite.public_key_bytes(); };
  if (Status st = CheckOptionalText("reason", change.reason(), kReasonBytesMax); !st.ok()) {
    return st;
  }
  switch (change.change_case()) {
    case pb::ValidatorChange::kAdd: {
      const pb::AddValidatorOrg& add = change.add();
      if (Status st = CheckText("org.id", add.org().id(), kOrgIdBytesMax); !st.ok()) return st;
      if (Status st = CheckText("org.name", add.org().name(), kDisplayNameBytesMax); !st.ok()) {
        return st;
      }
      if (!pb::OrgKind_IsValid(add.org().kind()) || add.org().kind() == pb::ORG_KIND_UNSPECIFIED) {
        return Invalid("org.kind", "must name a kind of organization");
      }
      if (!key_ok(add.org().admin_public_key())) {
        return Invalid("org.admin_public_key", "has the wrong size for the suite");
      }
      if (Status st = CheckOptionalText("org.admin_name", add.org().admin_name(),
                                        kDisplayNameBytesMax);
          !st.ok()) {
        return st;
      }
      if (!key_ok(add.validator_public_key())) {
        return Invalid("validator_public_key", "has the wrong size for the suite");
      }
      return CheckAddress(add.address());
    }
    case pb::ValidatorChange::kRemove:
      return CheckText("org_id", change.remove().org_id(), kOrgIdBytesMax);
    case pb::ValidatorChange::kRotate: {
      const pb::RotateValidatorKey& rotate = change.rotate();
      if (Status st = CheckText("org_id", rotate.org_id(), kOrgIdBytesMax); !st.ok()) return st;
      if (!key_ok(rotate.old_public_key()) || !key_ok(rotate.new_public_key())) {
        return Invalid("old_public_key and new_public_key", "must have the suite's key size");
      }
      if (rotate.old_public_key() == rotate.new_public_key()) {
        return Invalid("new_public_key", "must differ from the old key");
      }
      return Status::Ok();
    }
    default:
      return Invalid("change", "must be one of add, remove, rotate");
  }
}

// Whether `change` can be applied to `epoch` and `state` now.
Status CheckChange(const Executor& executor, const StateReader& state,
                   const pb::ConsensusEpoch& epoch, const pb::ValidatorChange& change) {
  const std::vector<std::string> members = MemberOrgs(epoch);
  switch (change.change_case()) {
    case pb::ValidatorChange::kAdd: {
      const pb::AddValidatorOrg& add = change.add();
      if (executor.LoadOrg(state, add.org().id()).has_value()) {
        return Status(pb::Status::ALREADY_EXISTS,
                      "organization '" + add.org().id() + "' exists already");
      }
      if (Status st = executor.CheckNewPublicKey(state, add.org().admin_public_key()); !st.ok()) {
        return Status(st.code(), "org.admin_public_key: " + st.message());
      }
      if (KeyInUse(epoch, add.validator_public_key())) {
        return Status(pb::Status::ALREADY_EXISTS,
                      "validator_public_key is, or was, a validator key of this chain");
      }
      return Status::Ok();
    }
    case pb::ValidatorChange::kRemove: {
      const std::string& org_id = change.remove().org_id();
      if (!Contains(members, org_id)) {
        return Status(pb::Status::NOT_FOUND,
                      "organization '" + org_id + "' holds no validator of the current set");
      }
      const auto left = std::count_if(
          epoch.validators().begin(), epoch.validators().end(),
          [&](const pb::GenesisValidator& v) { return v.org_id() != org_id; });
      if (static_cast<size_t>(left) < kValidatorsMin) {
        return Status(pb::Status::FAILED_PRECONDITION,
                      "removing '" + org_id + "' would leave " + std::to_string(left) +
                          " validators; at least " + std::to_string(kValidatorsMin) +
                          " are needed to tolerate a fault");
      }
      return Status::Ok();
    }
    case pb::ValidatorChange::kRotate: {
      const pb::RotateValidatorKey& rotate = change.rotate();
      if (!Contains(members, rotate.org_id())) {
        return Status(pb::Status::NOT_FOUND,
                      "organization '" + rotate.org_id() + "' holds no validator of the current set");
      }
      const bool found = std::any_of(
          epoch.validators().begin(), epoch.validators().end(), [&](const pb::GenesisValidator& v) {
            return v.org_id() == rotate.org_id() && v.public_key() == rotate.old_public_key();
          });
      if (!found) {
        return Status(pb::Status::NOT_FOUND, "old_public_key is not a validator key of '" +
                                                 rotate.org_id() + "' in the current set");
      }
      if (KeyInUse(epoch, rotate.new_public_key())) {
        return Status(pb::Status::ALREADY_EXISTS,
                      "new_public_key is, or was, a validator key of this chain");
      }
      return Status::Ok();
    }
    default:
      return Invalid("change", "must be one of add, remove, rotate");
  }
}

std::optional<pb::ValidatorProposal> LoadProposal(const StateReader& state, uint64_t id) {
  std::optional<std::string> bytes = state.Get(ValidatorProposalKey(id));
  if (!bytes) return std::nullopt;
  pb::ValidatorProposal proposal;
  if (!proposal.ParseFromString(*bytes)) return std::nullopt;
  return proposal;
}

uint64_t NextProposalId(Overlay& state) {
  uint64_t next = 1;
  if (std::optional<std::string> text = state.Get(kNextProposalKey)) {
    std::from_chars(text->data(), text->data() + text->size(), next);
  }
  state.Put(kNextProposalKey, std::to_string(next + 1));
  return next;
}

Status RequireMemberAdmin(const pb::Account& signer, const pb::ConsensusEpoch& epoch) {
  if (!HasRole(signer, pb::ROLE_ORG_ADMIN) || !Contains(MemberOrgs(epoch), signer.org_id())) {
    return Status(pb::Status::UNAUTHORIZED,
                  "only an org admin of an organization holding a validator votes on the set");
  }
  return Status::Ok();
}

// Writes the new set and, unless this block changed the set already, the next epoch.
void ApplyChange(ActionContext& context, pb::ConsensusEpoch epoch,
                 const pb::ValidatorChange& change, pb::ValidatorProposal& proposal) {
  const Executor& executor = context.executor;
  switch (change.change_case()) {
    case pb::ValidatorChange::kAdd: {
      const pb::AddValidatorOrg& add = change.add();
      pb::Org org;
      org.set_id(add.org().id());
      org.set_name(add.org().name());
      org.set_kind(add.org().kind());
      context.state.Put(OrgKey(org.id()), org.SerializeAsString());
      pb::Account admin;
      admin.set_id(AccountIdForKey(executor.suite(), add.org().admin_public_key()));
      admin.set_org_id(org.id());
      admin.add_roles(pb::ROLE_ORG_ADMIN);
      admin.set_public_key(add.org().admin_public_key());
      admin.set_status(pb::ACCOUNT_STATUS_ACTIVE);
      admin.set_display_name(add.org().admin_name());
      admin.set_registered_height(context.block.height);
      admin.set_updated_height(context.block.height);
      executor.StoreAccount(context.state, admin);
      pb::GenesisValidator* validator = epoch.add_validators();
      validator->set_org_id(org.id());
      validator->set_public_key(add.validator_public_key());
      validator->set_address(add.address());
      break;
    }
    case pb::ValidatorChange::kRemove: {
      auto* validators = epoch.mutable_validators();
      for (int i = validators->size(); i-- > 0;) {
        if (validators->Get(i).org_id() == change.remove().org_id()) {
          epoch.add_retired_keys(validators->Get(i).public_key());
          validators->DeleteSubrange(i, 1);
        }
      }
      break;
    }
    case pb::ValidatorChange::kRotate:
      for (pb::GenesisValidator& v : *epoch.mutable_validators()) {
        if (v.public_key() == change.rotate().old_public_key()) {
          epoch.add_retired_keys(v.public_key());
          v.set_public_key(change.rotate().new_public_key());
        }
      }
      break;
    default:
      break;
  }
  const uint64_t start = context.block.height + 1;
  if (epoch.start_height() != start) {
    epoch.set_epoch(epoch.epoch() + 1);
    epoch.set_start_height(start);
  }
  pb::ValidatorSet keys;
  for (const pb::GenesisValidator& v : epoch.validators()) keys.add_public_keys(v.public_key());
  context.state.Put(kEpochStateKey, epoch.SerializeAsString());
  context.state.Put(kValidatorKeysStateKey, keys.SerializeAsString());
  proposal.set_status(pb::VALIDATOR_PROPOSAL_APPLIED);
  proposal.set_decided_height(context.block.height);
  proposal.set_applied_epoch(epoch.epoch());
}

// Applies `proposal` if its approvals by current members reach two thirds.
Status MaybeApply(ActionContext& context, const pb::ConsensusEpoch& epoch,
                  pb::ValidatorProposal& proposal) {
  const std::vector<std::string> members = MemberOrgs(epoch);
  const auto approvals = std::count_if(
      proposal.approvals().begin(), proposal.approvals().end(),
      [&](const std::string& org) { return Contains(members, org); });
  if (!ApprovalsReachTwoThirds(static_cast<size_t>(approvals), members.size())) {
    return Status::Ok();
  }
  if (Status st = CheckChange(context.executor, context.state, epoch, proposal.change());
      !st.ok()) {
    return Status(st.code(), "the change cannot be applied now: " + st.message());
  }
  ApplyChange(context, epoch, proposal.change(), proposal);
  return Status::Ok();
}

}  // namespace

std::string ValidatorProposalKey(uint64_t id) { return "valchange/" + std::to_string(id); }

pb::ConsensusEpoch LoadEpoch(const StateReader& state, const pb::Genesis& genesis) {
  pb::ConsensusEpoch epoch;
  if (std::optional<std::string> bytes = state.Get(kEpochStateKey)) {
    if (epoch.ParseFromString(*bytes)) return epoch;
  }
  epoch.set_epoch(0);
  epoch.set_start_height(1);
  *epoch.mutable_validators() = genesis.validators();
  return epoch;
}

std::vector<std::string> MemberOrgs(const pb::ConsensusEpoch& epoch) {
  std::vector<std::string> orgs;
  for (const pb::GenesisValidator& v : epoch.validators()) {
    if (!Contains(orgs, v.org_id())) orgs.push_back(v.org_id());
  }
  return orgs;
}

bool ApprovalsReachTwoThirds(size_t approvals, size_t members) {
  return members > 0 && 3 * approvals >= 2 * members;
}

bool IsValidatorSetAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kProposeValidatorChange:
    case pb::TxBody::kApproveValidatorChange:
    case pb::TxBody::kWithdrawValidatorChange:
      return true;
    default:
      return false;
  }
}

Status PrecheckValidatorSetAction(const crypto::Suite& suite,
                                  const std::optional<pb::Account>& signer,
                                  const pb::TxBody& body) {
  if (!signer.has_value() || !HasRole(*signer, pb::ROLE_ORG_ADMIN)) {
    return Status(pb::Status::UNAUTHORIZED, "only an organization admin votes on the validator set");
  }
  switch (body.action_case()) {
    case pb::TxBody::kProposeValidatorChange:
      return CheckChangeShape(suite, body.propose_validator_change().change());
    case pb::TxBody::kApproveValidatorChange:
      if (body.approve_validator_change().proposal_id() == 0) return Invalid("proposal_id", "is required");
      return Status::Ok();
    case pb::TxBody::kWithdrawValidatorChange:
      if (body.withdraw_validator_change().proposal_id() == 0) return Invalid("proposal_id", "is required");
      return Status::Ok();
    default:
      return Status(pb::Status::MALFORMED, "not a validator-set action");
  }
}

Status ApplyValidatorSetAction(ActionContext& context, const pb::TxBody& body) {
  const pb::ConsensusEpoch epoch = LoadEpoch(context.state, context.executor.genesis());
  if (Status st = RequireMemberAdmin(context.signer, epoch); !st.ok()) return st;
  const std::string& org = context.signer.org_id();
  switch (body.action_case()) {
    case pb::TxBody::kProposeValidatorChange: {
      const pb::ValidatorChange& change = body.propose_validator_change().change();
      if (Status st = CheckChange(context.executor, context.state, epoch, change); !st.ok()) {
        return st;
      }
      pb::ValidatorProposal proposal;
      proposal.set_id(NextProposalId(context.state));
      *proposal.mutable_change() = change;
      proposal.set_proposer_org(org);
      proposal.add_approvals(org);
      proposal.set_status(pb::VALIDATOR_PROPOSAL_OPEN);
      proposal.set_proposed_height(context.block.height);
      if (Status st = MaybeApply(context, epoch, proposal); !st.ok()) return st;
      context.state.Put(ValidatorProposalKey(proposal.id()), proposal.SerializeAsString());
      *context.changed_id = std::to_string(proposal.id());
      return Status::Ok();
    }
    case pb::TxBody::kApproveValidatorChange:
    case pb::TxBody::kWithdrawValidatorChange: {
      const bool approve = body.action_case() == pb::TxBody::kApproveValidatorChange;
      const uint64_t id = approve ? body.approve_validator_change().proposal_id()
                                  : body.withdraw_validator_change().proposal_id();
      std::optional<pb::ValidatorProposal> proposal = LoadProposal(context.state, id);
      if (!proposal.has_value()) {
        return Status(pb::Status::NOT_FOUND, "validator-set proposal " + std::to_string(id) +
                                                 " does not exist");
      }
      if (proposal->status() != pb::VALIDATOR_PROPOSAL_OPEN) {
        return Status(pb::Status::FAILED_PRECONDITION,
                      "validator-set proposal " + std::to_string(id) + " is " +
                          pb::ValidatorProposalStatus_Name(proposal->status()));
      }
      if (approve) {
        if (Contains(proposal->approvals(), org)) {
          return Status(pb::Status::ALREADY_EXISTS,
                        "organization '" + org + "' approved proposal " + std::to_string(id) +
                            " already");
        }
        proposal->add_approvals(org);
        if (Status st = MaybeApply(context, epoch, *proposal); !st.ok()) return st;
      } else {
        if (proposal->proposer_org() != org) {
          return Status(pb::Status::UNAUTHORIZED,
                        "only the proposing organization withdraws proposal " + std::to_string(id));
        }
        proposal->set_status(pb::VALIDATOR_PROPOSAL_WITHDRAWN);
        proposal->set_decided_height(context.block.height);
      }
      context.state.Put(ValidatorProposalKey(id), proposal->SerializeAsString());
      *context.changed_id = std::to_string(id);
      return Status::Ok();
    }
    default:
      return Status(pb::Status::MALFORMED, "not a validator-set action");
  }
}

}  // namespace onechain::contracts
