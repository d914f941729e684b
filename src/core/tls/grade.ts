// A grade in the manner of SSL Labs: start at A, and let each problem cap it, keeping the
// reasons so the user sees what stands between them and an A+.
import type { ScanResult } from './scan.js';
import { hasForwardSecrecy, isInsecure } from './mozilla.js';
import type { CertFacts } from '../x509/certificate.js';
import { judgeKey, weakSignatures } from '../x509/evaluate.js';
import { parseHsts } from './http.js';

export type Grade = 'A+' | 'A' | 'A-' | 'B' | 'C' | 'T' | 'M' | 'F';
const RANK: Record<Grade, number> = { 'A+': 0, A: 1, 'A-': 2, B: 3, C: 4, T: 5, M: 6, F: 7 };

export interface GradeCap {
  grade: Grade;
  reason: string;
}

export interface GradeResult {
  grade: Grade;
  caps: GradeCap[];
}

export interface GradeInput {
  scan: ScanResult;
  chain: readonly CertFacts[];
  now: Date;
  trusted: boolean;
  chainComplete: boolean;
  hostnameMatches: boolean;
}

export function gradeEndpoint(input: GradeInput): GradeResult {
  const { scan, chain, now } = input;
  const caps: GradeCap[] = [];
  const cap = (grade: Grade, reason: string) => caps.push({ grade, reason });
  const leaf = chain[0];
  if (!scan.reachable || !leaf) return { grade: 'F', caps: [{ grade: 'F', reason: scan.error ?? 'no certificate served' }] };

  const insecure = scan.ciphers.filter((c) => isInsecure(c.name));
  if (insecure.some((c) => /NULL|^A(EC)?DH|EXP/.test(c.name))) cap('F', `anonymous, NULL or export suites accepted (${insecure.map((c) => c.name).slice(0, 3).join(', ')})`);
  else if (insecure.length) cap('C', `RC4/3DES suites accepted (${insecure.map((c) => c.name).slice(0, 3).join(', ')})`);
  if (leaf.notAfter < now) cap('T', 'certificate expired');
  if (leaf.notBefore > now) cap('T', 'certificate not yet valid');
  if (leaf.selfSigned) cap('T', 'self-signed certificate');
  else if (!input.trusted) cap('T', 'chain does not end in a trusted root');
  if (weakSignatures(chain).length) cap('T', 'SHA-1/MD5 signature in the chain');
  if (!input.hostnameMatches) cap('M', 'certificate name does not match the host');
  if (scan.protocols.TLSv1 || scan.protocols['TLSv1.1']) cap('B', 'TLS 1.0/1.1 offered');
  const fs = scan.ciphers.filter((c) => hasForwardSecrecy(c.name, c.version));
  const preferred12 = scan.ciphers.find((c) => c.version === 'TLSv1.2' && c.preferred);
  if (fs.length === 0 || (preferred12 && !hasForwardSecrecy(preferred12.name, preferred12.version))) cap('B', 'no forward secrecy with the preferred suites');
  if (judgeKey(leaf.key).level === 'weak') cap('B', `weak key (${judgeKey(leaf.key).message.split(':')[0]})`);
  if (!input.chainComplete) cap('B', 'incomplete chain (intermediate missing)');
  if (!scan.protocols['TLSv1.3']) cap('A-', 'TLS 1.3 not offered');

  let grade: Grade = 'A';
  for (const c of caps) if (RANK[c.grade] > RANK[grade]) grade = c.grade;
  if (grade === 'A') {
    const hsts = parseHsts(scan.http?.headers['strict-transport-security']);
    if (hsts && hsts.maxAge >= 15_552_000) grade = 'A+';
    else if (scan.http?.ok) caps.push({ grade: 'A', reason: 'A+ needs HSTS with max-age ≥ 6 months' });
  }
  caps.sort((a, b) => RANK[b.grade] - RANK[a.grade]);
  return { grade, caps };
}
