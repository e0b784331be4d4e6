/**
 * The SealedSecret status the controller writes, in the shape of Bitnami's Go type:
 * observedGeneration and one Synced condition with type, status, lastUpdateTime,
 * lastTransitionTime and, only when it failed, message. Empty fields are left out, as
 * Go's omitempty does: some API servers turn an empty string into null, which the CRD's
 * schema refuses.
 */
import type { SealedSecretManifest, SyncedCondition } from '@sealkit/core';

export type SealedSecretStatus = NonNullable<SealedSecretManifest['status']>;

export interface SyncResult {
  synced: boolean;
  /** Why it failed, as the status says it; empty when synced. */
  message: string;
}

/**
 * The status to write after a reconcile, or undefined when the current one already says
 * it (Bitnami's or ours). lastUpdateTime moves with every write, lastTransitionTime when
 * the status flips. Unlike Bitnami, a failure whose message changed is written too, so
 * that the status never tells a stale reason.
 */
export function nextStatus(
  current: SealedSecretStatus | undefined,
  generation: number | undefined,
  result: SyncResult,
  now: Date,
): SealedSecretStatus | undefined {
  const conditions = current?.conditions ?? [];
  const previous = conditions.find((c) => c.type === 'Synced');
  const status = result.synced ? 'True' : 'False';
  const unchanged = previous?.status === status && (previous.message ?? '') === result.message;
  if (unchanged && (current?.observedGeneration ?? 0) === (generation ?? 0)) return undefined;
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const condition: SyncedCondition = {
    type: 'Synced',
    status,
    lastUpdateTime: time,
    lastTransitionTime: previous?.status === status ? (previous.lastTransitionTime ?? time) : time,
  };
  if (result.message) condition.message = result.message;
  return {
    ...current,
    ...(generation ? { observedGeneration: generation } : {}),
    conditions: [...conditions.filter((c) => c.type !== 'Synced'), condition],
  };
}
