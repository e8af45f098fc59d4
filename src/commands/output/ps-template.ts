/**
 * `ps --format TEMPLATE` as Compose runs it (checked against `docker compose ps` 2.26): `\t` and
 * `\n` in the format are a tab and a newline, `table ...` adds a header row (the template run on
 * the column names) and aligns the columns, anything else prints one run per container. Each
 * container is Compose's ContainerContext: the `--format json` fields plus `.Label "name"`.
 * A template that cannot be parsed or run is a usage error, and nothing is printed.
 */
import { renderFormatTemplate } from './format-template.js';
import { GoMap, GoStruct, NIL_SLICE, toGoValue, type GoValue } from './go-values.js';
import type { PsEntry } from './ps-rows.js';

/** The column names Compose's table header shows; other fields print `<no value>` there, as in Compose. */
const HEADERS: Readonly<Record<string, string>> = {
  ID: 'CONTAINER ID',
  Name: 'NAME',
  Service: 'SERVICE',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Labels: 'LABELS',
  Project: 'PROJECT',
};

/** `.Label "com.example.tier"` in a header: the last dotted part, `-` and `_` as spaces (`tier`). */
function labelHeader(name: GoValue): GoValue {
  const parts = String(name).split('.');
  return parts[parts.length - 1].replace(/[-_]/g, ' ');
}

const HEADER_CONTEXT = new GoMap(new Map(Object.entries(HEADERS)), { Label: (name) => labelHeader(name) });

/** One container as a template sees it. */
export function psTemplateValue(entry: PsEntry, labels: Readonly<Record<string, string>>): GoStruct {
  const fields: Record<string, GoValue> = {};
  for (const [key, value] of Object.entries(entry)) fields[key] = toGoValue(value);
  // A container without published ports has a nil list: `[]` when printed, `null` in JSON.
  if (entry.Publishers === null) fields.Publishers = NIL_SLICE;
  return new GoStruct('*formatter.ContainerContext', fields, { Label: (name) => labels[String(name)] ?? '' });
}

/** The output of `ps --format TEMPLATE` for these containers (each with its labels). */
export function renderPsTemplate(format: string, containers: readonly { entry: PsEntry; labels: Readonly<Record<string, string>> }[]): string {
  return renderFormatTemplate(
    format,
    containers.map(({ entry, labels }) => psTemplateValue(entry, labels)),
    HEADER_CONTEXT,
  );
}
