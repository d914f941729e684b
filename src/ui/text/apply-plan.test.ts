import { describe, expect, it } from 'vitest';
import { planText } from './apply-plan.js';
import { palette } from '../colors.js';
import type { PlanResult } from '../../core/kube/apply-plan.js';

const result: PlanResult = {
  dryRun: true,
  compared: true,
  created: 1,
  updated: 1,
  unchanged: 1,
  summary: '1 would be created, 1 would be updated, 1 unchanged',
  changes: [
    { ref: 'Secret cert-manager/le-eab', apiVersion: 'v1', kind: 'Secret', name: 'le-eab', namespace: 'cert-manager', action: 'create', changes: [{ path: 'data.key', op: 'add', after: '<secret>' }] },
    {
      ref: 'ClusterIssuer le',
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      name: 'le',
      action: 'update',
      changes: [
        { path: 'spec.acme.email', op: 'change', before: 'a@x.io', after: 'b@x.io' },
        { path: 'spec.acme.profile', op: 'remove', before: 'shortlived' },
      ],
    },
    { ref: 'Certificate web/app', apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'app', namespace: 'web', action: 'unchanged', changes: [] },
  ],
};

describe('planText', () => {
  it('one line per object, the changed fields of updates, and the summary', () => {
    expect(planText(result, palette(false))).toBe(
      [
        '+ Secret cert-manager/le-eab would be created',
        '~ ClusterIssuer le would be updated',
        '    ~ spec.acme.email: "a@x.io" → "b@x.io"',
        '    - spec.acme.profile: "shortlived"',
        '= Certificate web/app unchanged',
        '',
        '1 would be created, 1 would be updated, 1 unchanged (dry run: nothing written)',
      ].join('\n'),
    );
  });
});
