import type { Register } from '../cli/command.js';
import { register as preview } from './preview.js';

export interface CommandEntry {
  /** The topic folder (`session` for src/commands/session/new.ts); none for top-level commands. */
  topic?: string;
  /** The topic's one-line description, given on its first entry. */
  description?: string;
  register: Register;
}

/** Every command, in the order `slides --help` lists them. Command modules are light to import. */
export const COMMANDS: CommandEntry[] = [
  { register: preview },
];
