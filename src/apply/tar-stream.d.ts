/**
 * The part of tar-stream 2.x that tscompose uses (the package ships no types). tar-stream is
 * already in the dependency tree through dockerode; it writes ustar + PAX headers, so long paths
 * and large files are handled without a hand-written tar encoder.
 */
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    type?: 'file' | 'directory' | 'symlink' | 'link';
    linkname?: string;
    uid?: number;
    gid?: number;
    uname?: string;
    gname?: string;
  }

  export interface Pack extends Readable {
    /** With content: written at once. Without: returns a sink to pipe exactly `size` bytes into. */
    entry(headers: Headers, content: string | Buffer, callback?: (error?: Error | null) => void): Writable;
    entry(headers: Headers, callback?: (error?: Error | null) => void): Writable;
    finalize(): void;
    destroy(error?: Error): this;
  }

  export interface Extract extends Writable {
    on(event: 'entry', listener: (headers: Headers, stream: Readable, next: () => void) => void): this;
    on(event: 'finish', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export function pack(): Pack;
  export function extract(): Extract;
}
