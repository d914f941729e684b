// The krew manifest (krew.googlecontainertools.github.com/v1alpha2 Plugin) and the checks krew's
// own validation applies (sigs.k8s.io/krew internal/index/validation + validate-krew-manifest),
// so a bad manifest fails here rather than in the krew-index review.
import { stringify } from 'yaml';

export const PLUGIN_NAME = 'vibectl-tls';

const SHORT = 'Get TLS right for services on Kubernetes';
const DESCRIPTION = `vibectl-tls sets up and checks TLS for services on a Kubernetes cluster:
a setup wizard (cert-manager or built-in ACME, private CA, cloud-managed
certificates), a doctor that explains broken chains, expiring certificates
and weak endpoint configurations, a private CA, ACME issuance and renewal,
and trust distribution. The binary is self-contained (no Node.js needed).`;

export function caveats() {
  return `Shell completion of \`kubectl vibectl-tls …\` (kubectl >= 1.26) needs the
kubectl_complete-vibectl_tls helper on your PATH; krew links only the plugin:

  kubectl vibectl-tls completion kubectl-helper > ~/.local/bin/kubectl_complete-vibectl_tls
  chmod +x ~/.local/bin/kubectl_complete-vibectl_tls

Scripts for the plugin binary itself: kubectl vibectl-tls completion bash|zsh|fish.
Start with: kubectl vibectl-tls context, then kubectl vibectl-tls doctor.
`;
}

/**
 * platforms: [{ os, arch, uri, sha256, bin }]
 */
export function krewManifest({ version, homepage, platforms }) {
  return {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: PLUGIN_NAME },
    spec: {
      version: `v${version.replace(/^v/, '')}`,
      homepage,
      shortDescription: SHORT,
      description: DESCRIPTION + '\n',
      caveats: caveats(),
      platforms: platforms.map((p) => ({
        selector: { matchLabels: { os: p.os, arch: p.arch } },
        uri: p.uri,
        sha256: p.sha256,
        bin: p.bin,
      })),
    },
  };
}

export function manifestYaml(manifest) {
  return stringify(manifest, { lineWidth: 0 });
}

// krew's validation rules (v0.4.x), as code.
const NAME_RE = /^[\w-]+$/; // IsSafePluginName: no path separators, no ".."
const SEMVER_V_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const SHA_RE = /^[a-f0-9]{64}$/;
const KNOWN = [
  ['darwin', 'amd64'], ['darwin', 'arm64'], ['linux', 'amd64'], ['linux', 'arm'], ['linux', 'arm64'],
  ['linux', 'ppc64le'], ['linux', '386'], ['linux', 's390x'], ['windows', 'amd64'], ['windows', '386'], ['windows', 'arm64'],
];

/** Returns a list of problems (empty when krew would accept the manifest saved as `<fileBase>.yaml`). */
export function validateKrewManifest(m, fileBase = PLUGIN_NAME) {
  const errs = [];
  if (m?.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') errs.push(`apiVersion must be krew.googlecontainertools.github.com/v1alpha2 (got ${m?.apiVersion})`);
  if (m?.kind !== 'Plugin') errs.push(`kind must be Plugin (got ${m?.kind})`);
  const name = m?.metadata?.name;
  if (!name || !NAME_RE.test(name)) errs.push(`metadata.name ${JSON.stringify(name)} is not a safe plugin name`);
  if (name !== fileBase) errs.push(`metadata.name ${name} must equal the file name ${fileBase}.yaml`);
  if (name && name.toLowerCase() !== name) errs.push('metadata.name must be lowercase');
  const s = m?.spec ?? {};
  if (!SEMVER_V_RE.test(s.version ?? '')) errs.push(`spec.version ${JSON.stringify(s.version)} must be semver with a leading v`);
  if (!s.shortDescription) errs.push('spec.shortDescription is empty');
  else if (s.shortDescription.includes('\n')) errs.push('spec.shortDescription must be one line');
  if (!s.homepage) errs.push('spec.homepage is empty');
  if (!Array.isArray(s.platforms) || s.platforms.length === 0) errs.push('spec.platforms is empty');
  for (const [i, p] of (s.platforms ?? []).entries()) {
    const at = `spec.platforms[${i}]`;
    if (!p.uri) errs.push(`${at}.uri is empty`);
    else if (!/\.(tar\.gz|tgz|zip)$/.test(new URL(p.uri).pathname)) errs.push(`${at}.uri must be a .tar.gz or .zip`);
    if (!SHA_RE.test(p.sha256 ?? '')) errs.push(`${at}.sha256 must be 64 lowercase hex characters`);
    if (!p.bin) errs.push(`${at}.bin is empty`);
    const labels = p.selector?.matchLabels ?? {};
    if (!p.selector || (Object.keys(labels).length === 0 && !(p.selector.matchExpressions?.length))) errs.push(`${at}.selector is empty`);
    if (labels.os === 'windows' && p.bin && !p.bin.endsWith('.exe')) errs.push(`${at}.bin must end in .exe on windows`);
    if (labels.os && labels.arch && !KNOWN.some(([o, a]) => o === labels.os && a === labels.arch)) errs.push(`${at}.selector matches no platform krew supports`);
    for (const f of p.files ?? []) if (!f.from || !f.to) errs.push(`${at}.files entries need from and to`);
  }
  // No two platforms may select the same os/arch.
  for (const [o, a] of KNOWN) {
    const hits = (s.platforms ?? []).filter((p) => {
      const l = p.selector?.matchLabels ?? {};
      return (!l.os || l.os === o) && (!l.arch || l.arch === a);
    });
    if (hits.length > 1) errs.push(`more than one platform selects ${o}/${a}`);
  }
  return errs;
}
