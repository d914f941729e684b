// Rotation without interruption, as a small state machine:
//   prepare  — make the new CA (intermediate, or root + intermediate) and publish a bundle that
//              trusts old and new;
//   reissue  — re-issue every current leaf from the new intermediate and deliver it where the old
//              one went;
//   finish   — drop the old CA from the bundle and archive it.
// An intermediate rotation changes no trust anchor, so all three steps may run at once. A root
// rotation stops after each step: clients must have the new bundle before servers switch, and
// servers must serve the new chain before the old root leaves the bundle.
import { concatPem } from './pem.js';

export type RotationStep = 'prepare' | 'reissue' | 'finish';

export interface RotationPosition {
  kind: 'root' | 'intermediate';
  /** Last completed step, or undefined when no rotation is in progress. */
  done?: 'prepared' | 'reissued' | undefined;
}

/** The step that comes next, or undefined when nothing is in progress. */
export function nextStep(p: RotationPosition): RotationStep | undefined {
  if (p.done === 'prepared') return 'reissue';
  if (p.done === 'reissued') return 'finish';
  return undefined;
}

/** Which steps one command run performs: `all` runs to the end; otherwise a root rotation pauses after each step. */
export function stepsToRun(o: { kind: 'root' | 'intermediate'; done?: 'prepared' | 'reissued' | undefined; all: boolean }): RotationStep[] {
  const order: RotationStep[] = ['prepare', 'reissue', 'finish'];
  const start = o.done === 'prepared' ? 1 : o.done === 'reissued' ? 2 : 0;
  if (o.all || o.kind === 'intermediate') return order.slice(start);
  return [order[start]!];
}

/** The trust bundle while a rotation is in flight: every root a client may meet, then the intermediates. */
export function transitionBundle(o: { roots: string[]; intermediates: string[] }): string {
  const seen = new Set<string>();
  const uniq = (pems: string[]) => pems.filter((p) => p && !seen.has(p.trim()) && seen.add(p.trim()));
  return concatPem(...uniq(o.roots), ...uniq(o.intermediates));
}
