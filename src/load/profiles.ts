/**
 * Which services are enabled (pure; model/ reuses it). A service without `profiles` is always
 * enabled; one with profiles is enabled when one of them is active or `*` is active. A service
 * named on the command line is enabled and its profiles become active (which can enable other
 * services of those profiles), as in Compose. Dependencies are not enabled implicitly.
 */

export interface ProfileSelection {
  /** Active profiles: the requested ones plus those of the services named on the CLI. */
  readonly activeProfiles: string[];
  /** Enabled service names, in the order of the tree. */
  readonly enabled: string[];
  /** Names given on the command line that are not services of the project. */
  readonly unknown: string[];
}

function profilesOf(service: unknown): string[] {
  if (typeof service !== 'object' || service === null || Array.isArray(service)) return [];
  const profiles = (service as Record<string, unknown>).profiles;
  return Array.isArray(profiles) ? profiles.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * @param services the `services` mapping of the merged tree (anything else gives no services)
 * @param requestedProfiles --profile / COMPOSE_PROFILES values
 * @param requestedServices services named on the command line
 */
export function selectProfiles(
  services: unknown,
  requestedProfiles: readonly string[],
  requestedServices: readonly string[] = [],
): ProfileSelection {
  const all = typeof services === 'object' && services !== null && !Array.isArray(services) ? (services as Record<string, unknown>) : {};
  const active = new Set(requestedProfiles.filter((p) => p !== ''));
  const unknown: string[] = [];
  for (const name of requestedServices) {
    if (!Object.prototype.hasOwnProperty.call(all, name)) {
      unknown.push(name);
      continue;
    }
    for (const profile of profilesOf(all[name])) active.add(profile);
  }
  const everything = active.has('*');
  const named = new Set(requestedServices);
  const enabled = Object.keys(all).filter((name) => {
    const profiles = profilesOf(all[name]);
    return profiles.length === 0 || everything || named.has(name) || profiles.some((p) => active.has(p));
  });
  return { activeProfiles: [...active], enabled, unknown };
}

/** COMPOSE_PROFILES: a comma-separated list; blanks are ignored. */
export function parseProfileList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
