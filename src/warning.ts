/**
 * A warning as data. Media and services name the settings it concerns by field (`captions`,
 * `font`), never by flag; the command layer prints each as its flag (src/cli/settingFlags.ts).
 */
export interface Warning {
  /** The setting and value the warning is about, printed first: `--captions notes.txt has…`. */
  about?: { field: string; value: unknown };
  text: string;
  /** The setting that would help, printed last in brackets: `(add --caption-template to fill them)`. */
  fix?: { verb: string; field: string; rest?: string };
}

