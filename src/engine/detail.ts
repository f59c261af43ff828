// The explanation shown behind a finding's one-line message (hover, `--verbose`, JSON, SARIF):
// the finding's own `detail` where its rule gives one, else the rule's "what happens on the wire".
import { ruleById } from './rules/registry';
import type { Finding } from './types';

export function findingDetail(f: Pick<Finding, 'ruleId' | 'detail'>): string | undefined {
  const own = f.detail?.trim();
  if (own) return own;
  return ruleById(f.ruleId)?.docs.wire.trim() || undefined;
}
