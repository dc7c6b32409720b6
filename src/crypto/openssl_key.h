// Hands a signing key to OpenSSL, for a module that drives OpenSSL itself (net/ uses it as the
// TLS identity of an intl validator). Kept out of crypto.h so most modules never see OpenSSL.
#pragma once

#include <openssl/evp.h>

#include <memory>

#include "crypto/crypto.h"

namespace onechain::crypto {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using EvpPkey = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// An OpenSSL key holding `key`'s private part: type ED25519, or SM2 (an EC key on curve SM2).
// Never null; the intermediate PEM is wiped.
EvpPkey ToEvpPkey(const PrivateKey& key);

}  // namespace onechain::crypto
