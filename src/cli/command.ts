import { InvalidArgumentError, type Command } from 'commander';
import type { Context } from '../context.js';

/** Wraps a command's action: builds the context, runs it, maps any error to its exit code. */
export type Runner = <A extends unknown[]>(action: (ctx: Context, ...args: A) => Promise<void>) => (...args: A) => Promise<void>;

/**
 * What every file under src/commands exports. It may import only light modules at the top
 * (commander, errors, types); services, sharp, ffmpeg and the database are imported inside
 * the action, so `slides --help` stays instant.
 */
export type Register = (parent: Command, run: Runner) => void;

/** A commander argument parser for flags that must be a positive whole number. */
export function positiveInt(raw: string): number {
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError('expected a whole number above 0.');
  }
  return n;
}

/** A commander argument parser for a choice among fixed values. */
export function oneOf<const T extends string>(values: readonly T[]) {
  return (raw: string): T => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new InvalidArgumentError(`expected one of ${values.join(', ')}.`);
    }
    return raw as T;
  };
}
