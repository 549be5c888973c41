import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagNamesIn, importsOf, layerViolations, type SourceText } from './imports.js';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(): SourceText[] {
  return readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const path = join(ROOT, 'src', name);
      return { path: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') };
    });
}

describe('the layer rule', () => {
  it('holds for every file under src/', () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    expect(layerViolations(files)).toEqual([]);
  });

  it('reads static, type-only and dynamic imports and re-exports, resolved from the importing file', () => {
    const file: SourceText = {
      path: 'src/services/render/x.ts',
      text: [
        "import type { IO } from '../../cli/io.js';",
        "import { a } from './a.js';",
        "export { b } from '../b.js';",
        "import sharp from 'sharp';",
        'const later = async () => await import(`../../context.js`);',
      ].join('\n'),
    };
    expect(importsOf(file).map((i) => [i.to, i.typeOnly])).toEqual([
      ['src/cli/io', true],
      ['src/services/render/a', false],
      ['src/services/b', false],
      ['sharp', false],
      ['src/context', false],
    ]);
  });

  it('fails on a planted violation of each kind, and only on those', () => {
    const planted: SourceText[] = [
      { path: 'src/media/slide.ts', text: "import { push } from '../services/db/push.js';" },
      { path: 'src/media/probe.ts', text: "import type { Rows } from '../db/backend.js';" },
      { path: 'src/media/fit.ts', text: "import { MEDIA_TYPES } from '../db/types.js';" },
      { path: 'src/media/metadata.ts', text: "import type { MediaType } from '../db/types.js';" },
      { path: 'src/db/local/open.ts', text: "const { spinner } = await import('../../cli/spinner.js');" },
      { path: 'src/auth/login.ts', text: "import type { Context } from '../context.js';" },
      { path: 'src/services/x.ts', text: "import { runRender } from '../commands/render.js';" },
      { path: 'src/tiktok/y.ts', text: "import { reportError } from '../cli.js';" },
      { path: 'src/commands/render.ts', text: "import type { IO } from '../cli/io.js';\nimport { x } from '../services/render/x.js';" },
      { path: 'src/cli/renderProgress.ts', text: "import type { RenderEvent } from '../services/render/events.js';" },
      { path: 'src/services/render/ok.ts', text: "import { renderSlides } from '../../media/slide.js';\nimport type { Rows } from '../../db/backend.js';" },
    ];
    expect(layerViolations(planted)).toEqual([
      'src/media/slide.ts imports src/services/db/push (media knows no service and no database)',
      'src/media/probe.ts imports src/db/backend (media knows no service and no database)',
      'src/media/fit.ts imports src/db/types (media knows no service and no database)',
      'src/media/metadata.ts imports src/db/types (media knows no service and no database)',
      'src/db/local/open.ts imports src/cli/spinner (only commands see the CLI: take plain arguments and report through events)',
      'src/auth/login.ts imports src/context (only commands see the CLI: take plain arguments and report through events)',
      'src/services/x.ts imports src/commands/render (only commands see the CLI: take plain arguments and report through events)',
      'src/tiktok/y.ts imports src/cli (only commands see the CLI: take plain arguments and report through events)',
    ]);
  });
});

describe('errors as data', () => {
  it('no string in src/media, src/services or src/db names a flag', () => {
    expect(sources().flatMap(flagNamesIn)).toEqual([]);
  });

  it('finds a planted flag in a string or template, but not in a comment, a V8 option or another layer', () => {
    const planted: SourceText[] = [
      { path: 'src/services/render/dayCount.ts', text: "// pass --force to go on\nthrow new UsageError('cap reached', { hint: 'pass --force' });" },
      { path: 'src/media/timeline.ts', text: 'const m = `${flag} and --slide-duration ${n}`;\n/** --motion */ const ok = 1;' },
      { path: 'src/db/local/database.ts', text: "setFlagsFromString('--liftoff-only');" },
      { path: 'src/commands/render.ts', text: "const hint = 'pass --force';" },
      { path: 'src/services/x.ts', text: "const range = '5--10'; const dash = 'a -- b';" },
    ];
    expect(planted.flatMap(flagNamesIn)).toEqual([
      'src/services/render/dayCount.ts:2 names --force',
      'src/media/timeline.ts:1 names --slide-duration',
    ]);
  });
});
