// Which of the state machine's drop reasons (StateMachine::drops()) are the sender's fault.
// A faulty message cannot come from an honest validator however the network delays, reorders
// or duplicates: it does not decode, is over a limit, or carries a signature or certificate
// that does not verify (which includes one made for another chain, since every signed byte
// string starts with the chain id). The driver counts those against the peer and disconnects a
// peer that keeps sending them (net::Network::Penalize). Stale or duplicate messages (a vote for
// a past round, a second timeout of a signer, an unsolicited block response) are only counted:
// retransmissions and slow links produce them honestly.
#pragma once

#include <string_view>

namespace onechain::consensus {

bool IsPeerFault(std::string_view drop_reason);

}  // namespace onechain::consensus
