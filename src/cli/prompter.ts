import { UsageError } from '../errors.js';

export interface Choice<V> {
  name: string;
  value: V;
  /** What the answer line shows once chosen, when `name` is a long row. */
  short?: string;
  description?: string;
  checked?: boolean;
}

/**
 * Every question names the flag that answers it, so a run without a terminal fails with
 * "pass --flag" instead of hanging on a prompt.
 */
export interface Prompter {
  confirm(q: { message: string; flag: string; default?: boolean }): Promise<boolean>;
  input(q: { message: string; flag: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  /** Typed without echo: passwords and connection strings that hold one. */
  secret(q: { message: string; flag: string }): Promise<string>;
  select<V>(q: { message: string; flag: string; choices: Choice<V>[]; default?: V }): Promise<V>;
  checkbox<V>(q: { message: string; flag: string; choices: Choice<V>[]; pageSize?: number }): Promise<V[]>;
}

export function noTerminal(message: string, flag: string): UsageError {
  return new UsageError(`${message.replace(/[?:]\s*$/, '')}: no terminal to ask on`, { hint: `pass ${flag}` });
}

/** The prompter used when stdin is not a terminal: every question is a usage error. */
export const refusingPrompter: Prompter = {
  confirm: async (q) => {
    throw noTerminal(q.message, q.flag);
  },
  input: async (q) => {
    throw noTerminal(q.message, q.flag);
  },
  secret: async (q) => {
    throw noTerminal(q.message, q.flag);
  },
  select: async (q) => {
    throw noTerminal(q.message, q.flag);
  },
  checkbox: async (q) => {
    throw noTerminal(q.message, q.flag);
  },
};

/** @inquirer/prompts on the real terminal, loaded only when a question is asked. */
export const inquirerPrompter: Prompter = {
  confirm: async (q) => (await import('@inquirer/prompts')).confirm({ message: q.message, default: q.default }),
  input: async (q) =>
    (await import('@inquirer/prompts')).input({ message: q.message, default: q.default, validate: q.validate }),
  secret: async (q) => (await import('@inquirer/prompts')).password({ message: q.message, mask: true }),
  select: async (q) =>
    (await import('@inquirer/prompts')).select({ message: q.message, choices: q.choices, default: q.default }),
  checkbox: async (q) =>
    (await import('@inquirer/prompts')).checkbox({ message: q.message, choices: q.choices, pageSize: q.pageSize }),
};

/** A prompter that answers from a script, for tests; fails loudly on an unexpected question. */
export function scriptedPrompter(answers: Array<{ flag: string; answer: unknown }>): Prompter & { asked: string[] } {
  const queue = [...answers];
  const asked: string[] = [];
  const next = (flag: string, message: string): unknown => {
    asked.push(flag);
    const a = queue.shift();
    if (!a) throw new Error(`unexpected prompt ${flag}: ${message}`);
    if (a.flag !== flag) throw new Error(`expected prompt ${a.flag}, got ${flag}: ${message}`);
    return a.answer;
  };
  return {
    asked,
    confirm: async (q) => next(q.flag, q.message) as boolean,
    input: async (q) => {
      const v = next(q.flag, q.message) as string;
      const ok = q.validate?.(v) ?? true;
      if (ok !== true) throw new Error(`scripted answer ${JSON.stringify(v)} rejected: ${ok}`);
      return v;
    },
    secret: async (q) => next(q.flag, q.message) as string,
    select: async <V>(q: { flag: string; message: string }) => next(q.flag, q.message) as V,
    checkbox: async <V>(q: { flag: string; message: string }) => next(q.flag, q.message) as V[],
  };
}
