// The signed-in account's own records, by signed reads: the account, the notices served on it and
// its claims (the node answers with this account's records only).
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, type Account, type ClaimList, type NoticeList } from "../api/client";
import type { Unlocked } from "../session";

export function describeError(e: unknown): string {
  return e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
}

export function useMyRecords(unlocked: Unlocked | null) {
  const [account, setAccount] = useState<Account | null>(null);
  const [notices, setNotices] = useState<NoticeList | null>(null);
  const [claims, setClaims] = useState<ClaimList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    if (!unlocked) return;
    setError(null);
    try {
      setAccount(await api.me(unlocked.key));
      setNotices(await api.myNotices(unlocked.key));
      setClaims(await api.myClaims(unlocked.key));
    } catch (e) {
      setError(describeError(e));
    }
  }, [unlocked]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { account, notices, claims, error, refresh };
}
