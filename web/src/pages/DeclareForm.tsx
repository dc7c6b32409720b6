import { useRef, useState, type FormEvent } from "react";
import { useFocusFirstInvalid } from "../components/focusInvalid";
import type { Attachment, DeclareClaim } from "../chain/tx";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { useI18n, type MessageKey } from "../i18n";
import { validateDeclaration, yuanToFen, type DeclarationInput, type Errors, type FieldError } from "../validation";
import { validateMaterials } from "../validationMore";

// Seals the chosen files for their readers and uploads them; the attachments to reference, or a
// sentence saying why not.
export type PrepareMaterials = (creditorId: string, files: File[]) => Promise<Attachment[] | { error: string }>;

// A claim declaration for one creditor entry the account acts for; amounts typed in yuan are
// signed as exact fen.
export function DeclareForm({
  creditorId,
  creditorName,
  idNumber,
  onSubmit,
  prepareMaterials,
}: {
  creditorId: string;
  creditorName: string;
  idNumber: string;
  onSubmit: (action: { declareClaim: DeclareClaim }) => Promise<TxOutcome>;
  prepareMaterials?: PrepareMaterials;
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
  const [files, setFiles] = useState<File[]>([]);
  const [filesError, setFilesError] = useState<FieldError | undefined>();
  const [sealing, setSealing] = useState(false);
  const prefix = `declare-${creditorId}`;
  const formRef = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(formRef);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDeclaration(input);
    const badFiles = validateMaterials(files);
    setErrors(found);
    setFilesError(badFiles);
    setOutcome(null);
    if (Object.keys(found).length > 0 || badFiles) return focusInvalid();
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
    let attachments: Attachment[] = [];
    if (files.length > 0 && prepareMaterials) {
      setSealing(true);
      const prepared = await prepareMaterials(creditorId, files);
      setSealing(false);
      if ("error" in prepared) {
        setOutcome(prepared);
        setBusy(false);
        return;
      }
      attachments = prepared;
    }
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
            ...(attachments.length > 0 ? { attachments } : {}),
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
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby={`${prefix}-title`} className="card" data-testid="declare-form">
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
      {prepareMaterials && (
        <Field id={`${prefix}-materials`} label={t("materials")} error={filesError}>
          {(props) => (
            <>
              <input
                {...props}
                aria-describedby={[props["aria-describedby"], `${prefix}-materials-hint`].filter(Boolean).join(" ")}
                type="file"
                multiple
                onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
              />
              <small id={`${prefix}-materials-hint`}>{t("materialsHint")}</small>
            </>
          )}
        </Field>
      )}
      <button type="submit" disabled={busy}>
        {sealing ? t("sealingUpload") : busy ? t("submitting") : t("declareButton")}
      </button>
      <TxResult outcome={outcome} />
    </form>
  );
}
