// One error model for the whole tool: every failure a user can see carries an exit code,
// a one-line cause and a next step. Commands render these; services and core throw them.

/** Documented in docs/exit-codes.md. Stable: scripts depend on them. */
export const ExitCode = {
  Ok: 0,
  ChecksFailed: 1,
  Usage: 2,
  InvalidInput: 3,
  ClusterUnreachable: 4,
  Unauthorized: 5,
  Conflict: 6,
  ExternalService: 7,
  CouldNotRun: 8,
  Interrupted: 130,
  Internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface TlsErrorOptions {
  /** What to do next, written for someone mid-incident ("pass --email ADDR"). */
  hint?: string;
  cause?: unknown;
}

export class TlsError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  /** Stable machine-readable kind, used in JSON error output. */
  readonly kind: string;

  constructor(kind: string, exitCode: ExitCodeValue, message: string, options: TlsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TlsError';
    this.kind = kind;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

export class UsageError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('usage', ExitCode.Usage, message, options);
  }
}

/** A required answer is missing and we may not prompt for it. */
export class MissingInputError extends UsageError {
  readonly flags: string[];
  constructor(what: string, flags: string[], options?: TlsErrorOptions) {
    super(`${what} is required and no prompt is possible here (not a TTY, CI set, or --non-interactive)`, {
      hint: `pass ${flags.join(' ')}`,
      ...options,
    });
    this.flags = flags;
  }
}

export class InvalidInputError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('invalid-input', ExitCode.InvalidInput, message, options);
  }
}

export class ClusterUnreachableError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('cluster-unreachable', ExitCode.ClusterUnreachable, message, options);
  }
}

export class UnauthorizedError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('unauthorized', ExitCode.Unauthorized, message, options);
  }
}

export class ConflictError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('conflict', ExitCode.Conflict, message, options);
  }
}

export class ExternalServiceError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('external-service', ExitCode.ExternalService, message, options);
  }
}

export class InterruptedError extends TlsError {
  constructor(message = 'interrupted', options?: TlsErrorOptions) {
    super('interrupted', ExitCode.Interrupted, message, options);
  }
}

export class InternalError extends TlsError {
  constructor(message: string, options?: TlsErrorOptions) {
    super('internal', ExitCode.Internal, message, {
      hint: 'run again with --verbose and report the output',
      ...options,
    });
  }
}

/** Turn anything thrown into a TlsError without losing the original. */
export function toTlsError(err: unknown): TlsError {
  if (err instanceof TlsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(message || 'unexpected failure', { cause: err });
}
