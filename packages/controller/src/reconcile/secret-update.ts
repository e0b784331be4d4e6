/**
 * How an unsealed Secret lands on an existing one, as the Bitnami controller
 * does it: a Secret the SealedSecret controls, or one annotated
 * sealedsecrets.bitnami.com/managed, is replaced; one annotated
 * sealedsecrets.bitnami.com/patch gets our keys merged in; any other is left
 * alone.
 */
import { ANNOTATIONS, SEALED_SECRET_API_VERSION, type SecretManifest } from '@sealkit/core';
import type { KubeObject } from '../kube/informer.js';
import type { SecretObject } from './secret-content.js';

export type Ownership = 'controlled' | 'managed' | 'patched' | 'foreign';

interface SealedSecretIdentity {
  metadata: { uid?: string };
}

/** Whether `secret` is ours to write, and how. */
export function ownership(secret: KubeObject, sealedSecret: SealedSecretIdentity): Ownership {
  const annotations = secret.metadata.annotations ?? {};
  if (annotations[ANNOTATIONS.patch] === 'true') return 'patched';
  const controller = secret.metadata.ownerReferences?.find((ref) => ref.controller);
  if (
    controller &&
    controller.uid === sealedSecret.metadata.uid &&
    controller.kind === 'SealedSecret' &&
    controller.apiVersion === SEALED_SECRET_API_VERSION
  ) {
    return 'controlled';
  }
  if (annotations[ANNOTATIONS.managed] === 'true') return 'managed';
  // As in Bitnami, a Secret without an owner reference (skip-set-owner-references)
  // is only ours to change when it says managed; an annotation anyone can copy is no proof.
  return 'foreign';
}

/** `existing` with `desired` written over it (replaced, or merged into when patched); other fields kept. */
export function updatedSecret(existing: SecretObject, desired: SecretManifest, how: Exclude<Ownership, 'foreign'>): SecretObject {
  const meta = desired.metadata;
  const next: SecretObject = { ...existing, metadata: { ...existing.metadata } };
  if (how === 'patched') {
    next.data = { ...existing.data, ...desired.data };
    next.metadata.annotations = { ...existing.metadata.annotations, ...meta.annotations };
    next.metadata.labels = { ...existing.metadata.labels, ...meta.labels };
    if (existing.metadata.annotations?.[ANNOTATIONS.managed] === 'true') next.metadata.ownerReferences = meta.ownerReferences;
    if (desired.type) next.type = desired.type;
    return next;
  }
  next.data = desired.data;
  next.metadata.annotations = meta.annotations;
  next.metadata.labels = meta.labels;
  next.metadata.ownerReferences = meta.ownerReferences;
  next.type = desired.type || 'Opaque';
  return next;
}
