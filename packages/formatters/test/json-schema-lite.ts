/**
 * A small JSON Schema check (the keywords the SARIF 2.1.0 schema uses: $ref, type, enum, required,
 * properties, additionalProperties, items, minItems, uniqueItems, minimum, maximum, pattern, anyOf,
 * oneOf). The SARIF Multitool skips a file whose enum or type is wrong without a word (a result
 * `level` of "bogus" validates clean), so the validator runs this first.
 */
type Schema = { [keyword: string]: unknown };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Schema)[key], root);
  return resolve(target as Schema, root);
}

function checkObject(value: Schema, schema: Schema, root: Schema, at: string, errors: string[]): void {
  for (const key of (schema.required as string[] | undefined) ?? []) {
    if (!(key in value)) errors.push(`${at}: missing required property '${key}'`);
  }
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  for (const [key, child] of Object.entries(value)) {
    if (key in properties) check(child, properties[key], root, `${at}.${key}`, errors);
    else if (schema.additionalProperties === false) errors.push(`${at}: property '${key}' is not allowed`);
    else if (typeof schema.additionalProperties === 'object') check(child, schema.additionalProperties as Schema, root, `${at}.${key}`, errors);
  }
}

function checkArray(value: unknown[], schema: Schema, root: Schema, at: string, errors: string[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
  if (schema.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
    errors.push(`${at}: items are not unique`);
  }
  if (typeof schema.items === 'object') value.forEach((item, index) => check(item, schema.items as Schema, root, `${at}[${index}]`, errors));
}

function checkScalar(value: unknown, schema: Schema, at: string, errors: string[]): void {
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: ${value} < ${schema.minimum}`);
  if (typeof value === 'number' && typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: ${value} > ${schema.maximum}`);
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
}

function matchCount(value: unknown, options: Schema[], root: Schema, at: string): number {
  return options.filter((option) => check(value, option, root, at, []).length === 0).length;
}

export function check(value: unknown, given: Schema, root: Schema, at: string, errors: string[]): string[] {
  const schema = resolve(given, root);
  if (Array.isArray(schema.anyOf) && matchCount(value, schema.anyOf as Schema[], root, at) === 0) errors.push(`${at}: matches none of anyOf`);
  if (Array.isArray(schema.oneOf) && matchCount(value, schema.oneOf as Schema[], root, at) !== 1) errors.push(`${at}: does not match exactly one of oneOf`);
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  if (types.length > 0 && !types.some((type) => hasType(value, type))) {
    errors.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
    return errors;
  }
  checkScalar(value, schema, at, errors);
  if (Array.isArray(value)) checkArray(value, schema, root, at, errors);
  else if (typeOf(value) === 'object') checkObject(value as Schema, schema, root, at, errors);
  return errors;
}

export function schemaErrors(value: unknown, schema: Schema): string[] {
  return check(value, schema, schema, '$', []);
}
