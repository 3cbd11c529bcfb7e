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
 * | a partner's sending domain (one)       | table | pk = PARTNER#<id>, sk = SENDING_DOMAIN          |
 * | which partner claimed a sending domain | table | pk = SENDING_DOMAIN#<domain>, sk = CLAIM        |
 * | a kit's head (latest/published)        | table | pk = KIT#<id>, sk = HEAD                        |
 * | a kit version                          | table | pk = KIT#<id>, sk = VERSION#<sortable semver>   |
 * | a kit's versions, newest first         | table | pk = KIT#<id>, sk begins_with VERSION# (desc)   |
 * | kits for marketing                     | gsi1  | gsi1pk = KITS, gsi1sk begins_with KIT#          |
 * | a tier's library, by name              | gsi1  | gsi1pk = LIBRARY#<tier>, gsi1sk begins_with NAME# |
 * | a kit's library entry for a tier       | table | pk = KIT#<id>, sk = LIBRARY#<tier>              |
 * | a partner's contact (id = email hash)  | table | pk = PARTNER#<id>, sk = CONTACT#<contactId>     |
 * | a partner's contacts by email prefix   | gsi1  | gsi1pk = PARTNER#<id>#CONTACTS, gsi1sk begins_with <prefix> |
 * | a partner's lists / one list           | table | pk = PARTNER#<id>, sk (begins_with) LIST#<listId> |
 * | a list's members, a page at a time     | table | pk = PARTNER#<id>, sk begins_with MEMBER#<listId># |
 * | a partner's imports, newest first      | table | pk = PARTNER#<id>, sk begins_with IMPORT# (desc) |
 * | is an address suppressed (batch)       | table | pk = SUPPRESSION#<email>, sk = GLOBAL / PARTNER#<id> (BatchGetItem) |
 * | a partner's / global suppressions      | gsi1  | gsi1pk = PARTNER#<id>#SUPPRESSIONS or SUPPRESSIONS#GLOBAL |
 * | a campaign by id                       | table | pk = CAMPAIGN#<id>, sk = CAMPAIGN               |
 * | a partner's campaigns, newest first    | gsi1  | gsi1pk = PARTNER#<id>, gsi1sk begins_with CAMPAIGN# |
 * | approval queue, oldest first           | gsi2  | gsi2pk = APPROVALS, gsi2sk begins_with SUBMITTED# |
 * | a campaign by landing-page slug        | table | pk = SLUG#<slug>, sk = SLUG                     |
 * | an expanded list page (idempotency)    | table | pk = CAMPAIGN#<id>, sk = EXPAND#<page>          |
 * | a partner's notifications              | table | pk = PARTNER#<id>, sk begins_with NOTIFICATION# |
 * | a send (campaign + recipient key)      | table | pk = SEND#<campaignId>, sk = R#<recipientKey>   |
 * | a send by SES message id (events)      | gsi1  | gsi1pk = MSG#<messageId>, gsi1sk = SEND         |
 * | a campaign's counters / hourly series  | table | pk = COUNTERS#<campaignId>, sk = TOTAL / begins_with H# |
 * | an account list's hashes               | table | pk = ACCOUNTS#<owner>#<kind>, sk begins_with H# (owner VENDOR or PARTNER#<id>) |
 * | an account list's summary              | table | pk = ACCOUNTS#<owner>#<kind>, sk = SUMMARY (BatchGetItem for both kinds) |
 * | which account lists hold a keyed hash  | gsi1  | gsi1pk = ACCT#<kid>#<hash> (gsi1sk = <owner>#<kind>) |
 * | every account-list summary (overlaps)  | gsi2  | gsi2pk = ACCOUNT_LISTS (gsi2sk = <owner>#<kind>) |
 * | every CRM webhook / one webhook        | table | pk = WEBHOOKS, sk (begins_with) WEBHOOK#<id>    |
 * | a webhook's delivery log, newest first | table | pk = WEBHOOK#<id>, sk begins_with DELIVERY# (desc) |
 * | a lead event's effect, done once       | table | pk = LEADEFFECT#<leadId>, sk = V<version>#<kind>#<effect>#<target> |
 * | an audit chain's head                  | table | pk = AUDIT#<chain>, sk = HEAD                   |
 * | an audit chain's entries, in order     | table | pk = AUDIT#<chain>, sk begins_with ENTRY# (asc) |
 * | every audit chain (by head / first entry) | gsi1 / gsi2 | gsi1pk / gsi2pk = AUDIT_CHAINS (sk = <chain>) |
 * | an MDF fund by id                      | table | pk = MDF_FUND#<id>, sk = FUND                   |
 * | one MDF fund per partner+period+currency | table | pk = PARTNER#<id>, sk = MDF_FUND_SLOT#<period>#<currency> |
 * | a partner's MDF funds (of a period)    | gsi1  | gsi1pk = PARTNER#<id>, gsi1sk begins_with MDF_FUND#[<period>#] |
 * | every MDF fund (of a period)           | gsi2  | gsi2pk = MDF_FUNDS, gsi2sk begins_with PERIOD#[<period>#] |
 * | an MDF request by id                   | table | pk = MDF_REQUEST#<id>, sk = REQUEST             |
 * | a partner's MDF requests (by status)   | gsi1  | gsi1pk = PARTNER#<id>, gsi1sk begins_with MDF_REQUEST#[<rank-status>#] |
 * | MDF request queue, submitted first     | gsi2  | gsi2pk = MDF_REQUESTS, gsi2sk begins_with [<rank-status>#] |
 *
 * Each feature's keys module (partners/, kits/, contacts/, campaigns/, sending-domains/keys.ts; sending/
 * send-records.ts and counters.ts; leads/account-list-keys.ts, leads/effects/keys.ts, mdf/keys.ts, audit/keys.ts) repeats its rows beside the pure key functions.
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
