import { describe, expect, it } from 'vitest';
import { capabilitiesFromFact, compareVersions, fieldsFromCrd, requireFeature, schemaHasField, supports } from './version.js';
import { ExitCode, InvalidInputError } from '../errors.js';

describe('compareVersions', () => {
  it('orders releases numerically, with or without v and pre-release tags', () => {
    expect(compareVersions('v1.9.0', '1.18.0')).toBe(-1);
    expect(compareVersions('1.18.0', 'v1.18')).toBe(0);
    expect(compareVersions('v1.21.2', '1.18.0')).toBe(1);
    expect(compareVersions('v1.18.0-beta.1', '1.18.0')).toBe(0);
    expect(compareVersions('latest', '1.18.0')).toBeUndefined();
  });
});

describe('supports / requireFeature', () => {
  it('refuses ACME profile on cert-manager 1.17 with the version and the fix in the message', () => {
    const s = supports('acmeProfile', { installed: true, version: 'v1.17.2' });
    expect(s.supported).toBe(false);
    expect(() => requireFeature('acmeProfile', { installed: true, version: 'v1.17.2' })).toThrow(InvalidInputError);
    try {
      requireFeature('acmeProfile', { installed: true, version: 'v1.17.2' });
    } catch (err) {
      const e = err as InvalidInputError;
      expect(e.message).toBe('ACME profile needs cert-manager 1.18.0 or newer; this cluster runs v1.17.2');
      expect(e.hint).toContain('--acme-profile');
      expect(e.exitCode).toBe(ExitCode.InvalidInput);
    }
  });

  it('accepts it from 1.18 on', () => {
    expect(supports('acmeProfile', { installed: true, version: 'v1.18.0' })).toEqual({ supported: true, basis: 'version' });
  });

  it('trusts the CRD schema over the version in both directions', () => {
    // a 1.17 label but the schema has the field (patched build): allowed
    expect(supports('acmeProfile', { installed: true, version: 'v1.17.0', fields: { acmeProfile: true } })).toEqual({ supported: true, basis: 'schema' });
    // controller 1.19 but CRDs never upgraded: refused, and the message says so
    const s = supports('acmeProfile', { installed: true, version: 'v1.19.0', fields: { acmeProfile: false } });
    expect(s.supported).toBe(false);
    if (!s.supported) expect(s.reason).toMatch(/CRDs are older than the controller/);
  });

  it('does not refuse when nothing is known (offline --dry-run)', () => {
    expect(supports('acmeProfile', undefined)).toEqual({ supported: true, basis: 'unchecked' });
    expect(supports('acmeProfile', { installed: undefined, version: 'not-a-version' })).toEqual({ supported: true, basis: 'unchecked' });
  });

  it('adapts the cluster-facts fact', () => {
    expect(capabilitiesFromFact({ known: true, value: { installed: true, version: 'v1.17.0', acmeProfileField: false } })).toEqual({ installed: true, version: 'v1.17.0', fields: { acmeProfile: false } });
    expect(capabilitiesFromFact({ known: false, reason: 'forbidden' })).toEqual({ installed: undefined });
  });
});

describe('schemaHasField / fieldsFromCrd', () => {
  const schema = {
    properties: { spec: { properties: { acme: { properties: { server: {}, solvers: { items: { properties: { http01: { properties: { ingress: { properties: { class: {} } } } } } } } } } } } },
  };
  it('walks objects and array items', () => {
    expect(schemaHasField(schema, 'spec.acme.server')).toBe(true);
    expect(schemaHasField(schema, 'spec.acme.profile')).toBe(false);
    expect(schemaHasField(schema, 'spec.acme.solvers[].http01.ingress.class')).toBe(true);
    expect(schemaHasField(schema, 'spec.acme.solvers[].http01.ingress.ingressClassName')).toBe(false);
  });
  it('reads the served v1 version of a CRD', () => {
    const f = fieldsFromCrd({ spec: { versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }] } });
    expect(f).toMatchObject({ acmeProfile: false, acmeCaBundle: false, http01IngressClassName: false });
  });
});
