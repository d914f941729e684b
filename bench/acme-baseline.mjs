#!/usr/bin/env node
// The stand-in peer for the ACME row while lego cannot be built here: the smallest program that
// gets a certificate with acme-client (the library the plugin builds on), with the same polling
// back-off as the plugin, answering HTTP-01 from its own server. It skips the self-check the plugin
// does before asking the CA to validate, so it does strictly less work.
//
//   NODE_EXTRA_CA_CERTS=pebble-ca.pem node bench/acme-baseline.mjs --directory URL --account-key FILE \
//     --port N --out DIR NAME…
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import acme from 'acme-client';

const { values, positionals: names } = parseArgs({
  allowPositionals: true,
  options: { directory: { type: 'string' }, 'account-key': { type: 'string' }, port: { type: 'string' }, out: { type: 'string' }, email: { type: 'string', default: 'bench@example.org' } },
});
const keyFile = values['account-key'];
let accountKey;
if (existsSync(keyFile)) accountKey = readFileSync(keyFile);
else {
  accountKey = await acme.crypto.createPrivateEcdsaKey('P-256');
  writeFileSync(keyFile, accountKey, { mode: 0o600 });
}
const client = new acme.Client({ directoryUrl: values.directory, accountKey, backoffAttempts: 40, backoffMin: 250, backoffMax: 3000 });

const answers = new Map();
const server = createServer((req, res) => {
  const token = req.url?.split('/').pop() ?? '';
  const answer = answers.get(token);
  res.writeHead(answer ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(answer ?? '');
});
await new Promise((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));

const leafKey = await acme.crypto.createPrivateEcdsaKey('P-256');
const [, csr] = await acme.crypto.createCsr({ commonName: names[0], altNames: names }, leafKey);
const chain = await client.auto({
  csr,
  email: values.email,
  termsOfServiceAgreed: true,
  challengePriority: ['http-01'],
  skipChallengeVerification: true,
  challengeCreateFn: async (_authz, challenge, keyAuthorization) => void answers.set(challenge.token, keyAuthorization),
  challengeRemoveFn: async (_authz, challenge) => void answers.delete(challenge.token),
});
server.close();
mkdirSync(values.out, { recursive: true, mode: 0o700 });
writeFileSync(join(values.out, 'tls.crt'), chain);
writeFileSync(join(values.out, 'tls.key'), leafKey, { mode: 0o600 });
