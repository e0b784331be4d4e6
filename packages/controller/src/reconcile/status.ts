/** The SealedSecret status the controller writes: observedGeneration and one Synced condition. */
import type { SealedSecretManifest, SyncedCondition } from '@sealkit/core';

export type SealedSecretStatus = NonNullable<SealedSecretManifest['status']>;

export interface SyncResult {
  synced: boolean;
  /** Unsealed, ErrUnsealFailed or ErrUpdateFailed: the reason of the event that goes with it. */
  reason: string;
  /** Empty when synced, as Bitnami writes it. */
  message: string;
}

/**
 * The status to write after a reconcile, or undefined when the current one
 * already says it. lastUpdateTime moves when the condition changes,
 * lastTransitionTime when its status flips.
 */
export function nextStatus(current: SealedSecretStatus | undefined, generation: number | undefined, result: SyncResult, now: Date): SealedSecretStatus | undefined {
  const conditions = current?.conditions ?? [];
  const previous = conditions.find((c) => c.type === 'Synced');
  const status = result.synced ? 'True' : 'False';
  const unchanged = previous?.status === status && (previous.reason ?? '') === result.reason && (previous.message ?? '') === result.message;
  if (unchanged && current?.observedGeneration === generation) return undefined;
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const condition: SyncedCondition = unchanged
    ? previous
    : {
        type: 'Synced',
        status,
        reason: result.reason,
        message: result.message,
        lastUpdateTime: time,
        lastTransitionTime: previous?.status === status ? (previous.lastTransitionTime ?? time) : time,
      };
  return {
    ...current,
    observedGeneration: generation,
    conditions: [...conditions.filter((c) => c.type !== 'Synced'), condition],
  };
}
