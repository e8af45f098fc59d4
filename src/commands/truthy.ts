/** `COMPOSE_REMOVE_ORPHANS=1` etc.: Go's boolean spellings, as Compose reads them. */
export function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}
