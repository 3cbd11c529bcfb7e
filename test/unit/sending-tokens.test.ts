import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenSigner, recipientKey } from '#functions/sending/tokens';

const K1 = 'k1-secret-0123456789abcdef0123456789';
const K2 = 'k2-secret-abcdefghijklmnopqrstuvwxyz';
const now = new Date('2026-11-24T12:00:00Z');
const clock = () => now;
const rkey = recipientKey('pepper-0123456789abcdef0123456789', '01JCAMPAIGN', 'Alex@Example.com');
const ref = { campaignId: '01JCAMPAIGN', recipientKey: rkey };

describe('recipient keys', () => {
  it('are stable per campaign and address (case-insensitive) and never show the address', () => {
    const secret = 'pepper-0123456789abcdef0123456789';
    expect(recipientKey(secret, '01JCAMPAIGN', 'alex@example.com ')).toBe(rkey);
    expect(recipientKey(secret, '01JOTHER', 'alex@example.com')).not.toBe(rkey);
    expect(rkey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(rkey).not.toContain('alex');
  });
});

describe('signed tokens', () => {
  const signer = createTokenSigner({ keys: { current: 'k1', keys: { k1: K1 } }, clock });

  it('are the wire format of mail already sent: kid.body.base64url(HMAC-SHA256(key, kid.body))', () => {
    const token = signer.sign({ ...ref, purpose: 'click', link: 2 });
    const [kid, body, mac] = token.split('.');
    expect(kid).toBe('k1');
    expect(body).toBe(`c~${Math.floor(now.getTime() / 86_400_000).toString(36)}~01JCAMPAIGN~${rkey}~2`);
    expect(mac).toBe(createHmac('sha256', K1).update(`k1.${body}`).digest('base64url'));
    expect(rkey).toBe(
      createHmac('sha256', 'pepper-0123456789abcdef0123456789')
        .update('01JCAMPAIGN\nalex@example.com')
        .digest()
        .subarray(0, 16)
        .toString('base64url'),
    );
  });

  it('round-trip each purpose, naming the send and (for clicks) the link', () => {
    const click = signer.sign({ ...ref, purpose: 'click', link: 3 });
    expect(click).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(click).not.toContain('example.com');
    expect(signer.verify(click, 'click')).toEqual({
      ...ref,
      purpose: 'click',
      link: 3,
      issuedAt: new Date('2026-11-24T00:00:00Z'),
    });
    expect(signer.verify(signer.sign({ ...ref, purpose: 'unsubscribe' }), 'unsubscribe')).toMatchObject({
      ...ref,
      purpose: 'unsubscribe',
    });
    expect(signer.verify(signer.sign({ ...ref, purpose: 'open' }), 'open')).toMatchObject({
      purpose: 'open',
    });
  });

  it('refuse a token used for another purpose', () => {
    const open = signer.sign({ ...ref, purpose: 'open' });
    expect(signer.verify(open, 'unsubscribe')).toBeUndefined();
    expect(signer.verify(open, 'click')).toBeUndefined();
  });

  it('refuse every single-character tampering, a swapped link index and a forged MAC', () => {
    const token = signer.sign({ ...ref, purpose: 'click', link: 1 });
    for (let i = 0; i < token.length; i += 1) {
      const swapped = token[i] === 'A' ? 'B' : 'A';
      expect(signer.verify(`${token.slice(0, i)}${swapped}${token.slice(i + 1)}`, 'click')).toBeUndefined();
    }
    expect(signer.verify(token.replace('~1.', '~2.'), 'click')).toBeUndefined();
    // Base64 ignores the last character's two low bits: a variant must still be refused.
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    expect(signer.verify(`${token.slice(0, -1)}${sibling}`, 'click')).toBeUndefined();
    const [kid, body] = token.split('.');
    expect(signer.verify(`${kid}.${body}.${'A'.repeat(43)}`, 'click')).toBeUndefined();
    expect(signer.verify(`${kid}.${body}`, 'click')).toBeUndefined();
    expect(signer.verify('', 'click')).toBeUndefined();
    expect(signer.verify('x'.repeat(300), 'click')).toBeUndefined();
  });

  it('refuse foreign tokens: another key, or an unknown key id', () => {
    const foreign = createTokenSigner({ keys: { current: 'k1', keys: { k1: K2 } }, clock });
    expect(signer.verify(foreign.sign({ ...ref, purpose: 'unsubscribe' }), 'unsubscribe')).toBeUndefined();
    const unknownKid = createTokenSigner({ keys: { current: 'k9', keys: { k9: K1 } }, clock });
    expect(signer.verify(unknownKid.sign({ ...ref, purpose: 'unsubscribe' }), 'unsubscribe')).toBeUndefined();
  });

  it('rotate: sign with the current key, still verify tokens of a previous one', () => {
    const before = signer.sign({ ...ref, purpose: 'unsubscribe' });
    const rotated = createTokenSigner({ keys: { current: 'k2', keys: { k1: K1, k2: K2 } }, clock });
    const after = rotated.sign({ ...ref, purpose: 'unsubscribe' });
    expect(after.startsWith('k2.')).toBe(true);
    expect(rotated.verify(before, 'unsubscribe')).toMatchObject(ref);
    expect(rotated.verify(after, 'unsubscribe')).toMatchObject(ref);
    expect(signer.verify(after, 'unsubscribe')).toBeUndefined();
  });

  it('keep working at least 60 days (CASL) and expire after the configured age', () => {
    const token = signer.sign({ ...ref, purpose: 'unsubscribe' });
    const at = (days: number) =>
      createTokenSigner({
        keys: { current: 'k1', keys: { k1: K1 } },
        clock: () => new Date(now.getTime() + days * 86_400_000),
        maxAgeDays: 90,
      });
    expect(at(60).verify(token, 'unsubscribe')).toBeDefined();
    expect(at(89).verify(token, 'unsubscribe')).toBeDefined();
    expect(at(91).verify(token, 'unsubscribe')).toBeUndefined();
    expect(() =>
      createTokenSigner({ keys: { current: 'k1', keys: { k1: K1 } }, clock, maxAgeDays: 30 }),
    ).toThrow(/60 days/);
  });

  it('refuse short keys and a current key id without a key', () => {
    expect(() => createTokenSigner({ keys: { current: 'k1', keys: { k1: 'short' } }, clock })).toThrow();
    expect(() => createTokenSigner({ keys: { current: 'k2', keys: { k1: K1 } }, clock })).toThrow();
  });
});
