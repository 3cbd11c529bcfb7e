import type { Table } from '#platform/table';
import { importKey, importsOf } from './keys';
import { type ImportJob, importJobSchema } from './schema';

export interface ImportStore {
  get(partnerId: string, importId: string): Promise<ImportJob | undefined>;
  create(job: ImportJob): Promise<void>;
  /** Progress is written only by the run holding `expectedVersion`: a second, duplicate run loses. */
  update(
    job: ImportJob,
    expectedVersion: number,
    changes: Partial<Omit<ImportJob, 'id' | 'partnerId' | 'version'>>,
  ): Promise<ImportJob>;
  page(
    partnerId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ImportJob[]; nextCursor: string | null }>;
}

const parse = (item: Record<string, unknown>): ImportJob => importJobSchema.parse(item);

export const importStore = (table: Table): ImportStore => ({
  async get(partnerId, importId) {
    const item = await table.get(importKey(partnerId, importId));
    return item ? parse(item) : undefined;
  },
  create: (job) => table.create({ ...importKey(job.partnerId, job.id), type: 'contact-import', ...job }),
  async update(job, expectedVersion, changes) {
    return parse(await table.update(importKey(job.partnerId, job.id), expectedVersion, changes));
  },
  async page(partnerId, limit, cursor) {
    const page = await table.query({ ...importsOf(partnerId), limit, cursor });
    return { items: page.items.map(parse), nextCursor: page.nextCursor };
  },
});
