import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';

/**
 * Email addresses: a pragmatic subset of RFC 5322's addr-spec, the one mailbox providers and
 * SES accept in practice. Dot-atom local parts only (no quoted strings, comments or display
 * names), an ASCII local part, a domain of at least two DNS labels (IDNs converted to
 * punycode), 64 octets for the local part and 254 for the whole address (RFC 5321).
 *
 * Normalisation: trim, then lower-case the whole address. RFC 5321 lets a server treat the
 * local part case-sensitively, but no mainstream provider does; treating `Ann@x.com` and
 * `ann@x.com` as two people would duplicate contacts and, worse, let a suppressed address be
 * mailed under another spelling. Dots and `+tags` are kept: they are provider-specific.
 */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

const invalid = (reason: string): EmailCheck => ({ ok: false, reason });

/** Validates and normalises one address; the reason is safe to show the partner. */
export const checkEmail = (raw: string): EmailCheck => {
  const value = raw.trim();
  if (value === '') return invalid('the email is empty');
  if (value.length > MAX_EMAIL_LENGTH)
    return invalid(`the email is longer than ${MAX_EMAIL_LENGTH} characters`);
  if (/[\s,;<>()[\]\\"]/.test(value)) {
    return invalid('the email contains a space, comma, quote, bracket or display name');
  }
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.indexOf('@') !== at)
    return invalid('the email needs exactly one @ with text before it');
  const local = value.slice(0, at);
  const rawDomain = value.slice(at + 1);
  if (local.length > MAX_LOCAL_LENGTH) return invalid(`the part before @ is longer than ${MAX_LOCAL_LENGTH}`);
  if (!LOCAL.test(local)) return invalid('the part before @ has characters or dots an address cannot have');
  const domain = domainToASCII(rawDomain.toLowerCase());
  if (domain === '' || domain.length > 253) return invalid('the domain is not valid');
  const labels = domain.split('.');
  const tld = labels.at(-1) ?? '';
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(tld)) {
    return invalid('the domain is not valid');
  }
  const email = `${local.toLowerCase()}@${domain}`;
  if (email.length > MAX_EMAIL_LENGTH)
    return invalid(`the email is longer than ${MAX_EMAIL_LENGTH} characters`);
  return { ok: true, email };
};

/** The normalised address, or undefined when it is not one. */
export const normaliseEmail = (raw: string): string | undefined => {
  const checked = checkEmail(raw);
  return checked.ok ? checked.email : undefined;
};

/**
 * A contact's id: 128 bits of SHA-256 over the normalised address (as Mailchimp's subscriber
 * hash). Deterministic, so merging a duplicate is one GetItem; it keeps addresses out of URLs
 * and logs, though it is pseudonymous, not secret: anyone with the address can compute it, and
 * it only ever resolves inside the caller's own partition.
 */
export const contactIdOf = (email: string): string =>
  createHash('sha256').update(email).digest('hex').slice(0, 32);

export const CONTACT_ID = /^[0-9a-f]{32}$/;
