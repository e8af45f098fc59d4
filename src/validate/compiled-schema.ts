/**
 * The compose schema, compiled at build time (scripts/build-schema.mjs) into plain JavaScript:
 * loading it costs a few milliseconds, while compiling the schema at run time would cost ~100 ms
 * and load ajv's compiler. This module gives the generated code its types.
 */
import { validate as generatedValidate, schemaText } from './generated/compose-schema.js';

/** One error as ajv reports it (the fields we use). */
export interface SchemaError {
  /** JSON pointer into the validated data, e.g. `/services/web/ports`. */
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
  /** Set on the errors of a `propertyNames` subschema: the key that failed. */
  readonly propertyName?: string;
}

interface CompiledValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

const compiled = generatedValidate as unknown as CompiledValidator;

/** Validates a whole compose tree; returns every error (the validator runs with allErrors). */
export function schemaErrors(tree: unknown): readonly SchemaError[] {
  return compiled(tree) ? [] : [...(compiled.errors ?? [])];
}

/** A JSON schema node as the walker needs it. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode | boolean>>;
  readonly patternProperties?: Readonly<Record<string, SchemaNode | boolean>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly propertyNames?: SchemaNode;
  readonly items?: SchemaNode | boolean;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly required?: readonly string[];
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

let parsed: SchemaNode | undefined;

/** The schema document (parsed on first use: only error explanations need it). */
export function schemaDocument(): SchemaNode {
  parsed ??= JSON.parse(schemaText) as SchemaNode;
  return parsed;
}
