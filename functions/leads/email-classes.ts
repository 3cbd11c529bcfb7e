import { parse } from 'tldts';
import { checkEmail, companyDomainOf, emailDomainOf } from './normalise';

/**
 * Free-mail and disposable domains, from maintained lists shipped as npm dependencies:
 * - `email-providers` (derhuerst, ISC): `common.json`, the ~350 big consumer providers, and
 *   `all.json`, ~8,800 domains that hand out mailboxes (it includes common.json);
 * - `disposable-email-domains-js` (CC0): ~8,900 throwaway-inbox domains, repackaged from the
 *   disposable-email-domains project.
 * The JSON files are imported directly: the `email-providers` entry point loads its JSON through
 * `createRequire`, which esbuild cannot bundle (the Lambda would fail at the first lookup). The
 * imports are dynamic, so a process that never classifies an address never parses the lists
 * (esbuild keeps them as lazily evaluated modules inside the bundle: about 287 KB minified).
 *
 * Known oddities of the upstream data, kept rather than patched by hand: `example.com`,
 * `test.com`, `facebook.com` and `alibaba.com` are on email-providers' lists (so fixtures use
 * `acme.example`-style domains), and many disposable domains are also on `all.json`.
 */
export type EmailList = 'disposable-email-domains' | 'email-providers/common' | 'email-providers/all';

/** Which free-mail list counts: the big consumer providers only, or every known mailbox provider. */
export type FreeMailList = 'common' | 'all';

export type DomainClass =
  | { kind: 'business'; domain: string }
  | {
      kind: 'free-mail' | 'disposable';
      domain: string;
      /** The listed domain that matched: the address's domain or one of its parents. */
      matched: string;
      list: EmailList;
    };

export interface EmailClasses {
  /** Classifies a lower-case ASCII (punycode) email domain, e.g. from normaliseEmail. */
  classify(domain: string, options?: { freeMail?: FreeMailList }): DomainClass;
}

export interface EmailListData {
  freeMailCommon: Iterable<string>;
  freeMailAll: Iterable<string>;
  disposable: Iterable<string>;
}

const toSet = (domains: Iterable<string>) => new Set([...domains].map((d) => d.trim().toLowerCase()));

/**
 * The domain itself, then each parent down to its registrable domain: `x.mailinator.com`
 * matches `mailinator.com`, but a listed `co.uk` would never match every British address.
 */
const candidatesOf = (domain: string): string[] => {
  const registrable = parse(domain, { allowPrivateDomains: true }).domain ?? domain;
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i += 1) {
    const candidate = labels.slice(i).join('.');
    out.push(candidate);
    if (candidate === registrable) break;
  }
  return out.length > 0 ? out : [domain];
};

/** A classifier over the given lists (tests pass small ones; loadEmailClasses the packaged ones). */
export const emailClassesFrom = (data: EmailListData): EmailClasses => {
  const common = toSet(data.freeMailCommon);
  const all = toSet(data.freeMailAll);
  const disposable = toSet(data.disposable);
  return {
    classify(raw, options) {
      const domain = raw.trim().toLowerCase();
      const candidates = candidatesOf(domain);
      const inList = (set: Set<string>) => candidates.find((c) => set.has(c));
      // Disposable first: a throwaway inbox is the stronger answer when a domain is on both.
      const throwaway = inList(disposable);
      if (throwaway)
        return { kind: 'disposable', domain, matched: throwaway, list: 'disposable-email-domains' };
      const popular = inList(common);
      if (popular) return { kind: 'free-mail', domain, matched: popular, list: 'email-providers/common' };
      const known = options?.freeMail === 'common' ? undefined : inList(all);
      if (known) return { kind: 'free-mail', domain, matched: known, list: 'email-providers/all' };
      return { kind: 'business', domain };
    },
  };
};

let loading: Promise<EmailClasses> | undefined;

/** The packaged lists as Sets, built once per process on first use. */
export const loadEmailClasses = (): Promise<EmailClasses> => {
  loading ??= Promise.all([
    import('email-providers/common.json', { with: { type: 'json' } }),
    import('email-providers/all.json', { with: { type: 'json' } }),
    import('disposable-email-domains-js/dist/dict/disposable_email_blocklist.json', {
      with: { type: 'json' },
    }),
  ]).then(
    ([common, all, disposable]) =>
      emailClassesFrom({
        freeMailCommon: common.default,
        freeMailAll: all.default,
        disposable: disposable.default,
      }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
};

/** A sentence for the lead's rule results, e.g. "gmail.com is a free-mail domain (email-providers/common)". */
export const describeDomainClass = (result: DomainClass): string => {
  if (result.kind === 'business') return `${result.domain} is not on the free-mail or disposable lists`;
  const what = result.kind === 'free-mail' ? 'a free-mail' : 'a disposable-email';
  const via = result.matched === result.domain ? '' : ` (as a subdomain of ${result.matched})`;
  return `${result.domain} is ${what} domain${via}, listed in ${result.list}`;
};

/** How strict the business-email test is: qualification's businessEmail rule settings. */
export interface BusinessEmailPolicy {
  freeMail: FreeMailList;
  /** Free-mail-listed domains marketing treats as business; never lifts a disposable one. */
  allowDomains: readonly string[];
}

export type BusinessDomain =
  | { ok: true; email: string /** The registrable company domain. */; domain: string; reason: string }
  | { ok: false; reason: string };

/**
 * The company an address belongs to, or why it names none: invalid, disposable, free-mail
 * (unless allowed), or a host with no registrable domain. Qualification's businessEmail rule
 * and the EQL decision both ask this, so a lead cannot pass one and fail the other.
 */
export const businessDomainOf = (
  rawEmail: string,
  classes: EmailClasses,
  policy: BusinessEmailPolicy,
): BusinessDomain => {
  const checked = checkEmail(rawEmail);
  if (!checked.ok) return { ok: false, reason: `not a usable address: ${checked.reason}` };
  const result = classes.classify(emailDomainOf(checked.email), { freeMail: policy.freeMail });
  let reason = describeDomainClass(result);
  if (result.kind === 'disposable') return { ok: false, reason };
  if (result.kind === 'free-mail') {
    if (!policy.allowDomains.includes(result.domain) && !policy.allowDomains.includes(result.matched)) {
      return { ok: false, reason };
    }
    reason = `${result.domain} is on a free-mail list (${result.list}) but marketing allows it as a business domain`;
  }
  const domain = companyDomainOf(checked.email);
  if (!domain) return { ok: false, reason: `${result.domain} is not a company's registrable domain` };
  return { ok: true, email: checked.email, domain, reason };
};
