// Endpoint checks on cipher suites and key exchange, graded against Mozilla's profile.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';
import { PROFILES, hasForwardSecrecy, isCbc, isInsecure } from '../../tls/mozilla.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const CIPHERS = 'cipher suites';

export const profileCiphers: EndpointCheck = {
  code: 'TLS110',
  category: CIPHERS,
  severity: 'warning',
  title: 'cipher suites are within the Mozilla profile',
  hint: 'offer only the profile\'s suites (intermediate TLS 1.2: ECDHE-{ECDSA,RSA}-{AES128-GCM-SHA256,AES256-GCM-SHA384,CHACHA20-POLY1305})',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const profile = PROFILES[subject.settings.profile];
    const scan = await subject.scan();
    const outside = scan.ciphers.filter((c) =>
      c.version === 'TLSv1.3' ? !profile.tls13Ciphers.includes(c.name) : !(c.version === 'TLSv1.2' && profile.tls12Ciphers.includes(c.name)),
    );
    const cbc = outside.filter((c) => isCbc(c.name, c.version));
    if (outside.length)
      return {
        result: 'fail',
        message: `${outside.length} suite(s) outside the ${profile.name} profile${cbc.length ? `, ${cbc.length} of them CBC` : ''}`,
        details: outside.slice(0, 12).map((c) => `${c.version} ${c.name}`).concat(outside.length > 12 ? [`… and ${outside.length - 12} more`] : []),
      };
    return { result: 'pass', message: `${scan.ciphers.length} suite(s), all in the ${profile.name} profile` };
  },
};

export const forwardSecrecy: EndpointCheck = {
  code: 'TLS111',
  category: CIPHERS,
  severity: 'error',
  title: 'forward secrecy (ECDHE) with the preferred suites',
  hint: 'prefer ECDHE suites and drop static-RSA key exchange (AES128-SHA, AES256-GCM-SHA384, …)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const ciphers = (await subject.scan()).ciphers;
    const without = ciphers.filter((c) => !hasForwardSecrecy(c.name, c.version));
    const preferredWithout = ciphers.filter((c) => c.preferred && !hasForwardSecrecy(c.name, c.version));
    if (without.length === ciphers.length) return { result: 'fail', message: 'no suite with forward secrecy is accepted' };
    if (preferredWithout.length) return { result: 'fail', message: `the preferred suite has no forward secrecy: ${preferredWithout.map((c) => `${c.version} ${c.name}`).join(', ')}` };
    if (without.length) return { result: 'pass', message: 'preferred suites use ECDHE', details: [`also accepted without forward secrecy: ${without.map((c) => c.name).filter((n, i, a) => a.indexOf(n) === i).slice(0, 8).join(', ')}`] };
    return { result: 'pass', message: 'every accepted suite has forward secrecy' };
  },
};

export const noInsecureCiphers: EndpointCheck = {
  code: 'TLS112',
  category: CIPHERS,
  severity: 'error',
  title: 'no anonymous, NULL, export, RC4 or 3DES suites',
  hint: 'remove aNULL/eNULL/EXPORT/RC4/3DES from the cipher list (nginx: start from Mozilla\'s list instead of ALL)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const bad = (await subject.scan()).ciphers.filter((c) => isInsecure(c.name));
    if (bad.length) return { result: 'fail', message: `${bad.length} insecure suite(s) accepted`, details: bad.slice(0, 10).map((c) => `${c.version} ${c.name}`) };
    return { result: 'pass', message: 'none accepted' };
  },
};

export const groups: EndpointCheck = {
  code: 'TLS113',
  category: CIPHERS,
  severity: 'warning',
  title: 'key exchange groups include the profile\'s (X25519, P-256, P-384)',
  hint: 'enable X25519 and P-256 (nginx: ssl_ecdh_curve X25519:prime256v1:secp384r1)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const profile = PROFILES[subject.settings.profile];
    const scan = await subject.scan();
    const names = [...new Set(scan.groups.map((g) => g.name))];
    if (names.length === 0) return scan.ciphers.some((c) => c.version === 'TLSv1.3' || c.name.includes('ECDHE')) ? { result: 'fail', message: 'no key exchange group could be confirmed' } : null;
    const good = names.filter((n) => profile.groups.includes(n));
    if (!good.length) return { result: 'fail', message: `none of ${profile.groups.join(', ')} accepted`, details: [`accepted: ${names.join(', ')}`] };
    return { result: 'pass', message: names.join(', ') };
  },
};
