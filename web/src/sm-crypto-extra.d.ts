// sm-crypto 0.3 exports this beside what @types/sm-crypto declares (src/sm2/index.js).
import "sm-crypto";

declare module "sm-crypto" {
  namespace sm2 {
    function getPublicKeyFromPrivateKey(privateKey: string): string;
  }
}
