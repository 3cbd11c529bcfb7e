import { createHmac } from 'node:crypto';
import { decodeTime, isValid } from 'ulidx';
import { describe, expect, it } from 'vitest';
import {
  BASE_DELAY_SECONDS,
  backoffCeilings,
  MAX_ATTEMPTS,
  MAX_DELAY_SECONDS,
  retryDelaySeconds,
} from '#functions/leads/effects/backoff';
import { newSigningSecret, secretHint, webhookSecretBox } from '#functions/leads/effects/secret-box';
import { signatureHeader, verifySignature } from '#functions/leads/effects/signature';
import { stableUlid } from '#functions/leads/effects/stable-id';

const secret = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const body = '{"id":"01JD0000000000000000000000","type":"lead-captured","data":{"n":"Zoë"}}';
const at = new Date('2026-11-24T12:00:00.000Z');

describe('the ChannelKit-Signature header', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>, checked with node:crypto', () => {
    const header = signatureHeader(secret, body, at);

    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match).not.toBeNull();
    expect(match?.[1]).toBe('1795521600');
    const expected = createHmac('sha256', secret).update(`1795521600.${body}`, 'utf8').digest('hex');
    expect(match?.[2]).toBe(expected);
  });

  it('changes with the timestamp, so every attempt is signed afresh', () => {
    expect(signatureHeader(secret, body, new Date(at.getTime() + 1000))).not.toBe(
      signatureHeader(secret, body, at),
    );
  });

  it('verifies as a receiver would: the exact body, the secret, a recent timestamp', () => {
    const header = signatureHeader(secret, body, at);
    const soon = new Date(at.getTime() + 60_000);

    expect(verifySignature(secret, body, header, soon)).toBe(true);
    expect(verifySignature(secret, `${body} `, header, soon)).toBe(false);
    expect(verifySignature(`${secret}x`, body, header, soon)).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifySignature(secret, body, 'v1=abc', soon)).toBe(false);
    expect(verifySignature(secret, body, header.replace(/v1=./, 'v1=0'), soon)).toBe(false);
  });
});

describe('signing secrets at rest', () => {
  const root = 'a-root-secret-of-at-least-thirty-two-characters!';

  it('are new random whsec_ strings, shown afterwards only by their last characters', () => {
    const one = newSigningSecret();
    expect(one).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(one);
    expect(secretHint(one)).toBe(`whsec_…${one.slice(-4)}`);
  });

  it('seal with AES-GCM and open only for the same webhook under the same root secret', () => {
    const box = webhookSecretBox(root);
    const sealed = box.seal(secret, '01JD2Q4ZV3W8X6Y1N0P5R7T9KM');

    expect(JSON.stringify(sealed)).not.toContain(secret.slice(6, 20));
    expect(box.open(sealed, '01JD2Q4ZV3W8X6Y1N0P5R7T9KM')).toBe(secret);
    expect(() => box.open(sealed, '01JD2Q4ZV3W8X6Y1N0P5R7T9KN')).toThrow();
    expect(() => webhookSecretBox(`${root}-other`).open(sealed, '01JD2Q4ZV3W8X6Y1N0P5R7T9KM')).toThrow();
    expect(() =>
      box.open({ ...sealed, data: `A${sealed.data.slice(1)}` }, '01JD2Q4ZV3W8X6Y1N0P5R7T9KM'),
    ).toThrow();
  });

  it('refuses a short root secret', () => {
    expect(() => webhookSecretBox('short')).toThrow(/32 characters/);
  });
});

describe('stable ids (dedupe by conditional create)', () => {
  it('are valid ULIDs of the given time, the same for the same parts and different otherwise', () => {
    const id = stableUlid(at, ['01JLEAD', 3, 'lead-captured']);

    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(at.getTime());
    expect(stableUlid(at, ['01JLEAD', 3, 'lead-captured'])).toBe(id);
    expect(stableUlid(at, ['01JLEAD', 4, 'lead-captured'])).not.toBe(id);
    expect(stableUlid(at, ['01JLEAD', 3, 'lead-captured', 'webhook'])).not.toBe(id);
  });
});

describe('the retry backoff', () => {
  it('doubles from a minute to an hour over MAX_ATTEMPTS attempts', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(backoffCeilings()).toEqual([60, 120, 240, 480, 960, 1920, 3600]);
    expect(BASE_DELAY_SECONDS).toBe(60);
    expect(MAX_DELAY_SECONDS).toBe(3600);
  });

  it('jitters each wait between half and all of its ceiling', () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(30);
    expect(retryDelaySeconds(3, () => 0.5)).toBe(180);
    expect(retryDelaySeconds(20, () => 0.999)).toBeLessThanOrEqual(3600);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      const ceiling = backoffCeilings()[attempt - 1] ?? 0;
      for (let i = 0; i < 50; i += 1) {
        const delay = retryDelaySeconds(attempt);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});
