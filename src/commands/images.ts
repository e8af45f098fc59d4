/**
 * `tscompose images [SERVICE...]`: the image of every container of the project (stopped and
 * one-off ones too), in Compose's table or JSON. The repository and tag shown are the ones the
 * container was created from when the image still carries them (Compose shows the image's first
 * tag, which can be another project's name for the same image).
 */
import type { ContainerSummary, ImageSummary } from '../apply/engine.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { humanSize } from './output/human-size.js';
import { goJson } from './output/go-json.js';
import { renderTable } from './output/table.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { projectContainersOf } from '../api/service-containers.js';

export interface ImagesOptions {
  readonly format: string;
  readonly quiet: boolean;
}

interface ImageRow {
  readonly ID: string;
  readonly ContainerName: string;
  readonly Repository: string;
  readonly Tag: string;
  readonly Size: number;
}

export async function imagesCommand(ctx: Context, services: readonly string[], options: ImagesOptions): Promise<void> {
  if (options.format !== 'table' && options.format !== 'json') throw new UsageError(`invalid --format "${options.format}": use table or json`);
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  const engine = await openEngine(ctx);
  try {
    const containers = await projectContainersOf(ctx, engine, name, services);
    const ids = [...new Set(containers.map((container) => container.imageId))];
    const images = new Map<string, ImageSummary | undefined>();
    await Promise.all(ids.map(async (id) => images.set(id, await engine.inspectImage(id, { signal: ctx.signal }))));
    const rows = containers.map((container) => imageRow(container, images.get(container.imageId)));
    if (options.quiet) {
      ctx.stdout.write([...new Set(rows.map((row) => row.ID.replace(/^sha256:/, '')))].map((id) => `${id}\n`).join(''));
    } else if (options.format === 'json') {
      ctx.stdout.write(`${goJson(rows)}\n`);
    } else {
      const table = [
        ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
        ...rows.map((row) => [row.ContainerName, row.Repository, row.Tag, row.ID.replace(/^sha256:/, '').slice(0, 12), humanSize(row.Size)]),
      ];
      ctx.stdout.write(renderTable(table, { minWidth: 20 }));
    }
  } finally {
    engine.close();
  }
}

function imageRow(container: ContainerSummary, image: ImageSummary | undefined): ImageRow {
  const tags = image?.repoTags ?? [];
  const created = withTag(container.image);
  const tag = tags.find((candidate) => candidate === created) ?? tags[0];
  const colon = tag === undefined ? -1 : tag.lastIndexOf(':');
  return {
    ID: image?.id ?? container.imageId,
    ContainerName: container.name,
    Repository: tag === undefined ? '<none>' : tag.slice(0, colon),
    Tag: tag === undefined ? '<none>' : tag.slice(colon + 1),
    Size: image?.size ?? 0,
  };
}

/** `busybox` names `busybox:latest`. */
function withTag(reference: string): string {
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':') ? reference : `${reference}:latest`;
}
