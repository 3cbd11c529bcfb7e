import { type HeaderMode, headerName } from '#functions/contacts/csv-columns';
import { CsvFormatError, readCsv } from '#functions/contacts/csv-read';
import { ValidationError } from '#platform/errors';
import { type AccountHash, type AccountKeys, hashAccount } from './account-keys';
import { companyDomainOf } from './normalise';

/**
 * An account list upload: a partner's (or the vendor's) customers and open opportunities, as a
 * CSV of company names and domains or websites. Parsed here into normalised domains for the
 * owner's review; only `hashAccountList`'s output is stored (see account-keys.ts).
 */
export const accountKinds = ['customer', 'opportunity'] as const;
export type AccountKind = (typeof accountKinds)[number];

export interface AccountEntry {
  domain: string;
  name: string;
  kind: AccountKind;
  /** The line the account first appears on. */
  line: number;
}

export type AccountRowProblem = 'no-domain' | 'missing-kind' | 'unknown-kind';
export interface AccountRowError {
  line: number;
  reason: AccountRowProblem;
  message: string;
}

export interface ParsedAccountList {
  hasHeader: boolean;
  accounts: AccountEntry[];
  /** The first MAX_REPORTED_ERRORS rejected rows; `rejected` counts them all. */
  errors: AccountRowError[];
  rejected: number;
  /** Rows that repeat an account already read (same domain and kind): merged into it. */
  duplicates: number;
  rowsRead: number;
}

export interface AccountListOptions {
  /** The column delimiter (csv-read's `delimiters`); a comma by default. */
  delimiter?: string;
  header?: HeaderMode;
  /** The kind for every row, or for rows whose kind cell is blank when the file has a kind column. */
  kind?: AccountKind;
}

export const MAX_ACCOUNTS = 100_000;
export const MAX_REPORTED_ERRORS = 200;
const MAX_NAME = 200;

type Column = 'domain' | 'name' | 'kind';
/** Header names, compared as headerName() does (lower-case letters and digits only). */
const synonyms: Record<Column, readonly string[]> = {
  domain: [
    'domain',
    'companydomain',
    'emaildomain',
    'website',
    'companywebsite',
    'web',
    'url',
    'site',
    'homepage',
  ],
  name: ['name', 'company', 'companyname', 'account', 'accountname', 'organisation', 'organization', 'org'],
  kind: ['kind', 'type', 'accounttype', 'relationship', 'status', 'stage', 'category'],
};
const kindValues: Record<string, AccountKind> = {
  customer: 'customer',
  customers: 'customer',
  client: 'customer',
  currentcustomer: 'customer',
  closedwon: 'customer',
  opportunity: 'opportunity',
  opportunities: 'opportunity',
  opp: 'opportunity',
  openopportunity: 'opportunity',
  open: 'opportunity',
  pipeline: 'opportunity',
};

const columnOf = (cell: string): Column | undefined => {
  const name = headerName(cell);
  return (['domain', 'name', 'kind'] as const).find((column) => synonyms[column].includes(name));
};

interface Layout {
  hasHeader: boolean;
  /** Every column that may hold the domain, tried in order: a blank Domain falls back to Website. */
  domains: number[];
  name: number | undefined;
  kind: number | undefined;
}

const invalidFile = (message: string) => new ValidationError(message, [{ path: 'body', message }]);

const isDomainCell = (cell: string): boolean =>
  !/\s/.test(cell.trim()) && companyDomainOf(cell) !== undefined;

/** A header names at least one known column and holds no domain. */
const looksLikeHeader = (row: readonly string[]): boolean =>
  row.some((cell) => columnOf(cell) !== undefined) && !row.some(isDomainCell);

/** The columns, and a kind from somewhere: the upload's or a column. */
const layoutOf = (first: readonly string[], mode: HeaderMode, kind: AccountKind | undefined): Layout => {
  const layout = columnsOf(first, mode);
  if (layout.kind === undefined && !kind) {
    throw invalidFile(
      'say whether these accounts are customers or opportunities: choose a kind or add a kind column',
    );
  }
  return layout;
};

/** Without a header, the domain column is the first whose cell on the first row is a domain. */
const columnsOf = (first: readonly string[], mode: HeaderMode): Layout => {
  const hasHeader = mode === 'present' || (mode === 'auto' && looksLikeHeader(first));
  if (hasHeader) {
    const indexes = (column: Column) => first.flatMap((cell, i) => (columnOf(cell) === column ? [i] : []));
    const domains = indexes('domain');
    if (domains.length === 0) throw invalidFile('no domain or website column in the header row');
    return { hasHeader, domains, name: indexes('name')[0], kind: indexes('kind')[0] };
  }
  const domain = first.findIndex(isDomainCell);
  if (domain < 0) {
    throw invalidFile(
      'the first row is neither a header naming a domain or website column nor a row with a domain',
    );
  }
  const name = first.findIndex((cell, i) => i !== domain && cell.trim() !== '');
  return { hasHeader, domains: [domain], name: name < 0 ? undefined : name, kind: undefined };
};

const decodeUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidFile('the file is not UTF-8 text');
  }
};

type RowResult = { ok: true; account: AccountEntry } | { ok: false; error: AccountRowError };

/** One data row: its company domain and kind, or why it has none. */
const readRow = (
  cells: readonly string[],
  line: number,
  layout: Layout,
  defaultKind: AccountKind | undefined,
): RowResult => {
  const cell = (index: number | undefined) => (index === undefined ? '' : (cells[index] ?? '').trim());
  const error = (reason: AccountRowProblem, message: string): RowResult => ({
    ok: false,
    error: { line, reason, message },
  });
  const given = layout.domains.map(cell).filter((value) => value !== '');
  const domain = given.map(companyDomainOf).find((value) => value !== undefined);
  if (!domain) {
    const first = given[0];
    return error(
      'no-domain',
      first ? `"${first.slice(0, 100)}" names no company domain` : 'no domain or website',
    );
  }
  const kindCell = cell(layout.kind);
  const kind = kindCell === '' ? defaultKind : kindValues[headerName(kindCell)];
  if (!kind) {
    return kindCell === ''
      ? error('missing-kind', 'no kind: customer or opportunity')
      : error('unknown-kind', `"${kindCell.slice(0, 40)}" is neither customer nor opportunity`);
  }
  return { ok: true, account: { domain, name: cell(layout.name).slice(0, MAX_NAME), kind, line } };
};

/** Collects row results: accounts merged by (kind, domain), errors counted and the first few kept. */
class AccountCollector {
  readonly accounts = new Map<string, AccountEntry>();
  readonly errors: AccountRowError[] = [];
  rejected = 0;
  duplicates = 0;
  rowsRead = 0;

  /** Reads one data row; blank rows are skipped, not counted. */
  read(cells: readonly string[], line: number, layout: Layout, defaultKind: AccountKind | undefined): void {
    if (cells.every((cell) => cell.trim() === '')) return;
    this.rowsRead += 1;
    if (this.rowsRead > MAX_ACCOUNTS)
      throw invalidFile(`line ${line}: the list has more than ${MAX_ACCOUNTS} rows`);
    this.take(readRow(cells, line, layout, defaultKind));
  }

  private take(result: RowResult): void {
    if (!result.ok) {
      this.rejected += 1;
      if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(result.error);
      return;
    }
    const { account } = result;
    const key = `${account.kind} ${account.domain}`;
    const seen = this.accounts.get(key);
    if (!seen) {
      this.accounts.set(key, account);
      return;
    }
    this.duplicates += 1;
    if (seen.name === '') seen.name = account.name;
  }

  result(hasHeader: boolean): ParsedAccountList {
    const { errors, rejected, duplicates, rowsRead } = this;
    return { hasHeader, accounts: [...this.accounts.values()], errors, rejected, duplicates, rowsRead };
  }
}

/**
 * Reads an account list through the contacts import's streaming CSV reader: header detected
 * (or stated), each row's domain normalised to its registrable company domain, rows without
 * one reported with their line, repeats merged (first name wins, a later name fills a blank).
 * File-level problems (not UTF-8, no domain column, a broken quote, too many rows, no kind
 * given) are ValidationErrors naming the line where they apply.
 */
export const parseAccountList = async (
  bytes: Uint8Array,
  options: AccountListOptions = {},
): Promise<ParsedAccountList> => {
  decodeUtf8(bytes);
  const { delimiter = ',', header = 'auto', kind } = options;
  const collector = new AccountCollector();
  let layout: Layout | undefined;
  try {
    for await (const { cells, line } of readCsv(bytes, { byte: 0, newlines: 0 }, delimiter)) {
      if (!layout) {
        layout = layoutOf(cells, header, kind);
        if (layout.hasHeader) continue;
      }
      collector.read(cells, line, layout, kind);
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw invalidFile(`line ${error.line}: ${error.message}`);
    throw error;
  }
  if (!layout) throw invalidFile('the file has no rows');
  return collector.result(layout.hasHeader);
};

/** What storage keeps of a list: the kind and the keyed hash of each domain, nothing readable. */
export interface StoredAccount extends AccountHash {
  kind: AccountKind;
}

export const hashAccountList = (keys: AccountKeys, accounts: readonly AccountEntry[]): StoredAccount[] =>
  accounts.map((account) => ({ ...hashAccount(keys, account.domain), kind: account.kind }));
