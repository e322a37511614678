// The generated botocore model against @aws-sdk/client-kms: operations and enum values must agree, apart from
// the differences listed here. A new SDK operation, enum or value fails until it is listed or the model catches up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from '@aws-sdk/client-kms';
import { ENUMS, OPERATIONS, OPERATION_NAMES, SHAPES } from '../../src/model/kms.generated.ts';

const exports = sdk as unknown as Record<string, unknown>;

/** Operations the SDK has and botocore's KMS model does not (yet). */
const SDK_ONLY_OPERATIONS = ['Decapsulate', 'Encapsulate'];

/** Enum values the SDK has and botocore's model does not (ML-KEM, Encapsulate/Decapsulate). */
const SDK_ONLY_ENUM_VALUES: Record<string, readonly string[]> = {
  DataKeyPairSpec: ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'],
  GrantOperation: ['Decapsulate', 'Encapsulate'],
  KeyLastUsageTrackingOperation: ['Decapsulate', 'Encapsulate'],
  KeySpec: ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'],
  KeyUsageType: ['ENCAPSULATE_DECAPSULATE'],
};

/** Enums the SDK has and botocore's model does not. */
const SDK_ONLY_ENUMS = ['EncapsulationAlgorithmSpec'];

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

function sdkEnums(): string[] {
  return Object.keys(exports).filter((name) => {
    const v = exports[name];
    return (
      /^[A-Z]/.test(name) &&
      typeof v === 'object' &&
      v !== null &&
      Object.keys(v).length > 0 &&
      Object.values(v).every((x) => typeof x === 'string')
    );
  });
}

test('the model has 54 operations, sorted, each with an entry', () => {
  assert.equal(OPERATION_NAMES.length, 54);
  assert.deepEqual([...OPERATION_NAMES], sorted(OPERATION_NAMES));
  assert.deepEqual(sorted(Object.keys(OPERATIONS)), [...OPERATION_NAMES]);
});

test('every model operation has an SDK command', () => {
  const missing = OPERATION_NAMES.filter((op) => typeof exports[`${op}Command`] !== 'function');
  assert.deepEqual(missing, []);
});

test('the SDK has no operations beyond the model except the listed ones', () => {
  const model = new Set<string>(OPERATION_NAMES);
  const extra = Object.keys(exports)
    .filter((k) => k.endsWith('Command') && k !== 'Command' && typeof exports[k] === 'function')
    .map((k) => k.slice(0, -'Command'.length))
    .filter((op) => op !== '$' && !model.has(op));
  assert.deepEqual(sorted(extra), sorted(SDK_ONLY_OPERATIONS));
});

test('every input and output shape the operations name exists', () => {
  for (const op of OPERATION_NAMES) {
    const input = OPERATIONS[op].input;
    if (input) assert.ok(SHAPES[input], `${op} input ${input}`);
  }
});

test('every model enum matches the SDK enum of the same name', () => {
  for (const [name, values] of Object.entries(ENUMS)) {
    const e = exports[name] as Record<string, string> | undefined;
    assert.ok(e && typeof e === 'object', `SDK has no enum ${name}`);
    const sdkValues = new Set(Object.values(e));
    const missingInSdk = values.filter((v) => !sdkValues.has(v));
    assert.deepEqual(missingInSdk, [], `${name}: model values the SDK lacks`);
    const extra = [...sdkValues].filter((v) => !values.includes(v));
    assert.deepEqual(sorted(extra), sorted(SDK_ONLY_ENUM_VALUES[name] ?? []), `${name}: SDK-only values`);
  }
});

test('the listed SDK-only enum values are still missing from the model', () => {
  for (const [name, values] of Object.entries(SDK_ONLY_ENUM_VALUES)) {
    const model = ENUMS[name];
    assert.ok(model, `model has no enum ${name}`);
    for (const v of values) assert.ok(!model.includes(v), `${name}.${v} is now in the model: drop it from the list`);
  }
});

test('the SDK has no enums beyond the model except the listed ones', () => {
  const extra = sdkEnums().filter((name) => !(name in ENUMS));
  assert.deepEqual(sorted(extra), sorted(SDK_ONLY_ENUMS));
});

test('input enum shapes carry the same values as ENUMS', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    if (shape.enum) assert.deepEqual(shape.enum, ENUMS[name], name);
  }
});
