/**
 * The applied config: what tscompose records on a container, network or volume it creates
 * (label io.tscompose.applied-config), so that the next run can name the fields that changed.
 *
 * Labels are public: `docker ps --format '{{.Labels}}'`, every `docker events` line and
 * `ps --format json` print them. So the values that may be secrets (environment values, which
 * include env_file values, the environment of lifecycle hooks, inline secret and config content,
 * network and volume driver options such as a CIFS password) are recorded sealed: an HMAC under a
 * key of the user's (apply/seal-key.ts), never in clear. An unkeyed digest would not do: a short
 * password can be recovered from its plain SHA-256 by guessing. Sealed values still compare, so a
 * changed value is still named (`environment.DB_PASSWORD`); the value itself never appears.
 *
 * A record sealed under another key (another user, another machine) cannot compare values: both
 * sides are then masked, and only names that appear or disappear are reported. Records written
 * before values were sealed (clear values, no key label) are sealed on reading.
 */
import { createHash, createHmac } from 'node:crypto';
import { toCanonical, type CanonicalValue } from './hash.js';

export interface SealKey {
  /** Short public fingerprint of the secret, written next to the record to tell keys apart. */
  readonly id: string;
  /** Hex; never written anywhere but the user's key file. */
  readonly secret: string;
}

export function sealKeyFromSecret(secret: string): SealKey {
  return { id: createHash('sha256').update(`tscompose-seal-key:${secret}`).digest('hex').slice(0, 12), secret };
}

/** Stands in for a value of another key's record: compares equal to every other masked value. */
const MASKED = 'sealed';

type Seal = (value: string) => string;

function sealer(key: SealKey): Seal {
  return (value) => `hmac-sha256:${createHmac('sha256', Buffer.from(key.secret, 'hex')).update(value).digest('hex').slice(0, 32)}`;
}

const mask: Seal = () => MASKED;

function isObject(value: CanonicalValue | undefined): value is { [key: string]: CanonicalValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A map's string values sealed (null stays null: "listed without a value" is not a secret). */
function sealMapValues(value: CanonicalValue | undefined, seal: Seal): CanonicalValue | undefined {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, typeof item === 'string' ? seal(item) : item]));
}

function sealMember(record: { [key: string]: CanonicalValue }, member: string, seal: Seal): void {
  const sealed = sealMapValues(record[member], seal);
  if (sealed !== undefined) record[member] = sealed;
}

function sealHooks(value: CanonicalValue | undefined, seal: Seal): CanonicalValue | undefined {
  if (!Array.isArray(value)) return value;
  return value.map((hook) => {
    if (!isObject(hook)) return hook;
    const copy = { ...hook };
    sealMember(copy, 'environment', seal);
    return copy;
  });
}

/** `secrets` / `configs` references resolved with their definition (hash.ts): the inline content. */
function sealFileReferences(value: CanonicalValue | undefined, seal: Seal): CanonicalValue | undefined {
  if (!Array.isArray(value)) return value;
  return value.map((reference) => {
    if (!isObject(reference) || !isObject(reference.definition) || typeof reference.definition.content !== 'string') return reference;
    return { ...reference, definition: { ...reference.definition, content: seal(reference.definition.content) } };
  });
}

function sealService(canonical: CanonicalValue, seal: Seal): CanonicalValue {
  if (!isObject(canonical)) return canonical;
  const sealed = { ...canonical };
  sealMember(sealed, 'environment', seal);
  for (const member of ['post_start', 'pre_stop', 'secrets', 'configs'] as const) {
    const value = member === 'secrets' || member === 'configs' ? sealFileReferences(sealed[member], seal) : sealHooks(sealed[member], seal);
    if (value !== undefined) sealed[member] = value;
  }
  return sealed;
}

function sealResource(canonical: CanonicalValue, seal: Seal): CanonicalValue {
  if (!isObject(canonical)) return canonical;
  const sealed = { ...canonical };
  sealMember(sealed, 'driver_opts', seal);
  return sealed;
}

export type AppliedKind = 'service' | 'resource';

function sealAs(kind: AppliedKind, canonical: CanonicalValue, seal: Seal): CanonicalValue {
  return kind === 'service' ? sealService(canonical, seal) : sealResource(canonical, seal);
}

/** The record written to the label: the canonical config with its secret-bearing values sealed. */
export function sealedAppliedConfig(kind: AppliedKind, canonical: CanonicalValue, key: SealKey): string {
  return JSON.stringify(sealAs(kind, canonical, sealer(key)));
}

export interface ComparableConfigs {
  readonly applied: CanonicalValue;
  readonly desired: CanonicalValue;
  /** The record was sealed under another key: changed values cannot be told, only names. */
  readonly valuesHidden: boolean;
}

/**
 * The recorded and the desired config in a form that compares: both sealed under `key`, or, when
 * the record carries another key, both masked. `recordKeyId` undefined = a record from before
 * sealing, holding clear values (sealed here, never shown).
 */
export function comparableConfigs(
  kind: AppliedKind,
  recorded: unknown,
  recordKeyId: string | undefined,
  desired: CanonicalValue,
  key: SealKey,
): ComparableConfigs {
  const record = toCanonical(recorded);
  if (recordKeyId === key.id) return { applied: record, desired: sealAs(kind, desired, sealer(key)), valuesHidden: false };
  if (recordKeyId === undefined) {
    const seal = sealer(key);
    return { applied: sealAs(kind, record, seal), desired: sealAs(kind, desired, seal), valuesHidden: false };
  }
  return { applied: sealAs(kind, record, mask), desired: sealAs(kind, desired, mask), valuesHidden: true };
}
