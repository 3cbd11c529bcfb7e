import type { EngineSettings } from '#functions/sending/engine';

/**
 * The send engine's settings as tests and benches use them: the vendor's placeholder sending
 * domain, one token key, one worker. Each caller overrides only what its case is about.
 */
export const testEngineSettings = (overrides: Partial<EngineSettings> = {}): EngineSettings => ({
  publicBaseUrl: 'https://go.vendor.example',
  vendor: { name: 'Vendor', website: 'https://vendor.example' },
  fromAddress: 'partners@mail.vendor.example',
  unsubscribeMailto: 'unsubscribe@mail.vendor.example',
  configurationSetName: 'channelkit',
  tokenKeys: { current: 'k1', keys: { k1: 'unit-token-key-0123456789abcdefghijkl' } },
  tokenMaxAgeDays: 400,
  recipientKeySecret: 'unit-recipient-secret-0123456789abcdef',
  maxConcurrency: 1,
  parallelism: 4,
  leaseSeconds: 300,
  ...overrides,
});
