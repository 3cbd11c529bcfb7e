import { describe, expect, it } from 'vitest';
import { checkEmail, contactIdOf, normaliseEmail } from '#functions/contacts/email';

describe('email validation and normalisation', () => {
  it.each([
    ['ann@example.com', 'ann@example.com'],
    ['  Ann.Lee+news@Example.COM ', 'ann.lee+news@example.com'],
    ["o'brien@sub.example.co.uk", "o'brien@sub.example.co.uk"],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
    ['x@bücher.example', 'x@xn--bcher-kva.example'],
    ['first_last-1@my-domain.io', 'first_last-1@my-domain.io'],
  ])('accepts %j as %j', (raw, normal) => {
    expect(normaliseEmail(raw)).toBe(normal);
  });

  it.each([
    ['', 'empty'],
    ['ann', 'one @'],
    ['ann@', 'domain'],
    ['@example.com', 'one @'],
    ['ann@@example.com', 'one @'],
    ['a@b@example.com', 'one @'],
    ['Ann Lee <ann@example.com>', 'display name'],
    ['ann@example.com, bob@example.com', 'comma'],
    ['ann lee@example.com', 'space'],
    ['"ann"@example.com', 'quote'],
    ['.ann@example.com', 'dots'],
    ['ann.@example.com', 'dots'],
    ['an..n@example.com', 'dots'],
    ['ann@localhost', 'domain'],
    ['ann@example', 'domain'],
    ['ann@-example.com', 'domain'],
    ['ann@example-.com', 'domain'],
    ['ann@exa_mple.com', 'domain'],
    ['ann@example.c0m', 'domain'],
    ['ann@192.168.0.1', 'domain'],
    ['zoë@example.com', 'characters'],
  ])('rejects %j (%s)', (raw, why) => {
    const checked = checkEmail(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toContain(why);
  });

  it('caps the local part at 64 and the address at 254 characters', () => {
    expect(checkEmail(`${'a'.repeat(64)}@example.com`).ok).toBe(true);
    expect(checkEmail(`${'a'.repeat(65)}@example.com`)).toEqual({
      ok: false,
      reason: 'the part before @ is longer than 64',
    });
    const label = 'd'.repeat(63);
    const domain = `${label}.${label}.${label}.${'e'.repeat(56)}.com`;
    expect(checkEmail(`a@${domain}`).ok).toBe(true);
    expect(`a@${domain}`.length).toBe(254);
    expect(checkEmail(`ab@${domain}`)).toEqual({
      ok: false,
      reason: 'the email is longer than 254 characters',
    });
  });

  it('derives one contact id from every spelling of an address', () => {
    const id = contactIdOf('ann@example.com');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(contactIdOf(normaliseEmail(' ANN@Example.com') ?? '')).toBe(id);
    expect(contactIdOf('bob@example.com')).not.toBe(id);
  });
});
