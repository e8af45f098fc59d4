/**
 * Runs a Go text/template (the subset go-template-parse.ts reads) on Go-like values
 * (go-values.ts), with Go's rules: pipelines pass their value as the last argument, fields are
 * looked up on structs and maps (a method takes arguments: `.Label "x"`), `if`/`with`/`range`
 * follow Go's truth, variables are scoped to their block. A template that cannot run throws a
 * TemplateError naming the action (`at <.Nope>: can't evaluate field Nope in type ...`).
 */
import { FunctionError, TEMPLATE_FUNCTIONS, type GoFunction } from './go-template-functions.js';
import { parseTemplate, TemplateError, type Arg, type Command, type Pipeline, type TemplateNode } from './go-template-parse.js';
import { GoMap, GoNilSlice, GoStruct, goTypeName, isTrue, printValue, type GoValue } from './go-values.js';

export { TemplateError };

interface Variable {
  readonly name: string;
  value: GoValue;
}

class Execution {
  private readonly variables: Variable[];
  private output = '';

  constructor(
    root: GoValue,
    private readonly functions: Readonly<Record<string, GoFunction>>,
  ) {
    this.variables = [{ name: '$', value: root }];
  }

  run(nodes: readonly TemplateNode[], dot: GoValue): string {
    this.walk(nodes, dot);
    return this.output;
  }

  /** What was written before an error (the Docker CLI prints a header up to its failure). */
  partial(): string {
    return this.output;
  }

