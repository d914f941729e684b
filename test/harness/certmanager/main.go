// Command cert-manager-controller runs the upstream cert-manager controllers
// (github.com/cert-manager/cert-manager/pkg/controller/...) out of cluster
// against a kube-apiserver, for the vibectl-tls test harness.
//
// Upstream's own entry point lives in the nested module
// github.com/cert-manager/cert-manager/controller-binary, which the Go module
// proxy does not serve. This is a small replacement written for the harness:
// the controllers themselves are the upstream packages, unchanged; only the
// process wiring (flags, context, start-up) is ours. Compared with upstream it
// has no leader election, no healthz/pprof servers, no config file and no
// metrics server unless --metrics-listen-address is given.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
	logsapi "k8s.io/component-base/logs/api/v1"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	dnsutil "github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"

	// Controllers register themselves with controller.Register in init().
	challenges "github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	orders "github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	gatewayshim "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/gateways"
	ingressshim "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/listenerset"
	cracme "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/acme"
	crapprover "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crca "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	crvault "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/vault"
	certissuing "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	certkeymanager "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	certmetrics "github.com/cert-manager/cert-manager/pkg/controller/certificates/metrics"
	certreadiness "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	certrequestmanager "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	certrevisionmanager "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	certtrigger "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	csracme "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/acme"
	csrca "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/ca"
	csrselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/selfsigned"
	csrvault "github.com/cert-manager/cert-manager/pkg/controller/certificatesigningrequests/vault"
	clusterissuers "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	issuers "github.com/cert-manager/cert-manager/pkg/controller/issuers"

	// Issuer implementations register themselves with issuer.RegisterIssuer in init().
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/vault"
)

// defaultControllers mirrors upstream's default set (v1.21): everything except
// gateway-shim, listenerset and the experimental CertificateSigningRequest
// controllers. The Venafi issuer is left out of this build entirely: its client
// library (github.com/Venafi/vcert/v5 v5.13.7) is not downloadable from the Go
// module proxy here, and the harness has no use for it.
var defaultControllers = []string{
	issuers.ControllerName,
	clusterissuers.ControllerName,
	certmetrics.ControllerName,
	ingressshim.ControllerName,
	orders.ControllerName,
	challenges.ControllerName,
	cracme.CRControllerName,
	crapprover.ControllerName,
	crca.CRControllerName,
	crselfsigned.CRControllerName,
	crvault.CRControllerName,
	certtrigger.ControllerName,
	certissuing.ControllerName,
	certkeymanager.ControllerName,
	certrequestmanager.ControllerName,
	certreadiness.ControllerName,
	certrevisionmanager.ControllerName,
}

var csrControllers = []string{
	csracme.CSRControllerName,
	csrca.CSRControllerName,
	csrselfsigned.CSRControllerName,
	csrvault.CSRControllerName,
}

// clusterScoped controllers are skipped when --namespace limits the controller.
var clusterScoped = append([]string{clusterissuers.ControllerName}, csrControllers...)

type options struct {
	kubeconfig    string
	apiServerHost string
	namespace     string
	qps           float32
	burst         int

	clusterResourceNamespace string
	controllers              []string
	workers                  int
	maxConcurrentChallenges  int

	clusterIssuerAmbientCredentials bool
	issuerAmbientCredentials        bool
	enableCertificateOwnerRef       bool
	enableGatewayAPI                bool

	dns01Nameservers     []string
	dns01NameserversOnly bool
	dns01CheckRetry      time.Duration

	http01SolverImage       string
	http01SolverNameservers []string

	defaultIssuerName  string
	defaultIssuerKind  string
	defaultIssuerGroup string

	crMinBackoff time.Duration
	crMaxBackoff time.Duration

	metricsAddress string
	featureGates   map[string]bool
	logging        *logsapi.LoggingConfiguration
	version        bool
}

