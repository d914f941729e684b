// Rules on a certificate chain that both Secret and endpoint checks apply; each returns an Outcome.
import type { Outcome } from './framework.js';
import type { CertFacts } from '../x509/certificate.js';
import { coversName } from '../x509/certificate.js';
import { constraintProblems, daysBetween, judgeKey, label, weakSignatures } from '../x509/evaluate.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

export function notExpired(leaf: CertFacts, now: Date): Outcome {
  if (leaf.notAfter.getTime() < now.getTime())
    return { result: 'fail', message: `expired ${daysBetween(leaf.notAfter, now)} day(s) ago (notAfter ${leaf.notAfter.toISOString()})` };
  return { result: 'pass', message: `valid until ${day(leaf.notAfter)}` };
}

export function alreadyValid(leaf: CertFacts, now: Date): Outcome {
  if (leaf.notBefore.getTime() > now.getTime())
    return { result: 'fail', message: `not valid before ${leaf.notBefore.toISOString()} (in ${Math.max(1, daysBetween(now, leaf.notBefore))} day(s)); check the issuer's and this machine's clocks` };
  return { result: 'pass', message: `valid since ${day(leaf.notBefore)}` };
}

export function notExpiringSoon(leaf: CertFacts, now: Date, days: number): Outcome | null {
  if (leaf.notAfter.getTime() < now.getTime()) return null; // reported as expired
  const left = daysBetween(now, leaf.notAfter);
  if (left < days) return { result: 'fail', message: `expires in ${left} day(s) (${day(leaf.notAfter)}), within the ${days}-day window` };
  return { result: 'pass', message: `${left} days left` };
}

export function keyStrength(leaf: CertFacts): Outcome {
  const v = judgeKey(leaf.key);
  if (v.level === 'weak') return { result: 'fail', message: v.message };
  if (v.level === 'unusual') return { result: 'info', message: v.message };
  return { result: 'pass', message: v.message };
}

export function signatureAlgorithms(chain: readonly CertFacts[]): Outcome {
  const weak = weakSignatures(chain);
  if (weak.length) return { result: 'fail', message: `weak signature algorithm: ${weak[0]}`, details: weak.slice(1) };
  return { result: 'pass', message: [...new Set(chain.filter((c) => !c.selfSigned || chain.length === 1).map((c) => c.signatureAlgorithm))].join(', ') };
}

export function constraints(chain: readonly CertFacts[]): Outcome {
  const problems = constraintProblems(chain);
  if (problems.length) return { result: 'fail', message: problems[0]!, details: problems.slice(1) };
  return { result: 'pass', message: 'leaf is not a CA; EKU and key usage allow TLS server use' };
}

/** SANs exist (clients ignore the CN) and cover every expected name. */
export function subjectAltNames(leaf: CertFacts, expected: readonly string[]): Outcome {
  const names = [...leaf.dnsNames, ...leaf.ipAddresses];
  if (names.length === 0)
    return { result: 'fail', message: `the certificate has no subjectAltName${leaf.commonName ? ` (only CN=${leaf.commonName}, which clients ignore)` : ''}` };
  const missing = expected.filter((n) => !coversName(leaf, n));
  if (missing.length) return { result: 'fail', message: `does not cover ${missing.join(', ')}`, details: [`SANs: ${names.join(', ')}`] };
  return { result: 'pass', message: `SANs: ${names.slice(0, 6).join(', ')}${names.length > 6 ? `, … (${names.length})` : ''}` };
}

export { label };