  private walk(nodes: readonly TemplateNode[], dot: GoValue): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          this.output += node.text;
          break;
        case 'action': {
          const value = this.pipeline(node.pipeline, dot);
          if (node.pipeline.declare.length === 0) this.output += printValue(value);
          break;
        }
        case 'if':
        case 'with':
          this.scoped(() => {
            const value = this.pipeline(node.pipeline, dot);
            if (isTrue(value)) this.walk(node.body, node.kind === 'with' ? value : dot);
            else this.walk(node.otherwise, dot);
          });
          break;
        case 'range':
          this.scoped(() => this.range(node, dot));
          break;
      }
    }
  }

  private range(node: Extract<TemplateNode, { kind: 'if' | 'with' | 'range' }>, dot: GoValue): void {
    const { declare } = node.pipeline;
    const value = this.pipeline({ ...node.pipeline, declare: [] }, dot);
    let items: [GoValue, GoValue][];
    if (value === null || value === undefined || value instanceof GoNilSlice) items = [];
    else if (Array.isArray(value)) items = value.map((item, index) => [index, item]);
    else if (value instanceof GoMap) items = [...value.entries.keys()].sort().map((key) => [key, value.entries.get(key)]);
    else if (typeof value === 'number' && Number.isInteger(value)) items = Array.from({ length: Math.max(0, value) }, (_, index) => [index, index]);
    else this.fail(node.pipeline.commands[0], `range can't iterate over ${printValue(value)}`);
    if (items.length === 0) {
      this.walk(node.otherwise, dot);
      return;
    }
    for (const [key, item] of items) {
      this.scoped(() => {
        if (declare.length === 1) this.variables.push({ name: declare[0], value: item });
        if (declare.length === 2) this.variables.push({ name: declare[0], value: key }, { name: declare[1], value: item });
        this.walk(node.body, item);
      });
    }
  }

  private scoped(body: () => void): void {
    const depth = this.variables.length;
    try {
      body();
    } finally {
      this.variables.length = depth;
    }
  }

  private pipeline(pipeline: Pipeline, dot: GoValue): GoValue {
    let value: GoValue;
    pipeline.commands.forEach((command, position) => {
      value = this.command(command, dot, position === 0 ? [] : [value]);
    });
    if (pipeline.declare.length > 0) {
      if (pipeline.assign) {
        const variable = this.lookup(pipeline.declare[0], pipeline.commands[0]);
        variable.value = value;
      } else this.variables.push({ name: pipeline.declare[0], value });
    }
    return value;
  }

  private lookup(name: string, command: Command): Variable {
    for (let index = this.variables.length - 1; index >= 0; index--) {
      if (this.variables[index].name === name) return this.variables[index];
    }
    this.fail(command, `undefined variable: ${name}`);
  }

  /** One command: a function call, a (method) field chain, or a single operand. `final` is the piped value. */
  private command(command: Command, dot: GoValue, final: GoValue[]): GoValue {
    const [first, ...rest] = command.args;
    const args = (): GoValue[] => [...rest.map((arg) => this.operand(arg, dot, command)), ...final];
    switch (first.kind) {
      case 'function':
        return this.call(first.name, args(), command);
      case 'field':
        return this.chain(dot, first.chain, args(), command, true);
      case 'variable':
        return this.chain(this.lookup(first.name, command).value, first.chain, args(), command, first.chain.length > 0);
      case 'pipeline':
        return this.chain(this.pipeline(first.pipeline, dot), first.chain, args(), command, first.chain.length > 0);
      default:
        if (rest.length > 0 || final.length > 0) this.fail(command, `can't give argument to non-function ${describeArg(first)}`);
        return this.operand(first, dot, command);
    }
  }

  private operand(arg: Arg, dot: GoValue, command: Command): GoValue {
    switch (arg.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'literal':
        return arg.value;
      case 'function':
        return this.call(arg.name, [], command);
      case 'field':
        return this.chain(dot, arg.chain, [], command, true);
      case 'variable':
        return this.chain(this.lookup(arg.name, command).value, arg.chain, [], command, arg.chain.length > 0);
      case 'pipeline':
        return this.chain(this.pipeline(arg.pipeline, dot), arg.chain, [], command, arg.chain.length > 0);
    }
  }

  private call(name: string, args: GoValue[], command: Command): GoValue {
    const fn = this.functions[name];
    if (fn === undefined) this.fail(command, `function "${name}" not defined`);
    try {
      return fn(...args);
    } catch (error) {
      if (error instanceof FunctionError) this.fail(command, error.message.startsWith('error calling') ? error.message : `error calling ${name}: ${error.message}`);
      throw error;
    }
  }

  /** `.A.B` from `receiver`; the last name may be a method, which gets `args`. */
  private chain(receiver: GoValue, chain: readonly string[], args: GoValue[], command: Command, isChain: boolean): GoValue {
    if (!isChain) {
      if (args.length > 0) this.fail(command, `can't give argument to non-function ${printValue(receiver)}`);
      return receiver;
    }
    let value = receiver;
    chain.forEach((name, position) => {
      const last = position === chain.length - 1;
      value = this.field(value, name, last ? args : [], command, last);
    });
    return value;
  }

  private field(receiver: GoValue, name: string, args: GoValue[], command: Command, last: boolean): GoValue {
    const methods = receiver instanceof GoStruct || receiver instanceof GoMap ? receiver.methods : {};
    const method = methods[name];
    if (method !== undefined) {
      if (method.length !== args.length) this.fail(command, `wrong number of args for ${name}: want ${method.length} got ${args.length}`);
      return method(...args);
    }
    if (args.length > 0 && last) this.fail(command, `${name} has arguments but cannot be invoked as function`);
    if (receiver instanceof GoMap) return receiver.entries.get(name);
    if (receiver instanceof GoStruct && Object.prototype.hasOwnProperty.call(receiver.fields, name)) return receiver.fields[name];
    if (receiver === null) this.fail(command, `nil pointer evaluating ${goTypeName(receiver)}.${name}`);
    if (receiver === undefined) return undefined;
    const known = receiver instanceof GoStruct ? `; fields: ${[...Object.keys(receiver.fields), ...Object.keys(receiver.methods)].join(', ')}` : '';
    this.fail(command, `can't evaluate field ${name} in type ${goTypeName(receiver)}${known}`);
  }

  private fail(command: Command, message: string): never {
    throw new TemplateError(`executing at <${command.text}>: ${message}`);
  }
}

function describeArg(arg: Arg): string {
  switch (arg.kind) {
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'literal':
      return typeof arg.value === 'string' ? JSON.stringify(arg.value) : String(arg.value);
    default:
      return arg.kind;
  }
}

/** A parsed template, run once per value. */
export class GoTemplate {
  private readonly nodes: readonly TemplateNode[];

  constructor(
    source: string,
    private readonly functions: Readonly<Record<string, GoFunction>> = TEMPLATE_FUNCTIONS,
  ) {
    this.nodes = parseTemplate(source, new Set(Object.keys(functions)));
  }

  /** The text for `value`; throws TemplateError when the template cannot run on it. */
  execute(value: GoValue): string {
    return new Execution(value, this.functions).run(this.nodes, value);
  }

  /** Like execute, but an error ends the text where it happened instead of throwing (table headers). */
  executePartially(value: GoValue, functions: Readonly<Record<string, GoFunction>> = this.functions): string {
    const execution = new Execution(value, functions);
    try {
      return execution.run(this.nodes, value);
    } catch (error) {
      if (error instanceof TemplateError) return execution.partial();
      throw error;
    }
  }
}