func newFlags(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("cert-manager-controller", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "Path to a kubeconfig. Required unless --master is given.")
	fs.StringVar(&o.apiServerHost, "master", "", "Address of the Kubernetes API server (overrides the kubeconfig's server).")
	fs.StringVar(&o.namespace, "namespace", "", "Only watch this namespace (default: all). Cluster-scoped controllers are then skipped.")
	fs.Float32Var(&o.qps, "kube-api-qps", 20, "Client-side QPS limit when API Priority and Fairness is off.")
	fs.IntVar(&o.burst, "kube-api-burst", 50, "Client-side burst limit when API Priority and Fairness is off.")
	fs.StringVar(&o.clusterResourceNamespace, "cluster-resource-namespace", "cert-manager", "Namespace holding the Secrets referenced by ClusterIssuers (ACME account keys, CA key pairs, DNS credentials).")
	fs.StringSliceVar(&o.controllers, "controllers", []string{"*"}, "Controllers to run. '*' = the defaults ("+strings.Join(defaultControllers, ",")+"); 'name' adds one, '-name' removes one.")
	fs.IntVar(&o.workers, "concurrent-workers", 5, "Workers per controller.")
	fs.IntVar(&o.maxConcurrentChallenges, "max-concurrent-challenges", 60, "Maximum number of ACME challenges processed at once.")
	fs.BoolVar(&o.clusterIssuerAmbientCredentials, "cluster-issuer-ambient-credentials", true, "Let ClusterIssuers use ambient credentials (cloud metadata, env).")
	fs.BoolVar(&o.issuerAmbientCredentials, "issuer-ambient-credentials", false, "Let Issuers use ambient credentials.")
	fs.BoolVar(&o.enableCertificateOwnerRef, "enable-certificate-owner-ref", false, "Make Certificates owners of their Secrets.")
	fs.BoolVar(&o.enableGatewayAPI, "enable-gateway-api", false, "Run gateway-shim. Needs the Gateway API CRDs installed, otherwise start-up fails (upstream behaviour).")
	fs.StringSliceVar(&o.dns01Nameservers, "dns01-recursive-nameservers", nil, "Comma list of host:port nameservers used for DNS-01 self-checks (default: /etc/resolv.conf).")
	fs.BoolVar(&o.dns01NameserversOnly, "dns01-recursive-nameservers-only", false, "Only ask --dns01-recursive-nameservers, never the zone's authoritative servers.")
	fs.DurationVar(&o.dns01CheckRetry, "dns01-check-retry-period", 10*time.Second, "Wait between DNS-01 propagation checks.")
	fs.StringVar(&o.http01SolverImage, "acme-http01-solver-image", "quay.io/jetstack/cert-manager-acmesolver:"+util.AppVersion, "Image of the HTTP-01 solver pods.")
	fs.StringSliceVar(&o.http01SolverNameservers, "acme-http01-solver-nameservers", nil, "Comma list of host:port nameservers used for HTTP-01 self-checks.")
	fs.StringVar(&o.defaultIssuerName, "default-issuer-name", "", "Issuer for Ingresses annotated kubernetes.io/tls-acme without an issuer annotation.")
	fs.StringVar(&o.defaultIssuerKind, "default-issuer-kind", "Issuer", "Kind of --default-issuer-name.")
	fs.StringVar(&o.defaultIssuerGroup, "default-issuer-group", "cert-manager.io", "API group of --default-issuer-name.")
	fs.DurationVar(&o.crMinBackoff, "certificate-request-minimum-backoff-duration", time.Hour, "First back-off after a failed issuance (doubles each failure).")
	fs.DurationVar(&o.crMaxBackoff, "certificate-request-maximum-backoff-duration", 32*time.Hour, "Longest back-off after failed issuances.")
	fs.StringVar(&o.metricsAddress, "metrics-listen-address", "", "Serve Prometheus metrics on this host:port (upstream uses 0.0.0.0:9402). Empty = no metrics server.")
	fs.Var(&featureGateFlag{o}, "feature-gates", "Comma list of Name=true|false cert-manager feature gates. Known: "+strings.Join(knownFeatureGates(), ", "))
	fs.BoolVar(&o.version, "version", false, "Print the version and exit.")
	logf.AddFlagsNonDeprecated(o.logging, fs) // -v, --vmodule, --logging-format, --log-flush-frequency
	return fs
}

type featureGateFlag struct{ o *options }

