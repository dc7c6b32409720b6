import { useState, type FormEvent } from "react";
import type { DeclareClaim } from "../chain/tx";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { useI18n, type MessageKey } from "../i18n";
import { validateDeclaration, yuanToFen, type DeclarationInput, type Errors } from "../validation";

// A claim declaration for one creditor entry the account acts for; amounts typed in yuan are
// signed as exact fen.
export function DeclareForm({
  creditorId,
  creditorName,
  idNumber,
  onSubmit,
}: {
  creditorId: string;
  creditorName: string;
  idNumber: string;
  onSubmit: (action: { declareClaim: DeclareClaim }) => Promise<TxOutcome>;
}) {
  const { t } = useI18n();
  const [input, setInput] = useState<DeclarationInput>({
    creditorName,
    serviceAddress: "",
    paymentAccount: "",
    nature: "",
    facts: "",
    principal: "",
    interest: "",
    interestCalculation: "",
  });
  const [consent, setConsent] = useState(true);
  const [errors, setErrors] = useState<Errors<keyof DeclarationInput>>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `declare-${creditorId}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDeclaration(input);
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    const components: DeclareClaim["declaration"]["components"] = [
      { kind: "principal", amount: yuanToFen(input.principal)!, calculation: "" },
    ];
    if (input.interest.trim() !== "" || input.interestCalculation.trim() !== "") {
      components.push({
        kind: "interest",
        amount: input.interest.trim() === "" ? 0n : yuanToFen(input.interest)!,
        calculation: input.interestCalculation.trim(),
      });
    }
    setBusy(true);
    setOutcome(
      await onSubmit({
        declareClaim: {
          creditorId,
          declaration: {
            creditorName: input.creditorName.trim(),
            creditorIdNumber: idNumber,
            serviceAddress: input.serviceAddress.trim(),
            electronicServiceConsent: consent,
            paymentAccount: input.paymentAccount.trim(),
            nature: input.nature.trim(),
            facts: input.facts.trim(),
            components,
          },
        },
      }),
    );
    setBusy(false);
  };
  const field = (name: keyof DeclarationInput, label: MessageKey) => (
    <Field id={`${prefix}-${name}`} label={t(label)} error={errors[name]}>
      {(props) => <input {...props} value={input[name]} onChange={(e) => setInput({ ...input, [name]: e.target.value })} />}
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${prefix}-title`} className="card" data-testid="declare-form">
      <h3 id={`${prefix}-title`}>
        {t("declareTitle")} {creditorName} ({idNumber})
      </h3>
      {field("creditorName", "creditorName")}
      {field("serviceAddress", "serviceAddressDecl")}
      <div className="field">
        <label>
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t("electronicConsent")}
        </label>
      </div>
      {field("paymentAccount", "paymentAccount")}
      {field("nature", "nature")}
      {field("facts", "facts")}
      {field("principal", "principal")}
      {field("interest", "interest")}
      {field("interestCalculation", "interestCalculation")}
      <button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("declareButton")}
      </button>
      <TxResult outcome={outcome} />
    </form>
  );
}
