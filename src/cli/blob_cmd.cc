// `onechain blob`: encrypted materials from the command line (docs/privacy.md).
//   blob keygen --out FILE          a new encryption key (PEM); prints its public key in hex for
//                                   the SetEncryptionKey action
//   blob put FILE --key K --for ID… encrypts FILE under a fresh data key wrapped for each reader's
//                                   published encryption key, uploads the ciphertext (signed PUT)
//                                   and prints the Attachment to put in a declaration (JSON)
//   blob get HASH --key K --enc-key E --wrapped HEX
//                                   downloads (signed GET) and decrypts with the reader's wrapping
#include <iostream>

#include "cli/client.h"
#include "cli/commands.h"
#include "claims.pb.h"
#include "crypto/seal.h"
#include "governance.pb.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

struct BlobOptions {
  std::string node = "http://127.0.0.1:8080";
  std::string key, enc_key, passphrase_env, file, hash, wrapped, out, aad, media_type, name;
  std::vector<std::string> readers;
  std::string suite = "intl";
};

std::unique_ptr<crypto::PrivateKey> LoadSigner(const BlobOptions& o) {
  std::string pem = Take(node::ReadFile(o.key, 64 * 1024));
  return Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(o.passphrase_env)));
}

void Put(const BlobOptions& o) {
  auto signer = LoadSigner(o);
  pb::Suite suite = signer->suite();
  std::string plaintext = Take(node::ReadFile(o.file, uint64_t{32} << 20));
  std::string data_key = crypto::NewDataKey();
  std::string sealed = Take(crypto::SealData(suite, data_key, plaintext, o.aad));
  ApiClient client(o.node);
  client.SignReadsWith(signer.get());
  pb::Attachment file;
  file.set_hash(crypto::GetSuite(suite)->Hash(sealed));
  file.set_size(sealed.size());
  file.set_media_type(o.media_type);
  file.set_name(o.name.empty() ? o.file.substr(o.file.find_last_of('/') + 1) : o.name);
  for (const std::string& reader : o.readers) {
    pb::Account account = ParseReply<pb::Account>(Take(client.GetJson("/v1/accounts/" + reader)));
    if (account.encryption_key().empty()) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "account " + reader + " has published no encryption key"));
    }
    pb::WrappedKey* key = file.add_keys();
    key->set_reader_account_id(reader);
    key->set_wrapped(Take(crypto::WrapDataKey(suite, account.encryption_key(), data_key)));
  }
  HttpReply reply = Take(client.PutSigned("/v1/blobs/" + ToHex(file.hash()), sealed));
  if (reply.status != 201) throw CommandError(StatusFromErrorBody(reply));
  std::cout << MessageJson(file) << "\n";
}

void Get(const BlobOptions& o) {
  auto signer = LoadSigner(o);
  std::string pem = Take(node::ReadFile(o.enc_key, 64 * 1024));
  auto reader = Take(crypto::DecryptionKeyFromPem(pem, PassphraseFromEnv(o.passphrase_env)));
  std::optional<std::string> wrapped = FromHex(o.wrapped);
  if (!wrapped) throw CommandError(Status(pb::Status::INVALID_ARGUMENT, "--wrapped is hex"));
  ApiClient client(o.node);
  client.SignReadsWith(signer.get());
  HttpReply reply = Take(client.Get("/v1/blobs/" + o.hash));
  if (reply.status != 200) throw CommandError(StatusFromErrorBody(reply));
  std::string data_key = Take(reader->UnwrapDataKey(*wrapped));
  std::string plaintext = Take(crypto::OpenData(reader->suite(), data_key, reply.body, o.aad));
  if (o.out.empty()) {
    std::cout << plaintext;
  } else {
    Check(node::WriteFile(o.out, plaintext, 0600));
  }
}

}  // namespace

void AddBlobCommands(CLI::App& app) {
  CLI::App* blob = app.add_subcommand("blob", "Encrypted materials: keys, upload, download");
  blob->require_subcommand(1);
  auto o = std::make_shared<BlobOptions>();

  CLI::App* keygen = blob->add_subcommand("keygen", "A new encryption key (PEM)");
  keygen->add_option("--out", o->out, "Where to write the key")->required();
  keygen->add_option("--suite", o->suite, "intl or sm")->capture_default_str();
  keygen->add_option("--passphrase-env", o->passphrase_env, "Encrypt the PEM with this variable");
  keygen->callback([o] {
    pb::Suite suite = o->suite == "sm" ? pb::SUITE_SM : pb::SUITE_INTL;
    auto key = Take(crypto::GenerateDecryptionKey(suite));
    Check(node::WriteFile(o->out, Take(key->ToPem(PassphraseFromEnv(o->passphrase_env))), 0600));
    std::cout << ToHex(key->public_key()) << "\n";
  });

  CLI::App* put = blob->add_subcommand("put", "Encrypt a file for its readers and upload it");
  put->add_option("FILE", o->file, "The file")->required();
  put->add_option("--key", o->key, "Uploader's account key (PEM)")->required();
  put->add_option("--for", o->readers, "Reader account ids")->required();
  put->add_option("--media-type", o->media_type, "e.g. application/pdf")->required();
  put->add_option("--name", o->name, "File name on chain (default: FILE's)");
  put->add_option("--aad", o->aad, "Associated data binding the file to its place");
  put->add_option("--node", o->node, "Node API URL")->capture_default_str();
  put->add_option("--passphrase-env", o->passphrase_env, "Variable holding the key passphrase");
  put->callback([o] { Put(*o); });

  CLI::App* get = blob->add_subcommand("get", "Download a material and decrypt it");
  get->add_option("HASH", o->hash, "Hex hash of the ciphertext")->required();
  get->add_option("--key", o->key, "Your account key (PEM), signs the read")->required();
  get->add_option("--enc-key", o->enc_key, "Your encryption key (PEM)")->required();
  get->add_option("--wrapped", o->wrapped, "Hex of the data key wrapped for you")->required();
  get->add_option("--aad", o->aad, "The associated data it was sealed with");
  get->add_option("--out", o->out, "Write the plaintext here (default: stdout)");
  get->add_option("--node", o->node, "Node API URL")->capture_default_str();
  get->add_option("--passphrase-env", o->passphrase_env, "Variable holding the key passphrases");
  get->callback([o] { Get(*o); });
}

}  // namespace onechain::cli
