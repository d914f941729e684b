// Every doctor check, in the order they run and print. Adding a check: one definition in its
// group's file, one line here, one section in docs/troubleshooting.md.
import type { CheckDefinition, Subject } from './framework.js';
import { secretCertParses, secretKeyMatches, secretKeyParses, secretKeysPresent } from './secret/material.js';
import { secretCaConsistent, secretChainComplete, secretChainOrder } from './secret/chain.js';
import { secretAlreadyValid, secretConstraints, secretKeyStrength, secretNotExpired, secretNotExpiringSoon, secretSans, secretSignature } from './secret/certificate.js';
import { endpointReachable } from './endpoint/connection.js';
import { grpcAlpn, grpcTls13, noLegacyTls, profileVersions, tls13Offered } from './endpoint/protocols.js';
import { forwardSecrecy, groups, noInsecureCiphers, profileCiphers } from './endpoint/ciphers.js';
import { alpn, ocspStapling, resumption } from './endpoint/features.js';
import { servedChain, servedHostname, servedKey, servedMatchesSecret, servedNotExpired, servedNotExpiringSoon, servedScts, servedSignature, servedTrusted } from './endpoint/certificate.js';
import { hsts, httpRedirect } from './endpoint/http.js';
import { bundleHasRoot, bundleVerifies } from './endpoint/trust.js';
import { endpointGrade } from './endpoint/grade.js';
import { apiReachable, permissions } from './cluster/api.js';
import { crdsInstalled, deploymentsReady, versionConsistent, webhookAnswers, webhookConfigured } from './cert-manager/install.js';
import { issuersReady, solverIngressClass } from './cert-manager/issuers.js';
import { certificateReady, dns01Propagation, http01SelfCheck, issuerReady, notBackingOff, notRateLimited, orderProgressing, readyButExpired, requestApproved, requestNotFailed } from './cert-manager/certificate.js';
import { issuerAnnotationResolves, tlsHostsCovered, tlsSecretExists } from './cert-manager/ingress.js';
import { albCertificateRegion, albSslPolicySet, albSslPolicyTls13, albSslRedirect } from './cloud/eks.js';
import { gkeFrontendSslPolicy, gkeManagedCertificatesExist, managedCertificateActive, managedCertificateNotFailed } from './cloud/gke.js';
import { appRoutingKeyVaultUri, appRoutingSecretExists, syncedSecretExists } from './cloud/aks.js';
import { ctExpectedIssuers, ctRecent } from './ct/transparency.js';

export function allChecks(): CheckDefinition<Subject>[] {
  return [
    // The cluster and what doctor may read there
    apiReachable,
    permissions,
    // cert-manager installation and issuers
    crdsInstalled,
    versionConsistent,
    deploymentsReady,
    webhookAnswers,
    webhookConfigured,
    issuersReady,
    solverIngressClass,
    // cert-manager Certificates, walked to their Requests, Orders and Challenges
    certificateReady,
    readyButExpired,
    notBackingOff,
    issuerReady,
    requestApproved,
    requestNotFailed,
    orderProgressing,
    http01SelfCheck,
    dns01Propagation,
    notRateLimited,
    // Ingress and Gateway TLS
    issuerAnnotationResolves,
    tlsSecretExists,
    tlsHostsCovered,
    // Cloud certificate paths: AWS ALB, GKE managed certificates, Azure Key Vault
    albSslPolicySet,
    albSslPolicyTls13,
    albCertificateRegion,
    albSslRedirect,
    managedCertificateActive,
    managedCertificateNotFailed,
    gkeManagedCertificatesExist,
    gkeFrontendSslPolicy,
    syncedSecretExists,
    appRoutingKeyVaultUri,
    appRoutingSecretExists,
    // Secrets (any kubernetes.io/tls Secret, whoever issued it)
    secretKeysPresent,
    secretCertParses,
    secretKeyParses,
    secretKeyMatches,
    secretChainOrder,
    secretChainComplete,
    secretSans,
    secretNotExpired,
    secretAlreadyValid,
    secretNotExpiringSoon,
    secretKeyStrength,
    secretSignature,
    secretConstraints,
    secretCaConsistent,
    // Live endpoints
    endpointReachable,
    noLegacyTls,
    tls13Offered,
    profileVersions,
    grpcTls13,
    grpcAlpn,
    profileCiphers,
    forwardSecrecy,
    noInsecureCiphers,
    groups,
    alpn,
    ocspStapling,
    resumption,
    servedChain,
    servedHostname,
    servedTrusted,
    servedNotExpired,
    servedNotExpiringSoon,
    servedKey,
    servedSignature,
    servedMatchesSecret,
    servedScts,
    hsts,
    httpRedirect,
    bundleHasRoot,
    bundleVerifies,
    endpointGrade,
    // Certificate Transparency logs (--ct DOMAIN)
    ctExpectedIssuers,
    ctRecent,
  ] as CheckDefinition<Subject>[];
}
