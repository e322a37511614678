// Checks a decoded request body against the KMS model: JSON types first (SerializationException, Coral's
// wording), then model constraints (ValidationException, AWS's wording). Validators are compiled once per shape.
// Paths: `keyId`, `tags.1.member.tagKey`; lists of simple values and maps are reported at the collection itself.
import { KmsError } from '../errors.ts';
import { OPERATIONS, SHAPES, type ModelShape } from '../model/kms.generated.ts';
import { javaPatternToRegExp } from './java-regex.ts';
import { CONSTRAINT, failureText, SERIALIZATION_MESSAGES, validationError } from './validation-messages.ts';

const MAX_REPORTED = 10;

class Failures {
  readonly messages: string[] = [];
  /** `text` undefined means the value was null; sensitive values are left out, as AWS does. */
  add(text: () => string | undefined, sensitive: boolean, path: string, constraint: string): void {
    if (this.messages.length >= MAX_REPORTED) return;
    const t = text();
    const subject = t === undefined ? 'Value null' : sensitive ? 'Value' : `Value '${t}'`;
    this.messages.push(failureText(subject, path, constraint));
  }
}

interface Node {
  readonly sensitive: boolean;
  /** Type-checks and converts a non-null value; records constraint failures at `path`. */
  run(value: unknown, path: string, out: Failures): unknown;
  /** Java-toString-like rendering of a converted value, used in messages. */
  text(value: unknown): string;
  readonly scalar?: Scalar;
}

interface Scalar {
  convert(value: unknown): unknown;
  /** The constraints a converted value breaks, or undefined. */
  violations(value: unknown): string[] | undefined;
  /** Every constraint of the shape, for Coral's bracketed list/map form. */
  readonly all: readonly string[];
}

const serialization = (message: string): KmsError => new KmsError('SerializationException', message);

function token(v: unknown): string {
  if (typeof v === 'string') return 'STRING_VALUE';
  if (typeof v === 'number') return 'NUMBER_VALUE';
  return v === true ? 'TRUE_VALUE' : 'FALSE_VALUE';
}

