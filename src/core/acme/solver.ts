// What a challenge solver does, whichever challenge it answers: make the answer visible,
// check it is visible the way the CA will look, and take it away afterwards.

export type ChallengeType = 'http-01' | 'dns-01';

export interface ChallengeTask {
  /** The identifier as the CA sees it (no "*." — see `wildcard`). */
  domain: string;
  wildcard: boolean;
  type: ChallengeType;
  token: string;
  /** http-01: the body to serve; dns-01: the TXT value. */
  keyAuthorization: string;
}

export interface ChallengeSolver {
  readonly type: ChallengeType;
  /** Short description for progress messages ("standalone HTTP on :5002"). */
  readonly description: string;
  present(task: ChallengeTask): Promise<void>;
  /** Resolves once the answer is visible; throws a TlsError naming what still answers wrong. */
  selfCheck(task: ChallengeTask, options: { timeoutMs: number }): Promise<void>;
  cleanup(task: ChallengeTask): Promise<void>;
  /** Releases listeners/servers held for the whole order, and removes anything still left behind. */
  close?(): Promise<void>;
  /** What cleanup/close removed so far ("TXT _acme-challenge.a.example.com", "Pod web/acme-…"), for the interrupted message. */
  readonly removed?: readonly string[];
}

export function dnsChallengeName(domain: string): string {
  return `_acme-challenge.${domain.replace(/\.$/, '')}`;
}

export function http01Path(token: string): string {
  return `/.well-known/acme-challenge/${token}`;
}
