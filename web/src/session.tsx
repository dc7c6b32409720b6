// The unlocked key of this tab: held in memory only, gone on reload or "Lock".
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { ed25519 } from "@noble/curves/ed25519.js";
import { toHex } from "./chain/bytes";

export interface Unlocked {
  name: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
  publicKeyHex: string;
}

interface Session {
  unlocked: Unlocked | null;
  unlock: (name: string, seed: Uint8Array) => void;
  lock: () => void;
}

const SessionContext = createContext<Session>({ unlocked: null, unlock: () => {}, lock: () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [unlocked, setUnlocked] = useState<Unlocked | null>(null);
  const value = useMemo<Session>(
    () => ({
      unlocked,
      unlock: (name, seed) => {
        const publicKey = ed25519.getPublicKey(seed);
        setUnlocked({ name, seed, publicKey, publicKeyHex: toHex(publicKey) });
      },
      lock: () => setUnlocked(null),
    }),
    [unlocked],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
