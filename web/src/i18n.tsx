// zh-CN and en: every string the console shows, by key. The choice is kept in localStorage.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

export type Lang = "zh-CN" | "en";

const en = {
  appTitle: "OneChain bankruptcy platform",
  navPortal: "Public portal",
  navKeys: "My key",
  navCourt: "Court",
  language: "Language",
  // portal
  searchTitle: "Search bankruptcy cases",
  searchLabel: "Debtor name or unified social credit code",
  searchButton: "Search",
  searchTooShort: "Enter at least 2 characters of the debtor's name, or an 18-character credit code.",
  searchNone: "No case matches.",
  searchResults: "Cases found",
  // case
  caseTitle: "Case",
  caseNumber: "Case number",
  debtorName: "Debtor",
  debtorCreditCode: "Unified social credit code",
  procedure: "Procedure",
  acceptanceDate: "Acceptance date",
  court: "Court",
  administrator: "Administrator",
  notAppointed: "not appointed yet",
  claimPeriodEnd: "Claim period ends",
  firstMeeting: "First creditors' meeting",
  notSet: "not set",
  status: "Status",
  meetings: "Creditors' meetings",
  recruitments: "Recruitment notices",
  noneYet: "None yet.",
  caseNotFound: "No such case.",
  loading: "Loading…",
  procedure_liquidation: "Liquidation",
  procedure_reorganization: "Reorganization",
  procedure_compromise: "Compromise",
  status_CASE_STATUS_ACCEPTED: "Accepted",
  status_CASE_STATUS_TERMINATED: "Terminated",
  // keys
  keysTitle: "My account key",
  keysIntro: "Your key never leaves this browser. It is stored encrypted under your password (scrypt + AES-GCM).",
  keyName: "Key name",
  password: "Password",
  passwordRepeat: "Repeat the password",
  createKey: "Create a new key",
  importKey: "Import a key (PEM)",
  pemLabel: "PKCS#8 PEM private key (onechain keys new)",
  pemFile: "…or choose the .pem file",
  importButton: "Import and encrypt",
  createButton: "Create and encrypt",
  storedKeys: "Keys in this browser",
  noKeys: "No key stored yet.",
  unlock: "Unlock",
  unlockTitle: "Unlock a key",
  lock: "Lock",
  unlocked: "Unlocked",
  publicKey: "Public key",
  account: "Account",
  roles: "Roles",
  noAccount: "No account holds this key yet: ask your organization's admin to register it.",
  wrongPassword: "Wrong password: this key could not be decrypted.",
  passwordTooShort: "A password has at least 8 characters.",
  passwordsDiffer: "The two passwords differ.",
  nameRequired: "Give the key a name.",
  nameTaken: "A key with this name is stored already.",
  keySaved: "Key stored, encrypted.",
  // court
  courtTitle: "Court: cases",
  needKey: "Unlock a judge's key first (My key).",
  acceptTitle: "Accept a case",
  acceptButton: "Accept the case",
  appointTitle: "Appoint an administrator",
  caseId: "Case id",
  firmOrgId: "Administrator firm (roster id)",
  appointButton: "Appoint",
  submitting: "Signing and submitting…",
  committed: "Committed at height",
  record: "Record",
  viewCase: "View the case in the public portal",
  txFailed: "Refused",
  // validation
  err_required: "This field is required.",
  err_tooLong: "Too long: at most {max} bytes.",
  err_creditCodeShape: "18 characters of 0-9 and A-Y (without I, O, S, V, Z).",
  err_creditCodeCheck: "The check character (the 18th) does not match: not a valid credit code.",
  err_procedure: "Choose liquidation, reorganization or compromise.",
  err_date: "A real date written YYYY-MM-DD.",
  err_caseId: "32 lowercase hex characters, as the case page shows.",
  err_firmOrgId: "3 to 40 characters of a-z, 0-9 and -.",
};

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  appTitle: "一链通办 破产案件平台",
  navPortal: "公众门户",
  navKeys: "我的密钥",
  navCourt: "法院",
  language: "语言",
  searchTitle: "查询破产案件",
  searchLabel: "债务人名称或统一社会信用代码",
  searchButton: "查询",
  searchTooShort: "请输入债务人名称中至少 2 个字，或 18 位统一社会信用代码。",
  searchNone: "没有符合的案件。",
  searchResults: "查询结果",
  caseTitle: "案件",
  caseNumber: "案号",
  debtorName: "债务人",
  debtorCreditCode: "统一社会信用代码",
  procedure: "程序",
  acceptanceDate: "受理日期",
  court: "法院",
  administrator: "管理人",
  notAppointed: "尚未指定",
  claimPeriodEnd: "债权申报期限届满",
  firstMeeting: "第一次债权人会议",
  notSet: "尚未确定",
  status: "状态",
  meetings: "债权人会议",
  recruitments: "招募公告",
  noneYet: "暂无。",
  caseNotFound: "没有这个案件。",
  loading: "加载中…",
  procedure_liquidation: "破产清算",
  procedure_reorganization: "重整",
  procedure_compromise: "和解",
  status_CASE_STATUS_ACCEPTED: "已受理",
  status_CASE_STATUS_TERMINATED: "已终结",
  keysTitle: "我的账户密钥",
  keysIntro: "密钥不会离开本浏览器，以您的密码加密保存（scrypt + AES-GCM）。",
  keyName: "密钥名称",
  password: "密码",
  passwordRepeat: "再次输入密码",
  createKey: "新建密钥",
  importKey: "导入密钥（PEM）",
  pemLabel: "PKCS#8 PEM 私钥（onechain keys new 生成）",
  pemFile: "……或选择 .pem 文件",
  importButton: "导入并加密",
  createButton: "新建并加密",
  storedKeys: "本浏览器中的密钥",
  noKeys: "尚未保存密钥。",
  unlock: "解锁",
  unlockTitle: "解锁密钥",
  lock: "锁定",
  unlocked: "已解锁",
  publicKey: "公钥",
  account: "账户",
  roles: "角色",
  noAccount: "尚无账户使用此密钥：请本单位管理员注册。",
  wrongPassword: "密码错误：无法解密此密钥。",
  passwordTooShort: "密码至少 8 个字符。",
  passwordsDiffer: "两次输入的密码不一致。",
  nameRequired: "请为密钥命名。",
  nameTaken: "已有同名密钥。",
  keySaved: "密钥已加密保存。",
  courtTitle: "法院：案件",
  needKey: "请先解锁法官的密钥（我的密钥）。",
  acceptTitle: "受理案件",
  acceptButton: "受理",
  appointTitle: "指定管理人",
  caseId: "案件编号（id）",
  firmOrgId: "管理人机构（名册 id）",
  appointButton: "指定",
  submitting: "正在签名并提交…",
  committed: "已上链，区块高度",
  record: "记录",
  viewCase: "在公众门户查看案件",
  txFailed: "被拒绝",
  err_required: "此项必填。",
  err_tooLong: "过长：最多 {max} 字节。",
  err_creditCodeShape: "18 位，由 0-9 和 A-Y（不含 I、O、S、V、Z）组成。",
  err_creditCodeCheck: "校验码（第 18 位）不符：不是有效的统一社会信用代码。",
  err_procedure: "请选择破产清算、重整或和解。",
  err_date: "请填写真实日期，格式 YYYY-MM-DD。",
  err_caseId: "32 位小写十六进制字符，见案件页面。",
  err_firmOrgId: "3 至 40 个字符，仅限 a-z、0-9 和 -。",
};

const messages: Record<Lang, Record<MessageKey, string>> = { en, "zh-CN": zh };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang): Translate {
  return (key, vars) =>
    messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? ""));
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n>({ lang: "en", setLang: () => {}, t: translate("en") });

function initialLang(): Lang {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem("lang") : null;
  return saved === "en" || saved === "zh-CN" ? saved : "zh-CN";
}

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang());
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    localStorage.setItem("lang", next);
    document.documentElement.lang = next;
  }, []);
  const value = useMemo(() => ({ lang, setLang, t: translate(lang) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
