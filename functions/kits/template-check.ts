import Handlebars from 'handlebars';
import type { KitManifest } from './manifest';
import {
  blockHelpers,
  brandFields,
  helperKinds,
  recipientFields,
  recipientKinds,
  rootValues,
  type TemplateKind,
  vendorFields,
} from './vocabulary';

export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  message: string;
}

export interface TemplateUsage {
  /** Slot keys the template reads. */
  slots: Set<string>;
  /** Helpers and root values it uses (e.g. `unsubscribe_url`, `postal_address`). */
  names: Set<string>;
  /** Asset file names passed to `{{asset "…"}}`. */
  assets: Map<string, { line?: number | undefined; column?: number | undefined }>;
  problems: Problem[];
}

type Node = hbs.AST.Node;

const isPath = (node: Node): node is hbs.AST.PathExpression => node.type === 'PathExpression';

/**
 * Walks a template's AST against the vocabulary. Compile options are not a sandbox
 * (RELIABILITY.md): this allow-list is. It rejects triple-stash, partials, decorators,
 * data and parent paths, unknown helpers and any variable that is not a declared slot,
 * a brand, vendor or recipient field, or a platform value.
 */
export const checkTemplate = (
  source: string,
  file: string,
  kind: TemplateKind,
  manifest: Pick<KitManifest, 'slots'>,
): TemplateUsage => {
  const usage: TemplateUsage = { slots: new Set(), names: new Set(), assets: new Map(), problems: [] };
  const declared = new Set(manifest.slots.map((s) => s.key));
  const problem = (node: Node | undefined, code: string, message: string): undefined => {
    usage.problems.push({
      severity: 'error',
      code,
      file,
      line: node?.loc?.start.line,
      column: node?.loc ? node.loc.start.column + 1 : undefined,
      message,
    });
    return undefined;
  };

  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    usage.problems.push({
      severity: 'error',
      code: 'template-syntax',
      file,
      line: line ? Number(line) : undefined,
      message: `does not compile: ${message.split('\n')[0]}`,
    });
    return usage;
  }

  const checkVariable = (path: hbs.AST.PathExpression) => {
    if (path.data)
      return problem(path, 'template-data-variable', `@${path.parts.join('.')} is not available in kits`);
    if (path.depth > 0 || path.original.startsWith('this') || path.original.startsWith('.')) {
      return problem(
        path,
        'template-context-path',
        `${path.original}: parent and this paths are not allowed`,
      );
    }
    const [head, field, ...rest] = path.parts;
    const ok = (() => {
      if (rest.length > 0) return false;
      if (field === undefined) return (rootValues as readonly string[]).includes(head ?? '');
      if (head === 'slots') {
        if (!declared.has(field)) {
          problem(path, 'template-unknown-slot', `slots.${field} is not a slot this kit declares`);
          return true;
        }
        usage.slots.add(field);
        return true;
      }
      if (head === 'brand') return (brandFields as readonly string[]).includes(field);
      if (head === 'vendor') return (vendorFields as readonly string[]).includes(field);
      if (head === 'recipient') {
        if (!recipientKinds.includes(kind)) {
          problem(path, 'template-no-recipient', `${path.original}: a ${kind} template has no recipient`);
          return true;
        }
        return (recipientFields as readonly string[]).includes(field);
      }
      return false;
    })();
    if (!ok)
      problem(
        path,
        'template-unknown-variable',
        `${path.original} is not a slot, brand, vendor, recipient or platform value`,
      );
    else if (field === undefined && head) usage.names.add(head);
  };

  const checkHelper = (path: hbs.AST.PathExpression) => {
    const kinds = helperKinds[path.original];
    if (!kinds)
      return problem(
        path,
        'template-unknown-helper',
        `${path.original} is not one of the platform’s helpers`,
      );
    if (!kinds.includes(kind))
      return problem(
        path,
        'template-helper-misplaced',
        `${path.original} cannot be used in a ${kind} template`,
      );
    usage.names.add(path.original);
  };

  /** `{{asset "hero.png"}}` must name a literal file, so the validator can check it exists. */
  const checkAssetCall = (path: hbs.AST.PathExpression, params: hbs.AST.Expression[]) => {
    if (path.original !== 'asset') return;
    const [first] = params;
    if (params.length !== 1 || first?.type !== 'StringLiteral') {
      return problem(
        path,
        'template-asset-literal',
        'asset takes one file name in quotes, e.g. {{asset "hero.png"}}',
      );
    }
    const name = (first as hbs.AST.StringLiteral).value;
    usage.assets.set(name, {
      line: first.loc?.start.line,
      column: first.loc ? first.loc.start.column + 1 : undefined,
    });
  };

  const visitExpression = (node: Node) => {
    if (isPath(node)) return checkVariable(node);
    if (node.type === 'SubExpression') {
      const sub = node as hbs.AST.SubExpression;
      checkHelper(sub.path);
      checkAssetCall(sub.path, sub.params);
      sub.params.forEach(visitExpression);
      for (const pair of sub.hash?.pairs ?? []) visitExpression(pair.value);
    }
  };

  const visit = (node: Node): undefined => {
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        return;
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (!m.escaped)
          problem(
            m,
            'template-unescaped',
            'triple-stash {{{…}}} output is not allowed: values are always escaped',
          );
        if (!isPath(m.path))
          return problem(m, 'template-literal-output', 'output a variable or a helper, not a literal');
        const isCall =
          m.params.length > 0 ||
          (m.hash?.pairs.length ?? 0) > 0 ||
          helperKinds[m.path.original] !== undefined;
        if (isCall) {
          checkHelper(m.path);
          checkAssetCall(m.path, m.params);
          m.params.forEach(visitExpression);
          for (const pair of m.hash?.pairs ?? []) visitExpression(pair.value);
        } else {
          checkVariable(m.path);
        }
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        if (!(blockHelpers as readonly string[]).includes(b.path.original)) {
          return problem(
            b,
            'template-unknown-block',
            `{{#${b.path.original}}} is not allowed; use #if or #unless`,
          );
        }
        if (b.params.length !== 1)
          problem(b, 'template-block-arity', `{{#${b.path.original}}} takes one value`);
        b.params.forEach(visitExpression);
        visit(b.program);
        if (b.inverse) visit(b.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return problem(node, 'template-partial', 'partials are not allowed in kits');
      case 'DecoratorBlock':
      case 'Decorator':
        return problem(node, 'template-decorator', 'decorators are not allowed in kits');
      default:
        return problem(node, 'template-unsupported', `${node.type} is not allowed in kits`);
    }
  };
  visit(ast);
  return usage;
};
