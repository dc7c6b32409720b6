// The key goes through its own PKCS#8 encoding, the one path both suites already share.
#include "crypto/openssl_key.h"

#include "crypto/internal.h"

namespace onechain::crypto {

EvpPkey ToEvpPkey(const PrivateKey& key) {
  Result<std::string> pem = key.ToPem("");
  internal::Require(pem.ok(), "PrivateKey::ToPem without passphrase");
  Result<internal::Owned<EVP_PKEY>> pkey = internal::PkeyFromPem(*pem, "");
  internal::Cleanse(pem->data(), pem->size());
  internal::Require(pkey.ok(), "reading back our own PKCS#8 PEM");
  return EvpPkey(pkey->release());
}

}  // namespace onechain::crypto
