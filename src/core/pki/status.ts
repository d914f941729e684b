// Certificate health as `ca status` reports it. Exit policy (docs/private-ca.md): a status run
// fails (ExitCode.ChecksFailed) when any listed certificate is Expired, Expiring soon or Revoked.
export type CertState = 'Valid' | 'Expiring soon' | 'Expired' | 'Revoked';

export interface StatusInput {
  notBefore: Date;
  notAfter: Date;
  revoked?: boolean | undefined;
}

export const DEFAULT_EXPIRING_DAYS = 30;

export function classify(c: StatusInput, o: { now: Date; days: number }): CertState {
  if (c.revoked) return 'Revoked';
  if (c.notAfter.getTime() <= o.now.getTime()) return 'Expired';
  if (c.notAfter.getTime() - o.now.getTime() <= o.days * 86_400_000) return 'Expiring soon';
  return 'Valid';
}

export function isFailing(s: CertState): boolean {
  return s !== 'Valid';
}

/** Whole days left, rounded down; negative once expired. */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}
