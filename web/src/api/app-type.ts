// The one place the portal learns the API's shape (type-only: nothing from functions/ is bundled).
export type { AppType } from '../../../functions/app.ts';
// The POP pack's shape: its routes declare the schema they are handed, which the client cannot see.
export type { PopPack } from '../../../functions/mdf/pop/schema.ts';
