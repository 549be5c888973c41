/**
 * A typed filter graph: chains of filters between labelled pads, serialized to the text of an
 * ffmpeg filter script (`-filter_complex_script`), which has no command-line length limit.
 */

export type OptionValue = string | number;

export interface Filter {
  name: string;
  options: ReadonlyArray<readonly [string, OptionValue]>;
}

/** `[in0][in1]f1=…,f2=…[out0]`; a chain with no filters is not allowed by ffmpeg. */
export interface Chain {
  inputs: readonly string[];
  filters: readonly Filter[];
  outputs: readonly string[];
}

export function filter(name: string, options: Record<string, OptionValue> = {}): Filter {
  return { name, options: Object.entries(options) };
}

export function chain(inputs: readonly string[], filters: readonly Filter[], outputs: readonly string[]): Chain {
  if (filters.length === 0) throw new Error('a filter chain needs at least one filter');
  return { inputs, filters, outputs };
}

export function serializeGraph(chains: readonly Chain[]): string {
  return `${chains.map(serializeChain).join(';\n')}\n`;
}

function serializeChain(c: Chain): string {
  const pads = (labels: readonly string[]): string => labels.map((l) => `[${l}]`).join('');
  return `${pads(c.inputs)}${c.filters.map(serializeFilter).join(',')}${pads(c.outputs)}`;
}

export function serializeFilter(f: Filter): string {
  if (f.options.length === 0) return f.name;
  return `${f.name}=${f.options.map(([key, value]) => `${key}=${quoteValue(value)}`).join(':')}`;
}

/**
 * ffmpeg unquotes a value twice: as graph text (splits on `,;[]`, honours single quotes), then as
 * an option list (splits on `:`, honours backslashes). So escape for the second, quote for the first.
 */
export function quoteValue(value: OptionValue): string {
  const text = typeof value === 'number' ? formatNumber(value) : value;
  if (/^[\w.+\-*/()|]*$/.test(text)) return text;
  const optionLevel = text.replace(/[\\':]/g, '\\$&');
  return `'${optionLevel.replaceAll("'", "'\\''")}'`;
}

/** Plain decimal (never `1e-7`), at most 6 decimals, which is finer than any frame or sample we use. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/\.?0+$/, '');
}