/** Rejects containers where a scalar is expected; returns the value for scalars. */
function notContainer(v: unknown): void {
  if (typeof v === 'object' && v !== null) {
    throw serialization(Array.isArray(v) ? SERIALIZATION_MESSAGES.listNotExpected : SERIALIZATION_MESSAGES.objectNotExpected);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const bufferText = (b: Buffer): string => `java.nio.HeapByteBuffer[pos=0 lim=${b.length} cap=${b.length}]`;

function decodeBase64(v: string): Buffer {
  if (v.length % 4 !== 0) throw serialization(SERIALIZATION_MESSAGES.base64Length(v));
  const bad = BASE64_BAD.exec(v);
  if (bad) throw serialization(SERIALIZATION_MESSAGES.base64Character(v, bad[0][0]!));
  const buf = Buffer.from(v, 'base64');
  // Non-zero unused bits in the last character, or padding in the wrong place.
  if (buf.toString('base64') !== v) throw serialization(SERIALIZATION_MESSAGES.base64LastCharacter(v));
  return buf;
}
const BASE64_BAD = /[^A-Za-z0-9+/=]|=[^=]/;

function scalarNode(shape: ModelShape): Node {
  const { min, max } = shape;
  const sensitive = shape.sensitive === true;
  const all: string[] = [];
  let convert: (v: unknown) => unknown;
  let size: ((v: unknown) => number) | undefined;
  let text: (v: unknown) => string = String;
  let regex: RegExp | undefined;
  let allowed: ReadonlySet<string> | undefined;
  const isNumber = shape.type === 'integer' || shape.type === 'long';

  switch (shape.type) {
    case 'string':
      convert = (v) => {
        if (typeof v === 'string') return v;
        notContainer(v);
        throw serialization(SERIALIZATION_MESSAGES.cannotConvert(token(v), 'a String'));
      };
      // Length in UTF-16 code units: AWS validates in Java, where String.length() counts UTF-16 units.
      size = (v) => (v as string).length;
      break;
    case 'blob':
      convert = (v) => {
        if (typeof v === 'string') return decodeBase64(v);
        notContainer(v);
        throw serialization(SERIALIZATION_MESSAGES.cannotConvert(token(v), 'a Blob'));
      };
      size = (v) => (v as Buffer).length;
      text = (v) => bufferText(v as Buffer);
      break;
    case 'integer':
    case 'long': {
      const type = shape.type === 'integer' ? 'an Integer' : 'a Long';
      convert = (v) => {
        // Coral truncates a fractional number where an integer is expected.
        if (typeof v === 'number') return Math.trunc(v) || 0;
        notContainer(v);
        throw serialization(SERIALIZATION_MESSAGES.cannotConvert(token(v), type));
      };
      break;
    }
    case 'boolean':
      convert = (v) => {
        if (typeof v === 'boolean') return v;
        notContainer(v);
        throw serialization(SERIALIZATION_MESSAGES.cannotConvert(token(v), 'a Boolean'));
      };
      break;
    case 'timestamp':
      // AWS JSON sends epoch seconds; an ISO-8601 string is accepted as a convenience.
      convert = (v) => {
        notContainer(v);
        const d = typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : undefined;
        if (d === undefined || Number.isNaN(d.getTime())) throw serialization(SERIALIZATION_MESSAGES.timestamp(token(v)));
        return d;
      };
      text = (v) => (v as Date).toISOString();
      break;
    default:
      throw new Error(`not a scalar shape: ${shape.type}`);
  }

  if (isNumber) {
    if (max !== undefined) all.push(CONSTRAINT.maxValue(max));
    if (min !== undefined) all.push(CONSTRAINT.minValue(min));
  } else if (size) {
    if (max !== undefined) all.push(CONSTRAINT.maxLength(max));
    if (min !== undefined) all.push(CONSTRAINT.minLength(min));
  }
  if (shape.pattern !== undefined) {
    regex = javaPatternToRegExp(shape.pattern);
    all.push(CONSTRAINT.pattern(shape.pattern));
  }
  if (shape.enum) {
    allowed = new Set(shape.enum);
    all.push(CONSTRAINT.enumSet(shape.enum));
  }

  const lenMin = size && min !== undefined ? CONSTRAINT.minLength(min) : undefined;
  const lenMax = size && max !== undefined ? CONSTRAINT.maxLength(max) : undefined;
  const valMin = isNumber && min !== undefined ? CONSTRAINT.minValue(min) : undefined;
  const valMax = isNumber && max !== undefined ? CONSTRAINT.maxValue(max) : undefined;
  const patternText = shape.pattern !== undefined ? CONSTRAINT.pattern(shape.pattern) : undefined;
  const enumText = shape.enum ? CONSTRAINT.enumSet(shape.enum) : undefined;

  const violations =
    all.length === 0
      ? () => undefined
      : (v: unknown): string[] | undefined => {
          let found: string[] | undefined;
          if (size) {
            const n = size(v);
            if (lenMin !== undefined && n < min!) (found ??= []).push(lenMin);
            if (lenMax !== undefined && n > max!) (found ??= []).push(lenMax);
          } else if (isNumber) {
            if (valMin !== undefined && (v as number) < min!) (found ??= []).push(valMin);
            if (valMax !== undefined && (v as number) > max!) (found ??= []).push(valMax);
          }
          if (regex && !regex.test(v as string)) (found ??= []).push(patternText!);
          if (allowed && !allowed.has(v as string)) (found ??= []).push(enumText!);
          return found;
        };

  const scalar: Scalar = { convert, violations, all };
  return {
    sensitive,
    scalar,
    text,
    run(value, path, out) {
      const v = convert(value);
      const broken = violations(v);
      if (broken) for (const c of broken) out.add(() => text(v), sensitive, path, c);
      return v;
    },
  };
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const cache = new Map<string, Node>();

function compile(name: string): Node {
  const cached = cache.get(name);
  if (cached) return cached;
  const shape = SHAPES[name];
  if (!shape) throw new Error(`model has no shape ${name}`);
  let node: Node;
  switch (shape.type) {
    case 'structure':
      node = structureNode(name, shape);
      break;
    case 'list':
      node = listNode(name, shape);
      break;
    case 'map':
      node = mapNode(name, shape);
      break;
    default:
      node = scalarNode(shape);
      cache.set(name, node);
  }
  return node;
}

function structureNode(name: string, shape: ModelShape): Node {
  const required = new Set(shape.required ?? []);
  interface Member {
    readonly name: string;
    readonly path: string;
    readonly required: boolean;
    node: Node;
  }
  const members: Member[] = [];
  const node: Node = {
    sensitive: shape.sensitive === true,
    text(value) {
      const o = value as Record<string, unknown>;
      return `{${members.filter((m) => o[m.name] !== undefined).map((m) => `${m.name}: ${m.node.text(o[m.name])}`).join(', ')}}`;
    },
    run(value, path, out) {
      if (!isObject(value)) {
        throw serialization(Array.isArray(value) ? SERIALIZATION_MESSAGES.listNotExpected : SERIALIZATION_MESSAGES.expectedStructure);
      }
      const result: Record<string, unknown> = {};
      for (const m of members) {
        const v = value[m.name];
        const p = path === '' ? m.path : `${path}.${m.path}`;
        if (v === undefined || v === null) {
          if (m.required) out.add(() => undefined, false, p, CONSTRAINT.notNull);
          continue;
        }
        result[m.name] = m.node.run(v, p, out);
      }
      return result;
    },
  };
  cache.set(name, node); // before the members, so a recursive shape finds itself
  for (const [member, target] of Object.entries(shape.members ?? {})) {
    members.push({ name: member, path: lowerFirst(member), required: required.has(member), node: compile(target) });
  }
  return node;
}

function listNode(name: string, shape: ModelShape): Node {
  const { min, max } = shape;
  let item!: Node;
  const text = (value: unknown): string =>
    `[${(value as unknown[]).map((v) => (v === null || v === undefined ? 'null' : item.text(v))).join(', ')}]`;
  const node: Node = {
    sensitive: shape.sensitive === true,
    text,
    run(value, path, out) {
      if (!Array.isArray(value)) {
        throw serialization(isObject(value) ? SERIALIZATION_MESSAGES.objectNotExpected : SERIALIZATION_MESSAGES.expectedList);
      }
      const n = value.length;
      if (min !== undefined && n < min) out.add(() => text(value), node.sensitive, path, CONSTRAINT.minLength(min));
      if (max !== undefined && n > max) out.add(() => text(value), node.sensitive, path, CONSTRAINT.maxLength(max));
      const result: unknown[] = new Array(n);
      const scalar = item.scalar;
      if (scalar) {
        // Coral reports simple members once, at the list, with every constraint of the member shape.
        let broken = false;
        let hasNull = false;
        for (let i = 0; i < n; i++) {
          const v = value[i];
          if (v === null || v === undefined) {
            hasNull = true;
            result[i] = null;
            continue;
          }
          const c = scalar.convert(v);
          if (!broken && scalar.violations(c)) broken = true;
          result[i] = c;
        }
        if (broken || hasNull) {
          const all = hasNull ? [...scalar.all, CONSTRAINT.notNull] : scalar.all;
          out.add(() => text(result), item.sensitive, path, CONSTRAINT.listMembers(all));
        }
        return result;
      }
      for (let i = 0; i < n; i++) {
        const v = value[i];
        const p = `${path}.${i + 1}.member`;
        if (v === null || v === undefined) {
          out.add(() => undefined, false, p, CONSTRAINT.notNull);
          result[i] = null;
          continue;
        }
        result[i] = item.run(v, p, out);
      }
      return result;
    },
  };
  cache.set(name, node);
  item = compile(shape.member!);
  return node;
}

function mapNode(name: string, shape: ModelShape): Node {
  const { min, max } = shape;
  let keyNode!: Node;
  let valueNode!: Node;
  const text = (value: unknown): string =>
    `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${v === null || v === undefined ? 'null' : valueNode.text(v)}`)
      .join(', ')}}`;
  const node: Node = {
    sensitive: shape.sensitive === true,
    text,
    run(value, path, out) {
      if (!isObject(value)) {
        throw serialization(Array.isArray(value) ? SERIALIZATION_MESSAGES.listNotExpected : SERIALIZATION_MESSAGES.expectedMap);
      }
      const entries = Object.entries(value);
      const n = entries.length;
      if (min !== undefined && n < min) out.add(() => text(value), node.sensitive, path, CONSTRAINT.minLength(min));
      if (max !== undefined && n > max) out.add(() => text(value), node.sensitive, path, CONSTRAINT.maxLength(max));
      const keyScalar = keyNode.scalar!;
      const valueScalar = valueNode.scalar;
      let badKey = false;
      let badValue = false;
      let nullValue = false;
      for (const entry of entries) {
        const [k, v] = entry;
        if (!badKey && keyScalar.violations(k)) badKey = true;
        if (v === null || v === undefined) {
          nullValue = true;
          entry[1] = null;
        } else if (valueScalar) {
          const c = valueScalar.convert(v);
          if (!badValue && valueScalar.violations(c)) badValue = true;
          entry[1] = c;
        } else {
          // Not in the KMS model: a map of structures or lists is checked entry by entry at `<path>.<key>`.
          entry[1] = valueNode.run(v, `${path}.${k}`, out);
        }
      }
      // Object.fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
      const result = Object.fromEntries(entries);
      if (badKey) out.add(() => text(result), node.sensitive, path, CONSTRAINT.mapKeys(keyScalar.all));
      if (badValue || nullValue) {
        const all = valueScalar ? [...valueScalar.all] : [];
        if (nullValue) all.push(CONSTRAINT.notNull);
        out.add(() => text(result), node.sensitive, path, CONSTRAINT.mapValues(all));
      }
      return result;
    },
  };
  cache.set(name, node);
  keyNode = compile(shape.key!);
  valueNode = compile(shape.value!);
  if (!keyNode.scalar) throw new Error(`map ${name}: key shape is not a string`);
  return node;
}

/** Compiled input validators, one per operation; built eagerly so a model the compiler cannot handle fails at startup. */
const INPUTS = new Map<string, Node | undefined>(
  Object.entries(OPERATIONS).map(([op, o]) => [op, o.input === undefined ? undefined : compile(o.input)]),
);

/**
 * Validates a request body (the JSON.parse result, `{}` for an empty body) for `operation` and returns a new
 * object holding the model's members only, blobs decoded to Buffer and timestamps to Date.
 * Throws KmsError SerializationException (wrong JSON types, bad base64) or ValidationException (model constraints).
 */
export function parseInput(operation: string, body: unknown): Record<string, unknown> {
  if (!INPUTS.has(operation)) throw new KmsError('UnknownOperationException', '');
  if (body === null || body === undefined) body = {};
  if (typeof body !== 'object') throw serialization(SERIALIZATION_MESSAGES.notAnObject);
  if (Array.isArray(body)) throw serialization(SERIALIZATION_MESSAGES.listNotExpected);
  const input = INPUTS.get(operation);
  if (input === undefined) return {};
  const failures = new Failures();
  const result = input.run(body, '', failures) as Record<string, unknown>;
  const m = failures.messages;
  if (m.length > 0) {
    throw validationError(m);
  }
  return result;
}