func (f *featureGateFlag) String() string { return "" }
func (f *featureGateFlag) Type() string   { return "mapStringBool" }
func (f *featureGateFlag) Set(v string) error {
	if f.o.featureGates == nil {
		f.o.featureGates = map[string]bool{}
	}
	for _, kv := range strings.Split(v, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("feature gate %q is not Name=true|false", kv)
		}
		switch strings.ToLower(strings.TrimSpace(val)) {
		case "true":
			f.o.featureGates[strings.TrimSpace(k)] = true
		case "false":
			f.o.featureGates[strings.TrimSpace(k)] = false
		default:
			return fmt.Errorf("feature gate %q: value must be true or false", kv)
		}
	}
	return nil
}

func knownFeatureGates() []string {
	var names []string
	for name := range utilfeature.DefaultMutableFeatureGate.GetAll() {
		if !strings.HasPrefix(string(name), "All") {
			names = append(names, string(name))
		}
	}
	slices.Sort(names)
	return names
}

// enabledControllers resolves --controllers the way upstream does: "*" is the
// default set, "-x" removes x, anything else adds it; only removals implies "*".
func enabledControllers(o *options) (sets.Set[string], error) {
	enabled := sets.New[string]()
	var disabled []string
	for _, c := range o.controllers {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
		case c == "*":
			enabled.Insert(defaultControllers...)
		case strings.HasPrefix(c, "-"):
			disabled = append(disabled, strings.TrimPrefix(c, "-"))
		default:
			enabled.Insert(c)
		}
	}
	if len(enabled) == 0 && len(disabled) > 0 {
		enabled.Insert(defaultControllers...)
	}
	if utilfeature.DefaultFeatureGate.Enabled("ExperimentalCertificateSigningRequestControllers") {
		enabled.Insert(csrControllers...)
	}
	if o.enableGatewayAPI {
		enabled.Insert(gatewayshim.ControllerName)
	}
	enabled.Delete(disabled...)
	if o.namespace != "" {
		enabled.Delete(clusterScoped...)
	}
	known := controller.Known()
	for name := range enabled {
		if _, ok := known[name]; !ok {
			return nil, fmt.Errorf("unknown controller %q (known: %s)", name, strings.Join(sets.List(sets.KeySet(known)), ", "))
		}
	}
	return enabled, nil
}

func main() {
	o := &options{logging: logsapi.NewLoggingConfiguration()}
	fs := newFlags(o)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: %s --kubeconfig FILE [flags]\n\nRuns the upstream cert-manager %s controllers out of cluster (vibectl-tls test harness).\n\n", os.Args[0], util.AppVersion)
		fmt.Fprint(os.Stderr, fs.FlagUsages())
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if o.version {
		fmt.Printf("cert-manager-controller %s (vibectl-tls harness build)\n", util.AppVersion)
		return
	}
	if err := run(o); err != nil {
		fmt.Fprintf(os.Stderr, "cert-manager-controller: %v\n", err)
		logf.FlushLogs()
		os.Exit(1)
	}
	logf.FlushLogs()
}

