// The init-container variant: at pod start an init container issues the pod's own leaf from the
// intermediate kept in a Secret (never a CA created in the pod), with SANs for the Service DNS
// names and the pod IP, and hands tls.crt (leaf + intermediate) / tls.key / ca.crt to the main
// container through an emptyDir. Plain POSIX sh + openssl so any openssl image can run it.

export interface InitScriptOptions {
  /** Service name; SANs become svc, svc.ns, svc.ns.svc, svc.ns.svc.<clusterDomain>. */
  service: string;
  validityDays?: number | undefined;
  clusterDomain?: string | undefined;
}

/** Reads env NAMESPACE and POD_IP, the issuer from $CA_DIR (tls.crt, tls.key, ca.crt), writes $OUT_DIR. */
export function initContainerScript(o: InitScriptOptions): string {
  const days = o.validityDays ?? 90;
  const domain = o.clusterDomain ?? 'cluster.local';
  return [
    'set -eu',
    'umask 077',
    'CA_DIR="${CA_DIR:-/vibectl-tls/issuer}"',
    'OUT_DIR="${OUT_DIR:-/vibectl-tls/out}"',
    `SVC='${o.service}'`,
    'NS="${NAMESPACE:?NAMESPACE is not set}"',
    'IP="${POD_IP:?POD_IP is not set}"',
    'WORK="$(mktemp -d)"',
    `SANS="DNS:$SVC,DNS:$SVC.$NS,DNS:$SVC.$NS.svc,DNS:$SVC.$NS.svc.${domain},DNS:localhost,IP:127.0.0.1,IP:$IP"`,
    'printf "%s\\n" "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \\',
    '  "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" "subjectAltName=$SANS" > "$WORK/ext.cnf"',
    'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/tls.key"',
    'openssl req -new -key "$WORK/tls.key" -subj "/CN=$SVC.$NS.svc" -out "$WORK/tls.csr"',
    'openssl x509 -req -in "$WORK/tls.csr" -CA "$CA_DIR/tls.crt" -CAkey "$CA_DIR/tls.key" \\',
    `  -set_serial "0x$(openssl rand -hex 16)" -days ${days} -sha256 -extfile "$WORK/ext.cnf" -out "$WORK/leaf.crt"`,
    'openssl verify -CAfile "$CA_DIR/ca.crt" -untrusted "$CA_DIR/tls.crt" "$WORK/leaf.crt" >/dev/null',
    'cat "$WORK/leaf.crt" "$CA_DIR/tls.crt" > "$WORK/tls.crt"',
    'cp "$WORK/tls.key" "$OUT_DIR/tls.key"',
    'cp "$WORK/tls.crt" "$OUT_DIR/tls.crt"',
    'cp "$CA_DIR/ca.crt" "$OUT_DIR/ca.crt"',
    'chmod 0644 "$OUT_DIR/tls.crt" "$OUT_DIR/ca.crt"',
    'rm -rf "$WORK"',
    'echo "vibectl-tls: issued the pod certificate for $SANS"',
    '',
  ].join('\n');
}
