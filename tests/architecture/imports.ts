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
}

/** Every module a file imports: static imports and re-exports (`import type` too) and `import()` calls. */
export function importsOf(file: SourceText): LayerImport[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) specifiers.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.map((specifier) => ({ from: file.path, to: resolved(file.path, specifier) }));
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
const RULES: { layer: RegExp; forbidden: RegExp; why: string }[] = [
  {
    layer: /^src\/(services|db|auth|media|tiktok)\//,
    forbidden: /^src\/(cli|cli\/.*|context|commands(\/.*)?)$/,
    why: 'only commands see the CLI: take plain arguments and report through events',
  },
  { layer: /^src\/media\//, forbidden: /^src\/(services|db)(\/.*)?$/, why: 'media knows no service and no database' },
];

/** One line per import that breaks the rule: `src/media/x.ts imports src/services/y (why)`. */
export function layerViolations(files: readonly SourceText[]): string[] {
  return files.flatMap((file) =>
    importsOf(file).flatMap(({ from, to }) =>
      RULES.filter((rule) => rule.layer.test(from) && rule.forbidden.test(to)).map((rule) => `${from} imports ${to} (${rule.why})`),
    ),
  );
}
