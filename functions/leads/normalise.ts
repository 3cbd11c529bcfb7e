import { parse } from 'tldts';
import { checkEmail, normaliseEmail } from '#functions/contacts/email';

/**
 * Leads normalise addresses exactly as contacts do (trim, lower-case, IDN domain to punycode,
 * invalid addresses refused with a reason), so "the same person" means the same thing in an
 * audience and in a lead inbox. `checkEmail` gives the reason; `normaliseEmail` is undefined
 * for an invalid address.
 */
export { checkEmail, normaliseEmail };

/**
 * Names that resolve only inside a network (RFC 6761, 6762, 7686, ICANN's `.internal`): no
 * company is known by them. `.example` and `.test` stay usable for fixtures and demos.
 */
const SPECIAL_USE = new Set(['localhost', 'local', 'internal', 'invalid', 'onion', 'arpa']);
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const MAX_INPUT = 2048;

/** The lower-case, punycode host an email, URL or bare host names; undefined when none. */
const hostOf = (input: string): string | undefined => {
  if (!SCHEME.test(input) && input.includes('@')) {
    const email = normaliseEmail(input.replace(/^mailto:/i, ''));
    return email?.slice(email.lastIndexOf('@') + 1);
  }
  try {
    // WHATWG URL parsing lower-cases, converts IDNs to punycode and canonicalises IPv4 forms
    // such as 0x7f.1, so an IP cannot pass as a name.
    return new URL(SCHEME.test(input) ? input : `http://${input}`).hostname;
  } catch {
    return undefined;
  }
};

/**
 * The registrable domain ("eTLD+1") of a company, from an email address, a URL
 * (`https://www.Acme.co.uk/x`) or a bare host: `acme.co.uk`. Subdomains and `www.` fold into
 * the registrable domain by the Public Suffix List (tldts), private suffixes included, so
 * `acme.github.io` is a company and `github.io` is not.
 *
 * Always ASCII: internationalised names come back as punycode (`xn--mnchen-3ya.de` for
 * münchen.de), the form email addresses are normalised to, so a domain typed in unicode on an
 * account list matches a lead's address. Undefined for IP addresses, single labels,
 * `localhost` and other special-use names, and public suffixes themselves (`co.uk`).
 *
 * A free-mail domain (gmail.com) is still a registrable domain here: whether it names a
 * company is email-classes' question.
 */
export const companyDomainOf = (input: string): string | undefined => {
  const trimmed = input.trim();
  if (trimmed === '' || trimmed.length > MAX_INPUT) return undefined;
  const host = hostOf(trimmed)?.replace(/\.$/, '');
  if (!host) return undefined;
  // Already ASCII: URL parsing and normaliseEmail both convert IDNs to punycode.
  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp || !parsed.domain) return undefined;
  const domain = parsed.domain.toLowerCase();
  const labels = domain.split('.');
  if (SPECIAL_USE.has(labels.at(-1) ?? '') || !labels.every((label) => LABEL.test(label))) return undefined;
  return domain;
};

/** The domain part of a normalised address. */
export const emailDomainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1);
