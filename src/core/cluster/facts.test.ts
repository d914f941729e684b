import { describe, expect, it } from 'vitest';
import { inferProvider, looksLikeVibectlServer } from './facts.js';

describe('inferProvider', () => {
  it('reads the cloud from node providerIDs', () => {
    expect(inferProvider(['aws:///eu-west-1a/i-0abc'])).toBe('aws');
    expect(inferProvider(['gce://proj/europe-west1-b/node-1'])).toBe('gcp');
    expect(inferProvider(['azure:///subscriptions/x/resourceGroups/y'])).toBe('azure');
    expect(inferProvider(['kind://docker/kind/kind-control-plane'])).toBe('other');
    expect(inferProvider(['', ''])).toBe('none');
    expect(inferProvider([])).toBe('none');
  });
});

describe('looksLikeVibectlServer', () => {
  const base = { metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } };
  it('recognises the label, the name, the image and the gRPC port', () => {
    expect(looksLikeVibectlServer({ ...base, metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'vibectl-server' } } })).toBe('label');
    expect(looksLikeVibectlServer({ ...base, metadata: { name: 'prod-vibectl-server' } })).toBe('name');
    expect(looksLikeVibectlServer({ ...base, spec: { template: { spec: { containers: [{ image: 'ghcr.io/x/vibectl-server:0.9' }] } } } })).toBe('image');
    expect(
      looksLikeVibectlServer({ ...base, spec: { template: { spec: { containers: [{ image: 'registry/vibectl:1', ports: [{ containerPort: 50051 }] }] } } } }),
    ).toBe('port 50051');
  });
  it('does not flag an ordinary workload, even on port 50051', () => {
    expect(looksLikeVibectlServer(base)).toBe('');
    expect(looksLikeVibectlServer({ ...base, spec: { template: { spec: { containers: [{ image: 'grpc/other', ports: [{ containerPort: 50051 }] }] } } } })).toBe('');
  });
});
