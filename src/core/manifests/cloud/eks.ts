// EKS: the AWS Load Balancer Controller terminates TLS on an ALB with an ACM certificate. Its
// default SSL policy (ELBSecurityPolicy-2016-08) still allows TLS 1.0/1.1, so we always set a
// TLS 1.3 policy; HSTS goes through the HTTPS listener's response-header attributes.
import type { KubeObject } from '../../kube/client.js';
import { InvalidInputError } from '../../errors.js';
import { ownedMetadata } from '../labels.js';
import type { HstsOptions } from '../hardening/ingress-nginx.js';
import { hstsValue } from '../hardening/gateway.js';

export const ALB_TLS13_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
export const ALB_MODERN_POLICY = 'ELBSecurityPolicy-TLS13-1-3-2021-06';
export const ALB_WEAK_DEFAULT_POLICY = 'ELBSecurityPolicy-2016-08';

const ARN = /^arn:(aws[\w-]*):acm:([a-z0-9-]+):(\d{12}):certificate\/[\w-]+$/;

export function parseAcmArn(arn: string): { partition: string; region: string; account: string } {
  const m = ARN.exec(arn.trim());
  if (!m) throw new InvalidInputError(`"${arn}" is not an ACM certificate ARN`, { hint: 'copy it from `aws acm list-certificates`: arn:aws:acm:REGION:ACCOUNT:certificate/ID' });
  return { partition: m[1]!, region: m[2]!, account: m[3]! };
}

export interface AlbIngressInput {
  name: string;
  namespace: string;
  hosts: string[];
  certificateArns: string[];
  service: { name: string; port: number };
  profile: 'intermediate' | 'modern';
  hsts: HstsOptions;
  scheme?: 'internet-facing' | 'internal';
  targetType?: 'ip' | 'instance';
  /** The cluster's region: an ARN from another region is refused (the ALB cannot use it). */
  region?: string | undefined;
}

export function albIngress(i: AlbIngressInput): KubeObject {
  if (i.certificateArns.length === 0) throw new InvalidInputError('no ACM certificate ARN given', { hint: 'pass --acm-certificate-arn ARN' });
  for (const arn of i.certificateArns) {
    const { region } = parseAcmArn(arn);
    if (i.region && region !== i.region) {
      throw new InvalidInputError(`ACM certificate ${arn} is in ${region} but the cluster's load balancer is in ${i.region}`, {
        hint: `an ALB can only use certificates from its own region: request or import the certificate in ${i.region}`,
      });
    }
  }
  const annotations: Record<string, string> = {
    'alb.ingress.kubernetes.io/certificate-arn': i.certificateArns.join(','),
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    'alb.ingress.kubernetes.io/ssl-policy': i.profile === 'modern' ? ALB_MODERN_POLICY : ALB_TLS13_POLICY,
    'alb.ingress.kubernetes.io/scheme': i.scheme ?? 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': i.targetType ?? 'ip',
  };
  if (i.hsts.enabled) {
    annotations['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443'] =
      `routing.http.response.strict_transport_security.header_value=${hstsValue(i.hsts, i.profile)}`;
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ownedMetadata({ name: i.name, namespace: i.namespace, component: 'eks-alb', annotations }),
    spec: {
      ingressClassName: 'alb',
      rules: i.hosts.map((host) => ({
        host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: i.service.name, port: { number: i.service.port } } } }] },
      })),
    },
  };
}
