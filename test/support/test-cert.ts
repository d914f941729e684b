// A real self-signed CA certificate for unit tests that need valid PEM (the trust builders parse
// what they distribute), made with openssl at load time: no key or certificate is committed.
import { execFileSync } from 'node:child_process';

export const TEST_CA_PEM = execFileSync(
  'openssl',
  ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=vibectl-tls unit-test CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
);
