// Secret checks on the certificate itself: names, validity, key, signature, extensions.
import type { CheckDefinition } from '../framework.js';
import type { SecretSubject } from '../subjects.js';
import { SECRET_CATEGORY } from './material.js';
import { alreadyValid, constraints, keyStrength, notExpired, notExpiringSoon, signatureAlgorithms, subjectAltNames } from '../certificate-rules.js';

type SecretCheck = CheckDefinition<SecretSubject>;
const leafOf = (s: SecretSubject) => s.material().chain[0];

export const secretSans: SecretCheck = {
  code: 'SEC107',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'certificate has SANs covering the expected host names',
  hint: 'issue the certificate with every host name as a subjectAltName (DNS:…); the CN alone is ignored by browsers and Go clients',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => {
    const leaf = leafOf(subject);
    return leaf ? subjectAltNames(leaf, subject.expectedNames) : null;
  },
};

export const secretNotExpired: SecretCheck = {
  code: 'SEC110',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'certificate is not expired',
  hint: 'renew the certificate now (cert-manager: `cmctl renew NAME`; private CA: `kubectl vibectl-tls ca issue`); then check why renewal did not happen',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject, now }) => {
    const leaf = leafOf(subject);
    return leaf ? notExpired(leaf, now()) : null;
  },
};

export const secretAlreadyValid: SecretCheck = {
  code: 'SEC111',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'certificate is already valid (notBefore is in the past)',
  hint: 'the issuer\'s clock or this machine\'s clock is wrong, or the certificate was back-dated wrongly; fix the clock and re-issue',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject, now }) => {
    const leaf = leafOf(subject);
    return leaf ? alreadyValid(leaf, now()) : null;
  },
};

export const secretNotExpiringSoon: SecretCheck = {
  code: 'SEC112',
  category: SECRET_CATEGORY,
  severity: 'warning',
  title: 'certificate does not expire within --days',
  hint: 'renew soon, and make sure something renews automatically (cert-manager renewBefore, `kubectl vibectl-tls renew`)',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject, now }) => {
    const leaf = leafOf(subject);
    return leaf ? notExpiringSoon(leaf, now(), subject.settings.days) : null;
  },
};

export const secretKeyStrength: SecretCheck = {
  code: 'SEC113',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'key is strong enough (RSA ≥ 2048, EC P-256/P-384)',
  hint: 're-issue with --key-algorithm ecdsa-p256 (or rsa-2048 or larger)',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => {
    const leaf = leafOf(subject);
    return leaf ? keyStrength(leaf) : null;
  },
};

export const secretSignature: SecretCheck = {
  code: 'SEC115',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'chain is not signed with SHA-1 or MD5',
  hint: 're-issue from a CA that signs with SHA-256 or better; clients reject SHA-1 and MD5 signatures',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => signatureAlgorithms(subject.material().chain),
};

export const secretConstraints: SecretCheck = {
  code: 'SEC116',
  category: SECRET_CATEGORY,
  severity: 'warning',
  title: 'basicConstraints and key usages fit a TLS server certificate',
  hint: 'issue the leaf with CA:FALSE and extendedKeyUsage serverAuth; CA certificates in the chain need CA:TRUE and keyCertSign',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => constraints(subject.material().chain),
};
