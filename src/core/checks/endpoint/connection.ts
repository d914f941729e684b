// Endpoint checks, first layer: does anything answer with TLS.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const CONNECTION = 'endpoint connection';

export const endpointReachable: EndpointCheck = {
  code: 'TLS101',
  category: CONNECTION,
  severity: 'error',
  title: 'endpoint answers with a TLS handshake',
  hint: 'check that the host and port are right, the Service has ready endpoints, and TLS is enabled on that port (not plain HTTP)',
  appliesTo: 'endpoint',
  retry: { deadlineMs: 5_000, intervalMs: 1_000 },
  run: async ({ subject }) => {
    const scan = await subject.scan();
    if (!scan.reachable) return { result: 'fail', message: `cannot connect: ${scan.error}` };
    if (scan.error) return { result: 'fail', message: scan.error };
    const best = [...Object.entries(scan.protocols)].filter(([, on]) => on).map(([v]) => v);
    return { result: 'pass', message: `handshake completed (${best[best.length - 1]}) in a ${Math.round(scan.durationMs)} ms scan` };
  },
};
