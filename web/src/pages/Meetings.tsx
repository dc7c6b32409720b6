// Creditors' meetings: the administrator convenes a meeting and adds motions before it starts,
// watches the tally (refreshed every 5 s) and closes each motion after voting ends, when the chain
// tallies it; a creditor votes on the open motions of its case; the court sets a temporary voting
// amount for an undetermined claim (EBL 59). Times are China time, to the second.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, type MeetingList } from "../api/client";
import type { Action, BallotChoice } from "../chain/tx";
import { BALLOT_CHOICES } from "../chain/tx";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { enumLabel, useI18n, type MessageKey } from "../i18n";
import { formatChinaTime, isValidDate, yuanToFen, type Errors } from "../validation";

type Send = (action: Action) => Promise<TxOutcome>;
const TALLY_REFRESH_MS = 5000;

// "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS", China time (UTC+8), to unix milliseconds.
export function chinaTimeSecondsToMs(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || !isValidDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return null;
  const [year, month, day] = m[1].split("-").map(Number);
  return Date.UTC(year, month - 1, day, Number(m[2]) - 8, Number(m[3]), Number(m[4] ?? 0));
}

export interface ConveneInput {
  start: string;
  voteEnd: string;
  place: string;
}

export function validateConvene(input: ConveneInput): Errors<keyof ConveneInput> {
  const errors: Errors<keyof ConveneInput> = {};
  const start = chinaTimeSecondsToMs(input.start);
  const end = chinaTimeSecondsToMs(input.voteEnd);
  if (start === null) errors.start = { key: "err_timeSeconds" };
  if (end === null) errors.voteEnd = { key: "err_timeSeconds" };
  else if (start !== null && end <= start) errors.voteEnd = { key: "err_voteEndAfterStart" };
  if (input.place.trim() === "") errors.place = { key: "err_required" };
  return errors;
}

interface Motion {
  id?: string;
  title?: string;
  text?: string;
  result?: { closed?: boolean; passed?: boolean; present?: number; yes?: number; no?: number; abstain?: number };
}

