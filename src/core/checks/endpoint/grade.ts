// The summary line for an endpoint: an SSL Labs-style grade and what caps it.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';
import { gradeEndpoint } from '../../tls/grade.js';
import { chainComplete, findAnchor } from '../../x509/evaluate.js';
import { coversName } from '../../x509/certificate.js';

export const GRADE = 'grade';

export const endpointGrade: CheckDefinition<EndpointSubject> = {
  code: 'TLS140',
  category: GRADE,
  severity: 'info',
  title: 'grade (SSL Labs manner)',
  hint: 'fix the findings listed as caps, worst first',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject, now }) => {
    const scan = await subject.scan();
    const chain = await subject.served();
    const stores = subject.trustStores();
    const leaf = chain[0];
    const g = gradeEndpoint({
      scan,
      chain,
      now: now(),
      trusted: findAnchor(chain, stores) !== undefined,
      chainComplete: chainComplete(chain, stores).complete,
      hostnameMatches: leaf ? coversName(leaf, subject.hostname) : false,
    });
    return { result: 'info', message: `grade ${g.grade}`, details: g.caps.map((c) => `capped at ${c.grade}: ${c.reason}`) };
  },
};
