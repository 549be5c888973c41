/** Typed errors; `exitCodeOf` is the one place they become exit codes (DESIGN §2). */
export class SlidesError extends Error {
  readonly exitCode: number = 1;
  /** One line telling the user what to do next, printed after the message. */
  readonly hint?: string;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** Bad flags, bad arguments, bad input files: exit 2. */
export class UsageError extends SlidesError {
  override readonly exitCode = 2;
}

/**
 * A setting that media or a service refused, as data: `field` is the option's name in code
 * (`slideDuration`), never a flag. Only the command layer knows flags: src/cli/settingFlags.ts
 * names the field as the user typed it when the error is reported.
 */
export class InvalidSetting extends UsageError {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly allowed: readonly string[] | undefined;
  /** A value that would do (`3 or more`): the hint becomes "pass <flag> <pass>". */
  readonly pass: string | undefined;
  constructor(
    field: string,
    value: unknown,
    problem: string,
    options?: { allowed?: readonly string[]; hint?: string; pass?: string; cause?: unknown },
  ) {
    super(value === undefined ? `${field}: ${problem}` : `${field} ${settingValueText(value)}: ${problem}`, {
      hint:
        options?.hint ??
        (options?.pass !== undefined ? `pass ${field} ${options.pass}` : undefined) ??
        (options?.allowed?.length ? `one of ${options.allowed.join(', ')}` : undefined),
      cause: options?.cause,
    });
    this.field = field;
    this.value = value;
    this.problem = problem;
    this.allowed = options?.allowed;
    this.pass = options?.pass;
  }
}

/**
 * A setting that only works with another one, which is missing (cutting on the beat without a
 * song): both named by field, as in InvalidSetting.
 */
export class MissingSetting extends UsageError {
  constructor(
    readonly field: string,
    readonly needs: string,
    readonly problem: string,
  ) {
    super(`${field} needs ${needs}: ${problem}`);
  }
}

/**
 * A setting a session stores that this version of slides does not take: a field it does not
 * know, or a value it no longer accepts (written by another version). Names the session.
 */
export class StoredSettingInvalid extends InvalidSetting {
  readonly sessionId: string;
  constructor(sessionId: string, field: string, value: unknown, problem: string, allowed?: readonly string[]) {
    super(field, value, problem, {
      allowed,
      hint: `${allowed ? `one of ${allowed.join(', ')}; ` : ''}set it again with slides session edit ${sessionId.slice(0, 8)} (an edit drops the settings this version does not know)`,
    });
    this.sessionId = sessionId;
  }
}

export function settingValueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A render refused because the session made its `maxPerDay` groups today; the command layer
 * says how to render one more anyway.
 */
export class DayCapReached extends UsageError {}

/**
 * Files a session still uses, refused for removal; the command layer says how to remove the
 * session items with them.
 */
export class FilesInUse extends UsageError {}

/** Not signed in, expired or revoked session: exit 3. */
export class AuthError extends SlidesError {
  override readonly exitCode = 3;
}

/** Some items failed, the others are done: exit 4. */
export class PartialFailure extends SlidesError {
  override readonly exitCode = 4;
}

/** The database or storage could not be reached or opened: exit 5. */
export class BackendUnavailable extends SlidesError {
  override readonly exitCode = 5;
}

/** A storage write refused because the object exists (Supabase Storage answers 409). */
export class ObjectExists extends SlidesError {
  override readonly exitCode = 1;
}

export const EXIT = { ok: 0, unexpected: 1, usage: 2, auth: 3, partial: 4, unavailable: 5 } as const;

export function exitCodeOf(error: unknown): number {
  if (error instanceof SlidesError) return error.exitCode;
  if (isCommanderError(error)) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.unexpected;
}

function isCommanderError(error: unknown): error is { code: string; exitCode: number } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('commander.')
  );
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A statement the database refused; `sqlState` is Postgres's code (23505 unique, 42501 RLS…). */
export class DatabaseError extends SlidesError {
  readonly sqlState: string | undefined;
  constructor(message: string, sqlState: string | undefined, options?: { hint?: string; cause?: unknown }) {
    super(message, options);
    this.sqlState = sqlState;
  }
}

export const SQLSTATE = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
  insufficientPrivilege: '42501',
  noDataFound: 'P0002',
} as const;