function ConveneForm({ caseId, send, onDone }: { caseId: string; send: Send; onDone: () => void }) {
  const { t } = useI18n();
  const [input, setInput] = useState<ConveneInput>({ start: "", voteEnd: "", place: "" });
  const [errors, setErrors] = useState<Errors<keyof ConveneInput>>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateConvene(input);
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    setOutcome(
      await send({
        conveneMeeting: {
          caseId,
          kind: "subsequent",
          startMs: chinaTimeSecondsToMs(input.start)!,
          voteEndMs: chinaTimeSecondsToMs(input.voteEnd)!,
          place: input.place.trim(),
        },
      }),
    );
    onDone();
  };
  const field = (name: keyof ConveneInput, label: MessageKey, placeholder?: string) => (
    <Field id={`meeting-${name}`} label={t(label)} error={errors[name]}>
      {(props) => (
        <input {...props} placeholder={placeholder} value={input[name]} onChange={(e) => setInput({ ...input, [name]: e.target.value })} />
      )}
    </Field>
  );
  return (
    <form onSubmit={submit} noValidate aria-labelledby="convene-title" className="card" data-testid="convene-form">
      <h3 id="convene-title">{t("conveneTitle")}</h3>
      {field("start", "meetingStart", "YYYY-MM-DDTHH:MM:SS")}
      {field("voteEnd", "meetingVoteEnd", "YYYY-MM-DDTHH:MM:SS")}
      {field("place", "meetingPlace")}
      <button type="submit">{t("conveneButton")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}

function MotionForm({ meetingId, send, onDone }: { meetingId: string; send: Send; onDone: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const [error, setError] = useState<Errors<"title">>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    if (title.trim() === "") return setError({ title: { key: "err_required" } });
    setError({});
    setOutcome(await send({ addMotion: { meetingId, kind: "ordinary", title: title.trim(), text: text.trim(), planId: "" } }));
    onDone();
  };
  return (
    <form onSubmit={submit} noValidate className="row" data-testid="motion-form">
      <Field id={`motion-title-${meetingId}`} label={t("motionTitle")} error={error.title}>
        {(props) => <input {...props} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field id={`motion-text-${meetingId}`} label={t("motionText")}>
        {(props) => <input {...props} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit">{t("addMotionButton")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}

// The meetings of a case with each motion's live tally; polls while shown.
function useMeetings(caseId: string) {
  const [list, setList] = useState<MeetingList | null>(null);
  const load = useCallback(() => {
    api.caseMeetings(caseId).then(setList, () => setList(null));
  }, [caseId]);
  useEffect(() => {
    load();
    const timer = setInterval(load, TALLY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  return { list, load };
}

export function MotionTally({ motion, ballots }: { motion: Motion; ballots: number }) {
  const { t } = useI18n();
  const r = motion.result ?? {};
  return (
    <span data-testid="motion-tally">
      {r.closed
        ? t(r.passed ? "motionPassed" : "motionFailed", { yes: r.yes ?? 0, no: r.no ?? 0, abstain: r.abstain ?? 0, present: r.present ?? 0 })
        : t("motionOpenTally", { ballots })}
    </span>
  );
}

export function MeetingsPanel({ caseId, send }: { caseId: string; send: Send }) {
  const { t } = useI18n();
  const { list, load } = useMeetings(caseId);
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  return (
    <section aria-labelledby="meetings-title">
      <h2 id="meetings-title">{t("meetings")}</h2>
      {(list?.meetings ?? []).map((m, i) => {
        const meeting = m.meeting ?? {};
        const started = Date.now() >= Number(meeting.startMs ?? 0);
        const ended = Date.now() >= Number(meeting.voteEndMs ?? 0);
        return (
          <div key={meeting.id ?? i} className="card" data-testid="meeting">
            <p>
              <strong>{enumLabel(t, meeting.kind)}</strong> · {formatChinaTime(meeting.startMs)} – {formatChinaTime(meeting.voteEndMs)} ·{" "}
              {meeting.place}
            </p>
            <ul>
              {((meeting.motions ?? []) as Motion[]).map((motion, k) => (
                <li key={motion.id ?? k} data-testid="motion">
                  {motion.title} · <MotionTally motion={motion} ballots={m.ballotsCast?.[k] ?? 0} />{" "}
                  {ended && !motion.result?.closed && (
                    <button
                      type="button"
                      onClick={async () => {
                        setOutcome(await send({ closeMotion: { motionId: motion.id ?? "" } }));
                        load();
                      }}
                    >
                      {t("closeMotionButton")}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {!started && <MotionForm meetingId={meeting.id ?? ""} send={send} onDone={load} />}
          </div>
        );
      })}
      <TxResult outcome={outcome} />
      <ConveneForm caseId={caseId} send={send} onDone={load} />
    </section>
  );
}

export function VotePanel({ caseId, creditorId, send }: { caseId: string; creditorId: string; send: Send }) {
  const { t } = useI18n();
  const { list, load } = useMeetings(caseId);
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const now = Date.now();
  const open = (list?.meetings ?? []).flatMap((m) =>
    now >= Number(m.meeting?.startMs ?? 0) && now < Number(m.meeting?.voteEndMs ?? 0)
      ? ((m.meeting?.motions ?? []) as Motion[]).filter((motion) => !motion.result?.closed)
      : [],
  );
  const vote = async (motionId: string, choice: BallotChoice) => {
    setOutcome(await send({ castBallot: { motionId, creditorId, choice } }));
    load();
  };
  return (
    <section aria-labelledby={`vote-${creditorId}`} className="card" data-testid="vote-panel">
      <h3 id={`vote-${creditorId}`}>{t("voteTitle")}</h3>
      {open.length === 0 && <p>{t("noOpenMotions")}</p>}
      {open.map((motion) => (
        <fieldset key={motion.id} data-testid="open-motion">
          <legend>
            {motion.title} — {motion.text}
          </legend>
          {BALLOT_CHOICES.map((choice) => (
            <button key={choice} type="button" onClick={() => void vote(motion.id ?? "", choice)}>
              {t(`ballot_${choice}` as MessageKey)}
            </button>
          ))}
        </fieldset>
      ))}
      <TxResult outcome={outcome} />
    </section>
  );
}

export function TemporaryAmountForm({ send }: { send: Send }) {
  const { t } = useI18n();
  const [claimId, setClaimId] = useState("");
  const [amount, setAmount] = useState("");
  const [errors, setErrors] = useState<Errors<"claimId" | "amount">>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Errors<"claimId" | "amount"> = {};
    if (!/^[0-9a-f]{32}$/.test(claimId.trim())) found.claimId = { key: "err_claimId" };
    if (yuanToFen(amount) === null) found.amount = { key: "err_amount" };
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    setOutcome(await send({ setTemporaryVotingAmount: { claimId: claimId.trim(), amount: yuanToFen(amount)! } }));
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="temp-title" className="card" data-testid="temporary-amount-form">
      <h2 id="temp-title">{t("temporaryAmountTitle")}</h2>
      <Field id="temp-claimId" label={t("claimIdLabel")} error={errors.claimId}>
        {(props) => <input {...props} value={claimId} onChange={(e) => setClaimId(e.target.value)} />}
      </Field>
      <Field id="temp-amount" label={t("temporaryAmount")} error={errors.amount}>
        {(props) => <input {...props} value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <button type="submit">{t("temporaryAmountButton")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}


