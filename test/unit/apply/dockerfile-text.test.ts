import { buildkitOnlyFeatures, logicalLines, stageNames, withContextStages } from '../../../src/apply/dockerfile-text.js';

describe('buildkitOnlyFeatures', () => {
  test('a syntax directive, RUN --mount, COPY --link/--chmod and heredocs must be named with their lines', () => {
    const text = ['# syntax=docker/dockerfile:1.4', 'FROM busybox', 'RUN --mount=type=cache,target=/c \\', '    make', 'COPY --link --chmod=755 a /a', 'RUN <<EOF', 'echo hi', 'EOF', ''].join('\n');
    expect(buildkitOnlyFeatures(text)).toEqual([
      'the "# syntax=docker/dockerfile:1.4" directive (line 1)',
      'RUN --mount (line 3)',
      'COPY --link (line 5)',
      'COPY --chmod (line 5)',
      'a heredoc in RUN (line 6)',
    ]);
  });

  test('a classic Dockerfile, with comments and continuations, must have none', () => {
    const text = ['# a comment', 'FROM busybox AS base', 'RUN echo "--mount is just text" \\', '# inside', '  && echo $((1 << 2))', 'COPY --chown=1:1 a /a', ''].join('\n');
    expect(buildkitOnlyFeatures(text)).toEqual([]);
    expect(logicalLines(text).map((line) => [line.line, line.keyword])).toEqual([
      [2, 'FROM'],
      [3, 'RUN'],
      [6, 'COPY'],
    ]);
  });
});

describe('withContextStages', () => {
  test('context stages must go before the first FROM, after global ARGs, and numbered stage references must shift', () => {
    const text = ['# syntax=docker/dockerfile:1', 'ARG BASE=busybox', 'FROM ${BASE} AS build', 'RUN true', 'FROM base', 'COPY --from=0 /a /a', 'RUN --mount=type=bind,from=0,target=/b true', ''].join('\n');
    expect(withContextStages(text, { base: 'reg.example/base:1', tools: 'tscompose-context/p-s-tools:latest' })).toBe(
      [
        '# syntax=docker/dockerfile:1',
        'ARG BASE=busybox',
        'FROM reg.example/base:1 AS base',
        'FROM tscompose-context/p-s-tools:latest AS tools',
        'FROM ${BASE} AS build',
        'RUN true',
        'FROM base',
        'COPY --from=2 /a /a',
        'RUN --mount=type=bind,from=2,target=/b true',
        '',
      ].join('\n'),
    );
    expect(stageNames(text)).toEqual(['build']);
  });
});
