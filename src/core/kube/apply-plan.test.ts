import { describe, expect, it } from 'vitest';
import { diffFields, offlinePlan, project } from './apply-plan.js';

describe('project', () => {
  it('keeps only the fields the desired object has, ignoring status and metadata noise', () => {
    const desired = { metadata: { name: 'a', labels: { x: '1' } }, spec: { email: 'a@b.c' } };
    const live = { metadata: { name: 'a', labels: { x: '1', other: '2' }, resourceVersion: '7', managedFields: [] }, spec: { email: 'a@b.c', server: 's' }, status: { ok: true } };
    expect(project(desired, live)).toEqual(desired);
    expect(diffFields(project(desired, live), project(desired, live))).toEqual([]);
  });

  it('keeps extra list items of the live object, so an item we no longer want shows as removed', () => {
    const desired = { spec: { tls: [{ hosts: ['a'] }] } };
    const live = { spec: { tls: [{ hosts: ['a'], extra: 1 }, { hosts: ['b'] }] } };
    expect(diffFields(project(desired, live), desired)).toEqual([{ path: 'spec.tls[1].hosts[0]', op: 'remove', before: 'b' }]);
  });
});

describe('diffFields', () => {
  it('names each changed field with before and after', () => {
    const changes = diffFields({ spec: { acme: { email: 'old@x.io' } } }, { spec: { acme: { email: 'new@x.io', profile: 'tlsserver' } } });
    expect(changes).toEqual([
      { path: 'spec.acme.email', op: 'change', before: 'old@x.io', after: 'new@x.io' },
      { path: 'spec.acme.profile', op: 'add', after: 'tlsserver' },
    ]);
  });

  it('never shows Secret values', () => {
    const changes = diffFields({ data: { token: 'b2xk' } }, { data: { token: 'bmV3' } }, { secret: true });
    expect(changes).toEqual([{ path: 'data.token', op: 'change', before: '<secret>', after: '<secret>' }]);
    expect(JSON.stringify(changes)).not.toContain('bmV3');
  });

  it('quotes keys with dots (labels, annotations)', () => {
    expect(diffFields({}, { metadata: { annotations: { 'cert-manager.io/cluster-issuer': 'le' } } })[0]?.path).toBe('metadata.annotations."cert-manager.io/cluster-issuer"');
  });
});

describe('offlinePlan', () => {
  it('reports every object as new and says it was not compared', () => {
    const r = offlinePlan({ objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: 'v' } }] });
    expect(r.changes.map((c) => [c.ref, c.action])).toEqual([['ConfigMap n/a', 'create']]);
    expect(r.compared).toBe(false);
    expect(r.summary).toBe('1 object (not compared with a cluster)');
  });
});

describe('diffFields with empty containers', () => {
  it('an empty object that gains children is reported as the children added, not as removed', () => {
    expect(diffFields({ spec: {} }, { spec: { tls: [{ secretName: 's' }] } })).toEqual([{ path: 'spec.tls[0].secretName', op: 'add', after: 's' }]);
    expect(diffFields({ spec: { tls: [{ secretName: 's' }] } }, { spec: {} })).toEqual([{ path: 'spec.tls[0].secretName', op: 'remove', before: 's' }]);
  });
});
