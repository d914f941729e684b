// Secret checks, first layer: is there a certificate and a key, do they parse, do they belong together.
import type { CheckDefinition } from '../framework.js';
import type { SecretSubject } from '../subjects.js';
import { keyMatches } from '../../x509/evaluate.js';

type SecretCheck = CheckDefinition<SecretSubject>;
export const SECRET_CATEGORY = 'kubernetes.io/tls Secret';

export const secretKeysPresent: SecretCheck = {
  code: 'SEC101',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'Secret has tls.crt and tls.key',
  hint: 'store the certificate chain under tls.crt and the private key under tls.key (kubectl create secret tls NAME --cert=FILE --key=FILE)',
  appliesTo: 'secret',
  run: ({ subject }) => {
    const m = subject.material();
    const missing = ['tls.crt', 'tls.key'].filter((k) => !m.keys.includes(k));
    if (missing.length) return { result: 'fail', message: `missing or empty: ${missing.join(', ')}`, details: [`keys present: ${m.keys.join(', ') || 'none'}`] };
    return { result: 'pass', message: `keys: ${m.keys.join(', ')}` };
  },
};

export const secretCertParses: SecretCheck = {
  code: 'SEC102',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'tls.crt holds PEM certificates that parse',
  hint: 'tls.crt must be PEM ("-----BEGIN CERTIFICATE-----"), leaf first; re-export it with `openssl x509 -in cert -outform PEM`',
  appliesTo: 'secret',
  dependsOn: ['SEC101'],
  run: ({ subject }) => {
    const m = subject.material();
    if (m.chainError) return { result: 'fail', message: `tls.crt: ${m.chainError}` };
    return { result: 'pass', message: `${m.chain.length} certificate${m.chain.length === 1 ? '' : 's'}` };
  },
};

export const secretKeyParses: SecretCheck = {
  code: 'SEC103',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'tls.key holds an unencrypted PEM private key',
  hint: 'tls.key must be an unencrypted PEM key (PKCS#8, PKCS#1 or SEC1); decrypt it with `openssl pkey -in key -out key.pem`',
  appliesTo: 'secret',
  dependsOn: ['SEC101'],
  run: ({ subject }) => {
    const m = subject.material();
    if (m.keyError || !m.key) return { result: 'fail', message: `tls.key does not parse: ${m.keyError ?? 'no key'}` };
    return { result: 'pass', message: `${m.key.asymmetricKeyType ?? 'unknown'} key` };
  },
};

export const secretKeyMatches: SecretCheck = {
  code: 'SEC104',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'private key matches the certificate',
  hint: 'tls.key belongs to a different certificate; put the key that was used for the CSR next to its certificate, or re-issue both',
  appliesTo: 'secret',
  dependsOn: ['SEC102', 'SEC103'],
  run: ({ subject }) => {
    const m = subject.material();
    const leaf = m.chain[0];
    if (!leaf || !m.key) return null;
    if (!keyMatches(leaf, m.key)) {
      const other = m.chain.slice(1).findIndex((c) => keyMatches(c, m.key!));
      return {
        result: 'fail',
        message: 'tls.key does not match the first certificate in tls.crt',
        details: other >= 0 ? [`it matches certificate ${other + 2}: the chain is probably in the wrong order`] : [],
      };
    }
    return { result: 'pass', message: 'the key matches the leaf certificate' };
  },
};