func run(o *options) error {
	if o.kubeconfig == "" && o.apiServerHost == "" {
		return errors.New("--kubeconfig (or --master) is required: this build only runs out of cluster")
	}
	if o.featureGates != nil {
		if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(o.featureGates); err != nil {
			return fmt.Errorf("--feature-gates: %w", err)
		}
	}
	logf.InitLogs()
	if err := logf.ValidateAndApply(o.logging); err != nil {
		return fmt.Errorf("logging flags: %w", err)
	}
	enabled, err := enabledControllers(o)
	if err != nil {
		return err
	}

	rootCtx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rootCtx = logf.NewContext(rootCtx, logf.Log, "controller")
	log := logf.FromContext(rootCtx)

	nameservers := o.dns01Nameservers
	if len(nameservers) == 0 {
		nameservers = dnsutil.RecursiveNameservers
	}
	for _, ns := range slices.Concat(nameservers, o.http01SolverNameservers) {
		if _, _, err := net.SplitHostPort(ns); err != nil {
			return fmt.Errorf("nameserver %q must be host:port: %w", ns, err)
		}
	}

	ctxFactory, err := controller.NewContextFactory(rootCtx, controller.ContextOptions{
		APIServerHost:      o.apiServerHost,
		Kubeconfig:         o.kubeconfig,
		KubernetesAPIQPS:   o.qps,
		KubernetesAPIBurst: o.burst,
		Namespace:          o.namespace,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace:        o.clusterResourceNamespace,
			ClusterIssuerAmbientCredentials: o.clusterIssuerAmbientCredentials,
			IssuerAmbientCredentials:        o.issuerAmbientCredentials,
		},
		ACMEOptions: controller.ACMEOptions{
			HTTP01SolverImage:                 o.http01SolverImage,
			HTTP01SolverResourceRequestCPU:    resource.MustParse("10m"),
			HTTP01SolverResourceRequestMemory: resource.MustParse("64Mi"),
			HTTP01SolverResourceLimitsCPU:     resource.MustParse("100m"),
			HTTP01SolverResourceLimitsMemory:  resource.MustParse("64Mi"),
			ACMEHTTP01SolverRunAsNonRoot:      true,
			HTTP01SolverNameservers:           o.http01SolverNameservers,
			DNS01CheckAuthoritative:           !o.dns01NameserversOnly,
			DNS01Nameservers:                  nameservers,
			DNS01CheckRetryPeriod:             o.dns01CheckRetry,
		},
		IngressShimOptions: controller.IngressShimOptions{
			DefaultIssuerName:                 o.defaultIssuerName,
			DefaultIssuerKind:                 o.defaultIssuerKind,
			DefaultIssuerGroup:                o.defaultIssuerGroup,
			DefaultAutoCertificateAnnotations: []string{"kubernetes.io/tls-acme"},
			GatewayAPIExtraProtocols:          sets.New[string](),
		},
		CertificateOptions: controller.CertificateOptions{
			EnableOwnerRef:                           o.enableCertificateOwnerRef,
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
			CertificateRequestMinimumBackoffDuration: o.crMinBackoff,
			CertificateRequestMaximumBackoffDuration: o.crMaxBackoff,
		},
		SchedulerOptions: controller.SchedulerOptions{MaxConcurrentChallenges: o.maxConcurrentChallenges},
		ConfigOptions:    controller.ConfigOptions{EnableGatewayAPI: o.enableGatewayAPI},
	})
	if err != nil {
		return fmt.Errorf("building controller context: %w", err)
	}
	base, err := ctxFactory.Build()
	if err != nil {
		return fmt.Errorf("building controller context: %w", err)
	}
	log.Info("configured", "version", util.AppVersion, "nameservers", nameservers, "clusterResourceNamespace", o.clusterResourceNamespace)

	runCtx, cancel := context.WithCancelCause(rootCtx)
	defer cancel(nil)
	var wg sync.WaitGroup

	if o.metricsAddress != "" {
		ln, err := net.Listen("tcp", o.metricsAddress)
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
		}
		srv := base.Metrics.NewServer(ln)
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				cancel(fmt.Errorf("metrics server: %w", err))
			}
		})
		wg.Go(func() {
			<-runCtx.Done()
			shutdownCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
			defer done()
			_ = srv.Shutdown(shutdownCtx)
		})
		log.Info("serving metrics", "address", ln.Addr().String())
	}

	names := sets.List(enabled)
	for _, name := range names {
		ctrl, err := controller.Known()[name](ctxFactory)
		if err != nil {
			cancel(err)
			wg.Wait()
			return fmt.Errorf("creating controller %s: %w", name, err)
		}
		wg.Go(func() {
			if err := ctrl.Run(o.workers, runCtx); err != nil {
				cancel(fmt.Errorf("controller %s: %w", name, err))
			}
		})
	}

	base.SharedInformerFactory.Start(runCtx.Done())
	base.KubeSharedInformerFactory.Start(runCtx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(runCtx.Done())
	if base.GatewaySolverEnabled {
		base.GWShared.Start(runCtx.Done())
	}
	log.Info("started controllers", "controllers", names)

	<-runCtx.Done()
	cause := context.Cause(runCtx)
	cancel(nil)
	wg.Wait()
	base.SharedInformerFactory.Shutdown()
	base.KubeSharedInformerFactory.Shutdown()
	base.HTTP01ResourceMetadataInformersFactory.Shutdown()
	if base.GatewaySolverEnabled {
		base.GWShared.Shutdown()
	}
	if cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	log.Info("control loops exited")
	return nil
}
