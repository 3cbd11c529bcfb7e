import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitJsonSchema } from '#functions/kits/json-schema';
import { CAMPAIGNS } from '#test/support/kit-fixtures';

describe('campaigns/kit.schema.json', () => {
  it('is the one generated from the zod manifest schema (run `npm run kit -- schema` after changing it)', () => {
    expect(readFileSync(join(CAMPAIGNS, 'kit.schema.json'), 'utf8')).toBe(kitJsonSchema());
  });
});
