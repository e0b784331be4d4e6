// Minimal decoder for Kubernetes protobuf request bodies
// (application/vnd.kubernetes.protobuf), as sent by kubectl's typed clients
// (`kubectl create secret|configmap|namespace|service …`). Only the built-in
// types this server knows are decoded; responses are always JSON.

import type { JsonObject } from './errors.js';

type FieldType =
  | 'string'
  | 'bytes'
  | 'int'
  | 'bool'
  | 'time'
  | 'microtime'
  | 'intorstring'
  | 'map<string,string>'
  | 'map<string,bytes>'
  | Schema;

interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type Schema = Record<number, FieldSpec>;

const f = (name: string, type: FieldType, repeated = false): FieldSpec => ({ name, type, repeated });

const OwnerReference: Schema = {
  1: f('kind', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: f('controller', 'bool'),
  7: f('blockOwnerDeletion', 'bool'),
};
const ObjectMeta: Schema = {
  1: f('name', 'string'),
  2: f('generateName', 'string'),
  3: f('namespace', 'string'),
  4: f('selfLink', 'string'),
  5: f('uid', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('generation', 'int'),
  8: f('creationTimestamp', 'time'),
  9: f('deletionTimestamp', 'time'),
  10: f('deletionGracePeriodSeconds', 'int'),
  11: f('labels', 'map<string,string>'),
  12: f('annotations', 'map<string,string>'),
  13: f('ownerReferences', OwnerReference, true),
  14: f('finalizers', 'string', true),
};
const ObjectReference: Schema = {
  1: f('kind', 'string'),
  2: f('namespace', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('fieldPath', 'string'),
};

const SCHEMAS: Record<string, Schema> = {
  'v1/Secret': {
    1: f('metadata', ObjectMeta),
    2: f('data', 'map<string,bytes>'),
    3: f('type', 'string'),
    4: f('stringData', 'map<string,string>'),
    5: f('immutable', 'bool'),
  },
  'v1/ConfigMap': {
    1: f('metadata', ObjectMeta),
    2: f('data', 'map<string,string>'),
    3: f('binaryData', 'map<string,bytes>'),
    4: f('immutable', 'bool'),
  },
  'v1/Namespace': {
    1: f('metadata', ObjectMeta),
    2: f('spec', { 1: f('finalizers', 'string', true) }),
    3: f('status', { 1: f('phase', 'string') }),
  },
  'v1/Service': {
    1: f('metadata', ObjectMeta),
    2: f('spec', {
      1: f(
        'ports',
        {
          1: f('name', 'string'),
          2: f('protocol', 'string'),
          3: f('port', 'int'),
          4: f('targetPort', 'intorstring'),
          5: f('nodePort', 'int'),
          6: f('appProtocol', 'string'),
        },
        true,
      ),
      2: f('selector', 'map<string,string>'),
      3: f('clusterIP', 'string'),
      4: f('type', 'string'),
      5: f('externalIPs', 'string', true),
      7: f('sessionAffinity', 'string'),
      10: f('externalName', 'string'),
      11: f('externalTrafficPolicy', 'string'),
      17: f('ipFamilyPolicy', 'string'),
      18: f('clusterIPs', 'string', true),
      19: f('ipFamilies', 'string', true),
      22: f('internalTrafficPolicy', 'string'),
    }),
  },
  'coordination.k8s.io/v1/Lease': {
    1: f('metadata', ObjectMeta),
    2: f('spec', {
      1: f('holderIdentity', 'string'),
      2: f('leaseDurationSeconds', 'int'),
      3: f('acquireTime', 'microtime'),
      4: f('renewTime', 'microtime'),
      5: f('leaseTransitions', 'int'),
      6: f('strategy', 'string'),
      7: f('preferredHolder', 'string'),
    }),
  },
  'v1/Event': {
    1: f('metadata', ObjectMeta),
    2: f('involvedObject', ObjectReference),
    3: f('reason', 'string'),
    4: f('message', 'string'),
    5: f('source', { 1: f('component', 'string'), 2: f('host', 'string') }),
    6: f('firstTimestamp', 'time'),
    7: f('lastTimestamp', 'time'),
    8: f('count', 'int'),
    9: f('type', 'string'),
    10: f('eventTime', 'microtime'),
    11: f('series', { 1: f('count', 'int'), 2: f('lastObservedTime', 'microtime') }),
    12: f('action', 'string'),
    13: f('related', ObjectReference),
    14: f('reportingComponent', 'string'),
    15: f('reportingInstance', 'string'),
  },
};

export class ProtobufError extends Error {}

interface RawField {
  no: number;
  wire: number;
  varint?: bigint;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= buf.length) throw new ProtobufError('unexpected end of protobuf data');
    const b = buf[pos.i++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 70n) throw new ProtobufError('varint overflow');
  }
}

function readFields(buf: Buffer): RawField[] {
  const out: RawField[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = Number(readVarint(buf, pos));
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: readVarint(buf, pos) });
    else if (wire === 2) {
      const len = Number(readVarint(buf, pos));
      if (pos.i + len > buf.length) throw new ProtobufError('unexpected end of protobuf data');
      out.push({ no, wire, bytes: buf.subarray(pos.i, pos.i + len) });
      pos.i += len;
    } else if (wire === 1) pos.i += 8;
    else if (wire === 5) pos.i += 4;
    else throw new ProtobufError(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const GO_ZERO_TIME_SECONDS = -62135596800n;

function toTime(buf: Buffer, micro: boolean): string | undefined {
  let seconds = 0n;
  let nanos = 0n;
  for (const fld of readFields(buf)) {
    if (fld.no === 1 && fld.varint !== undefined) seconds = BigInt.asIntN(64, fld.varint);
    if (fld.no === 2 && fld.varint !== undefined) nanos = BigInt.asIntN(32, fld.varint);
  }
  if ((seconds === 0n || seconds === GO_ZERO_TIME_SECONDS) && nanos === 0n) return undefined;
  const d = new Date(Number(seconds) * 1000);
  const base = d.toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${base}.${String(Number(nanos) / 1000 | 0).padStart(6, '0')}Z` : `${base}Z`;
}

function decodeWith(schema: Schema, buf: Buffer): JsonObject {
  const out: JsonObject = {};
  for (const fld of readFields(buf)) {
    const spec = schema[fld.no];
    if (!spec) continue;
    let value: unknown;
    const t = spec.type;
    if (t === 'string') value = fld.bytes?.toString('utf8') ?? '';
    else if (t === 'bytes') value = (fld.bytes ?? Buffer.alloc(0)).toString('base64');
    else if (t === 'int') value = Number(BigInt.asIntN(64, fld.varint ?? 0n));
    else if (t === 'bool') value = (fld.varint ?? 0n) !== 0n;
    else if (t === 'time' || t === 'microtime') value = toTime(fld.bytes ?? Buffer.alloc(0), t === 'microtime');
    else if (t === 'intorstring') {
      const io = decodeWith({ 1: f('type', 'int'), 2: f('intVal', 'int'), 3: f('strVal', 'string') }, fld.bytes!);
      value = io.type === 1 ? (io.strVal ?? '') : (io.intVal ?? 0);
    } else if (t === 'map<string,string>' || t === 'map<string,bytes>') {
      const entry = decodeWith(
        { 1: f('key', 'string'), 2: f('value', t === 'map<string,bytes>' ? 'bytes' : 'string') },
        fld.bytes ?? Buffer.alloc(0),
      );
      const m = (out[spec.name] ??= {});
      m[entry.key ?? ''] = entry.value ?? '';
      continue;
    } else value = decodeWith(t, fld.bytes ?? Buffer.alloc(0));
    // gogo-protobuf emits zero values of non-pointer fields; JSON omits them
    if (!spec.repeated && (value === undefined || value === '' || value === 0 || value === false)) continue;
    if (value === undefined) continue;
    if (spec.repeated) (out[spec.name] ??= []).push(value);
    else out[spec.name] = value;
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode a k8s protobuf envelope into a JSON-shaped object. */
export function decodeKubernetesProtobuf(buf: Buffer): JsonObject {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) throw new ProtobufError('provided data does not have the k8s protobuf prefix');
  const unknown = decodeWith(
    {
      1: f('typeMeta', { 1: f('apiVersion', 'string'), 2: f('kind', 'string') }),
      2: f('raw', 'bytes'),
      3: f('contentEncoding', 'string'),
      4: f('contentType', 'string'),
    },
    buf.subarray(4),
  );
  const apiVersion: string = unknown.typeMeta?.apiVersion ?? '';
  const kind: string = unknown.typeMeta?.kind ?? '';
  const schema = SCHEMAS[`${apiVersion}/${kind}`];
  if (!schema) throw new ProtobufError(`protobuf decoding of ${apiVersion}/${kind} is not supported by this test server`);
  const obj = decodeWith(schema, Buffer.from(unknown.raw ?? '', 'base64'));
  return { apiVersion, kind, ...obj };
}
