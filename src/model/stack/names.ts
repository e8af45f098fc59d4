/**
 * Names and labels of a stack's objects, as `docker stack` writes them, so that `docker stack
 * ls/ps/rm` see tscompose's stacks and tscompose sees theirs. A stack is not an engine object:
 * it is the set of services, networks, secrets and configs labelled with its namespace.
 */

/** docker stack's labels. */
export const STACK_LABEL = {
  /** On every object of the stack: the stack name. */
  namespace: 'com.docker.stack.namespace',
  /** On services: the `image:` as written in the file (before digest pinning). */
  image: 'com.docker.stack.image',
} as const;

/** tscompose's own: the digest of a secret's or config's content, to tell "same name, new content". */
export const STACK_CONTENT_LABEL = 'io.tscompose.stack.content-digest';

/** On the tasks of a service whose image exists only on this engine: its image ID, so a rebuild rolls them. */
export const STACK_LOCAL_IMAGE_LABEL = 'io.tscompose.stack.local-image';

/** `<stack>_<key>`: services, networks, volumes, secrets and configs without a `name:`. */
export function scopedName(stack: string, key: string): string {
  return `${stack}_${key}`;
}

/** The `label=` filter that selects a stack's objects. */
export function namespaceFilter(stack: string): string {
  return `${STACK_LABEL.namespace}=${stack}`;
}

/** A DNS name component, as SwarmKit requires of service and network names. */
const DNS_COMPONENT = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;
const MAX_SERVICE_NAME = 63;

/**
 * Why a stack name cannot be used, or undefined. docker stack only rejects an empty name and
 * leaves the rest to the engine, which fails at the first service; here the name is checked
 * first, and it must also be a valid project name since the same model names the objects.
 */
export function stackNameProblem(stack: string): string | undefined {
  if (stack.trim().replace(/["']/g, '') === '') return `invalid stack name: ${JSON.stringify(stack)}`;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(stack)) {
    return `invalid stack name ${JSON.stringify(stack)}: use lowercase letters, digits, "-" and "_", starting with a letter or digit`;
  }
  if (!DNS_COMPONENT.test(stack)) return `invalid stack name ${JSON.stringify(stack)}: it must be a valid DNS name component (no "_" or "-" at the end)`;
  return undefined;
}

/** Why a service's engine name cannot be used, or undefined (SwarmKit's rule, checked before anything is created). */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length > MAX_SERVICE_NAME) return `the service name ${name} is longer than ${MAX_SERVICE_NAME} characters`;
  if (!DNS_COMPONENT.test(name)) return `the service name ${name} is not a valid DNS name component (letters, digits, "-" and "_" between them)`;
  return undefined;
}

/** Secret and config names: at most 64 of [a-zA-Z0-9-_.], starting and ending alphanumeric. */
const FILE_OBJECT_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/;
export const MAX_FILE_OBJECT_NAME = 64;

export function fileObjectNameProblem(name: string): string | undefined {
  if (name.length > MAX_FILE_OBJECT_NAME || !FILE_OBJECT_NAME.test(name)) {
    return `the name ${JSON.stringify(name)} is not valid in a swarm: at most ${MAX_FILE_OBJECT_NAME} characters of [a-zA-Z0-9-_.], starting and ending with a letter or digit`;
  }
  return undefined;
}
