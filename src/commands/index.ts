import type { Register } from '../cli/command.js';
import { register as preview } from './preview.js';
import { register as dbSql } from './db/sql.js';
import { register as dbCheck } from './db/check.js';

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
  { topic: 'db', description: 'the database schema: print it, check it, push it', register: dbSql },
  { topic: 'db', register: dbCheck },
];
