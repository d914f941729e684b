// ACME and self-check failures as cert-manager reports them in Challenge/Order/CertificateRequest
// text, sorted into the traps users hit, each with what to do about it.

export type AcmeTrap =
  | { kind: 'rate-limit'; fix: string }
  | { kind: 'http01-404'; fix: string }
  | { kind: 'http01-timeout'; fix: string }
  | { kind: 'http01-redirect'; fix: string }
  | { kind: 'dns01-propagation'; fix: string }
  | { kind: 'dns01-zone'; fix: string }
  | { kind: 'dns01-unreachable'; fix: string };

export function classifyAcmeText(text: string, challengeType?: string): AcmeTrap | undefined {
  if (/urn:ietf:params:acme:error:rateLimited|too many (certificates|failed authorizations|new orders|registrations|requests)|rate ?limit/i.test(text))
    return { kind: 'rate-limit', fix: 'the ACME CA is rate limiting this account or these names: wait for the window in the message (Let\'s Encrypt: up to a week for duplicate certificates), use the staging server while testing, and do not delete and recreate the Certificate in a loop' };
  // Challenge.spec.type is "HTTP-01" / "DNS-01" in the CRD; accept either case.
  const type = challengeType?.toUpperCase();
  const http = type === 'HTTP-01' || (type === undefined && /\.well-known\/acme-challenge|HTTP-01|self check GET/i.test(text));
  const dns = type === 'DNS-01' || (type === undefined && /DNS-01|_acme-challenge|TXT record/i.test(text));
  if (http) {
    if (/wrong status code '30\d'|redirect|Get "https:\/\/|x509|tls: /i.test(text) && !/wrong status code '404'/.test(text))
      return { kind: 'http01-redirect', fix: 'the solver path is redirected (usually to HTTPS, e.g. an ssl-redirect / force-ssl annotation or a global HTTP→HTTPS redirect); exempt /.well-known/acme-challenge/ from the redirect, or use DNS-01' };
    if (/wrong status code '404'|\b404\b/.test(text))
      return { kind: 'http01-404', fix: "the ingress controller does not route the solver's path to the solver pod: the solver Ingress has the wrong class (check the issuer's http01.ingress.ingressClassName against `kubectl get ingressclass`), or another Ingress for the same host wins" };
    if (/timeout|deadline exceeded|connection refused|no such host|i\/o timeout|connection reset/i.test(text))
      return { kind: 'http01-timeout', fix: 'cert-manager cannot reach http://HOST/ from inside the cluster: check that the name resolves to the load balancer, port 80 is open, and the cluster can reach its own public address (NAT hairpin)' };
  }
  if (dns) {
    if (/propagat|waiting for DNS|record .* not yet|did not find expected TXT/i.test(text))
      return { kind: 'dns01-propagation', fix: 'the TXT record is not visible yet from the nameservers cert-manager asks: check it with dig TXT _acme-challenge.NAME @AUTHORITATIVE; if it never appears, the provider wrote it to another zone or cert-manager asks resolvers that cache (--dns01-recursive-nameservers)' };
    if (/zone|SOA|NXDOMAIN|no such zone|not authoritative/i.test(text))
      return { kind: 'dns01-zone', fix: 'cert-manager could not find the zone for the name (wrong hostedZoneID / zone, a CNAME on _acme-challenge pointing elsewhere, or a delegated subdomain): set the zone explicitly in the solver' };
    if (/timeout|SERVFAIL|server misbehaving|i\/o timeout|connection refused/i.test(text))
      return { kind: 'dns01-unreachable', fix: 'the authoritative nameservers cannot be reached from the cluster: allow DNS (53/udp+tcp) egress, or point --dns01-recursive-nameservers at resolvers that can' };
  }
  return undefined;
}
