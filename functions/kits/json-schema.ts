import * as z from 'zod';
import { manifestSchema } from './manifest';

/** campaigns/kit.schema.json, generated from the zod manifest schema (editors validate kit.json with it). */
export const kitJsonSchema = (): string =>
  `${JSON.stringify(z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }), null, 2)}\n`;
