/** A temporary directory that a test fills with files, made before and removed after each test. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempTree {
  /** The directory of the current test. */
  readonly root: string;
  /** Writes files (paths relative to root, directories made as needed). */
  files(tree: Readonly<Record<string, string>>): void;
}

/** Registers beforeEach/afterEach hooks; use `tree.root` inside tests only. */
export function tempTree(prefix: string): TempTree {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    files(tree) {
      for (const [path, content] of Object.entries(tree)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), content);
      }
    },
  };
}
