// The unlocked key of this tab: held in memory only, gone on reload or "Lock".
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { toHex } from "./chain/bytes";
import { publicKeyOf, type AccountKey } from "./chain/suite";

export interface Unlocked {
  name: string;
  key: AccountKey;
  publicKey: Uint8Array;
  publicKeyHex: string;
}

interface Session {
  unlocked: Unlocked | null;
  unlock: (name: string, key: AccountKey) => void;
  lock: () => void;
}

const SessionContext = createContext<Session>({ unlocked: null, unlock: () => {}, lock: () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [unlocked, setUnlocked] = useState<Unlocked | null>(null);
  const value = useMemo<Session>(
    () => ({
      unlocked,
      unlock: (name, key) => {
        const publicKey = publicKeyOf(key);
        setUnlocked({ name, key, publicKey, publicKeyHex: toHex(publicKey) });
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
