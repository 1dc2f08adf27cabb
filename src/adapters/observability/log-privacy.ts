import { createHmac } from 'node:crypto';
import type { Decision } from '../../core/conversation/types.js';

/**
 * A stable stand-in for a LINE user id in log lines: a keyed hash (HMAC-SHA256 with a key derived from the channel
 * secret), so lines of one conversation can be followed while the logs alone never name the person, and nobody
 * without the secret can test a known id against them.
 */
export function logPseudonym(secret: string): (userId: string) => string {
  const key = createHmac('sha256', secret).update('kosodate-concierge log pseudonym').digest();
  return (userId) => `u_${createHmac('sha256', key).update(userId).digest('hex').slice(0, 16)}`;
}

// Topics that say something about a family's troubles: counted in the metrics, never written beside a person.
const SENSITIVE_INTENTS = new Set(['abuse-report', 'development-consultation', 'parenting-consultation', 'postpartum-care', 'single-parent']);

/** What a per-event log line may say about a decision: no emergency kind, no judgment, no sensitive topic. */
export function loggableDecision(d: Pick<Decision, 'action' | 'intent' | 'facet' | 'reason'>): Record<string, string | undefined> {
  const sensitive = d.action === 'emergency' || d.action === 'handoff';
  return {
    action: d.action,
    intent: d.intent && !SENSITIVE_INTENTS.has(d.intent) ? d.intent : undefined,
    facet: d.facet,
    reason: sensitive ? undefined : d.reason,
  };
}
