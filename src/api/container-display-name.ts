/** How Compose names a container in log prefixes and messages: `web-1`, or its custom `container_name`. */
import { LABEL } from '../model/labels.js';

export function displayName(name: string, labels: Readonly<Record<string, string>>): string {
  const project = labels[LABEL.project] ?? '';
  const defaultName = `${project}-${labels[LABEL.service] ?? ''}-${labels[LABEL.containerNumber] ?? ''}`;
  return name === defaultName ? name.slice(project.length + 1) : name;
}

/** The same for a container known by name and service only (`<project>-<service>-<n>` becomes `<service>-<n>`). */
export function displayNameOf(name: string, project: string, service: string): string {
  const prefix = `${project}-${service}-`;
  return name.startsWith(prefix) && /^[0-9]+$/.test(name.slice(prefix.length)) ? name.slice(project.length + 1) : name;
}
