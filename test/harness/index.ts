// The integration-test harness: real control plane, cert-manager, Pebble and BIND on loopback.
// See docs/development.md ("Local control plane") for the API and the measured costs.
export { startControlPlane, READONLY_BINDING, type ControlPlane, type ControlPlaneOptions, type HarnessUser } from './control-plane.js';
export { installCertManagerCRDs, startCertManagerController, type CertManagerController, type CertManagerOptions, type InstalledCrds } from './cert-manager.js';
export { startPebble, LETSENCRYPT_PROFILES, type Pebble, type PebbleOptions, type PebbleProfile } from './pebble.js';
export { startDns, type DnsServer, type DnsOptions, type TsigKey } from './dns.js';
export { loadManifest, program, certManagerCrdDir, cacheDir, type HarnessManifest, type BuiltProgram, type ProgramName } from './manifest.js';
export { createCa, issueCert, writePair, type TestCa, type IssuedCert, type IssueOptions } from './pki.js';
export { httpRequest, httpGet } from './http.js';
export { startWorkload, type Workload, type WorkloadOptions } from './workload.js';
export { spawnManaged, stopAll, markFailed, waitFor, freePort, delay, runDir, makeDir, rssKiB, type ManagedProcess, type SpawnOptions, type WaitOptions } from './processes.js';
export { installAddonCRDs, addonDir, ADDONS, type Addon } from './addon-crds.js';
