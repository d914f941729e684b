// CRDs of the add-ons setup and doctor talk to, pinned here and fetched as Go modules (only their
// YAML is read; nothing is built). See test/harness/crds.ts.
module vibectl-tls.local/harness/crds

go 1.26.0

require (
	github.com/cert-manager/trust-manager v0.25.0
	github.com/prometheus-operator/prometheus-operator v0.85.0
	sigs.k8s.io/gateway-api v1.6.3
)
