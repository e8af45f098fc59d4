/**
 * Files tscompose writes into a container before it starts (secrets and configs given by
 * `environment:` or `content:`), and the tar archive that carries them to the engine's
 * `PUT /containers/{id}/archive` at `/`.
 */

export interface ContainerFile {
  /** Absolute path in the container. */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * A tar to extract at `/`. Only file entries are written: missing parent directories are created
 * by the engine, and existing ones (like `/run`) keep their owner and mode.
 */
export async function containerFilesArchive(files: readonly ContainerFile[]): Promise<Buffer> {
  // Imported here: the tar package and its streams are costly to load, and most runs write no files.
  // A CommonJS package: its exports are the namespace's default where the library's ES build puts
  // it in a chunk of its own, and the namespace itself elsewhere.
  const tar = await import('tar-stream');
  const { pack } = tar.default ?? tar;
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  for (const file of files) {
    archive.entry(
      { name: file.path.replace(/^\/+/, ''), type: 'file', mode: file.mode, uid: file.uid, gid: file.gid, mtime: new Date() },
      file.content,
    );
  }
  archive.finalize();
  return done;
}
