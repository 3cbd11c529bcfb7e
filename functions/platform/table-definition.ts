/**
 * The single DynamoDB table's key schema: the one source of truth that both the CDK
 * stack (infra/data-stack.ts) and the embedded runtime (functions/local) build from.
 * No AWS SDK import here, so infra can read it without pulling clients in.
 *
 * Access patterns (every read is a GetItem or a Query; no Scan on a request path):
 *
 * | access pattern                         | index | key condition                                   |
 * | -------------------------------------- | ----- | ----------------------------------------------- |
 * | get a partner by id                    | table | pk = PARTNER#<id>, sk = PROFILE                 |
 * | list partners (marketing), by name     | gsi1  | gsi1pk = PARTNERS, gsi1sk begins_with NAME#     |
 * | list partners of a tier                | gsi2  | gsi2pk = TIER#<tier>, gsi2sk begins_with NAME#  |
 * | partner-owned items of one partner     | table | pk = PARTNER#<id>, sk begins_with <TYPE>#       |
 * | a partner's brand profile              | table | pk = PARTNER#<id>, sk = BRAND                   |
 * | a kit's head (latest/published)        | table | pk = KIT#<id>, sk = HEAD                        |
 * | a kit version                          | table | pk = KIT#<id>, sk = VERSION#<sortable semver>   |
 * | a kit's versions, newest first         | table | pk = KIT#<id>, sk begins_with VERSION# (desc)   |
 * | kits for marketing                     | gsi1  | gsi1pk = KITS, gsi1sk begins_with KIT#          |
 * | a tier's library, by name              | gsi1  | gsi1pk = LIBRARY#<tier>, gsi1sk begins_with NAME# |
 * | a kit's library entry for a tier       | table | pk = KIT#<id>, sk = LIBRARY#<tier>              |
 *
 * Later features add rows here; keys themselves are built by the pure functions in keys.ts.
 */
export const tableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    {
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
  ],
  /** Epoch seconds; DynamoDB deletes expired items within about two days, so reads still check it. */
  timeToLiveAttribute: 'expiresAt',
  /** Streams carry both images so counters and the audit trail can be derived from changes. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
