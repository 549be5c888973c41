import { posix } from 'node:path';
import ts from 'typescript';

export interface SourceText {
  /** Repository-relative, with forward slashes: `src/media/slide.ts`. */
  path: string;
  text: string;
}

export interface LayerImport {
  from: string;
  /** The imported module, repository-relative without its extension (`src/cli/io`), or the package name. */
  to: string;
  /** `import type …`: erased from the JavaScript, a dependency on a shape only. */
  typeOnly: boolean;
}

/** Every module a file imports: static imports and re-exports (`import type` too) and `import()` calls. */
export function importsOf(file: SourceText): LayerImport[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: LayerImport[] = [];
  const add = (specifier: string, typeOnly: boolean) => found.push({ from: file.path, to: resolved(file.path, specifier), typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) add(first.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolved(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return posix.join(posix.dirname(from), specifier).replace(/\.(js|ts)$/, '');
}

/**
 * The layer rule (DESIGN §3, §11): only src/commands and src/cli see the terminal, so what lies
 * below them (services, db, auth, media, tiktok) imports neither them, nor src/cli.ts, nor the
 * command Context; media is pure layout and executors, so it imports no service and no database.
 */
const RULES: { layer: RegExp; forbidden: (i: LayerImport) => boolean; why: string }[] = [
  {
    layer: /^src\/(services|db|auth|media|tiktok)\//,
    forbidden: (i) => /^src\/(cli|cli\/.*|context|commands(\/.*)?)$/.test(i.to),
    why: 'only commands see the CLI: take plain arguments and report through events',
  },
  {
    layer: /^src\/media\//,
    forbidden: (i) => /^src\/(services|db)(\/.*)?$/.test(i.to),
    why: 'media knows no service and no database',
  },
];

/** One line per import that breaks the rule: `src/media/x.ts imports src/services/y (why)`. */
export function layerViolations(files: readonly SourceText[]): string[] {
  return files.flatMap((file) =>
    importsOf(file).flatMap((i) =>
      RULES.filter((rule) => rule.layer.test(i.from) && rule.forbidden(i)).map((rule) => `${i.from} imports ${i.to} (${rule.why})`),
    ),
  );
}

/**
 * Flag names (`--force`) in the strings of media, services and db: errors and warnings there carry
 * fields, and the command layer names the flags. A V8 option given to `setFlagsFromString` is no
 * CLI flag. Comments are not strings, so they may name flags.
 */
export function flagNamesIn(file: SourceText): string[] {
  if (!/^src\/(media|services|db)\//.test(file.path)) return [];
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && /setFlagsFromString$/.test(node.expression.getText(source))) return;
    const text =
      ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) ? node.text : undefined;
    const flag = text === undefined ? null : /(?:^|[\s"'(`])(--[a-z][\w-]*)/.exec(text);
    if (flag) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${file.path}:${line + 1} names ${flag[1]}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
