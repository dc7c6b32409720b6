import { useI18n } from "../i18n";

// What a page that signs shows while no key is unlocked.
export function NeedKey({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <section>
      <h1>{title}</h1>
      <p role="alert">{t("needKey")}</p>
    </section>
  );
}
