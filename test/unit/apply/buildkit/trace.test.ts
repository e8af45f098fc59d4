import { BuildTrace, byteSize, type StepView } from '../../../../src/apply/buildkit/trace.js';
import type { BuildkitStatus } from '../../../../src/apply/engine.js';

const T = 1_700_000_000_000;

function status(part: Partial<BuildkitStatus>): BuildkitStatus {
  return { vertexes: [], statuses: [], logs: [], ...part };
}

describe('BuildTrace', () => {
  test('deltas must print like BuildKit\'s plain printer: numbered steps, output with times, one closing line each', () => {
    const lines: string[] = [];
    const trace = new BuildTrace({ line: (text) => lines.push(text) });
    trace.update(status({ vertexes: [{ digest: 'a', name: '[internal] load build context', cached: false }] }));
    trace.update(status({ vertexes: [{ digest: 'a', name: '[internal] load build context', cached: false, started: T }] }));
    trace.update(
      status({
        vertexes: [
          { digest: 'a', name: '[internal] load build context', cached: false, started: T, completed: T + 40 },
          { digest: 'b', name: '[1/2] FROM busybox', cached: true, started: T + 50, completed: T + 50 },
        ],
        statuses: [{ id: 'transferring context:', vertex: 'a', current: 2048, total: 0, completed: T + 40 }],
      }),
    );
    trace.update(status({ vertexes: [{ digest: 'c', name: '[2/2] RUN make', cached: false, started: T + 100 }] }));
    trace.update(status({ logs: [{ vertex: 'c', stream: 1, data: Buffer.from('gcc -o app\npart'), timestamp: T + 612 }] }));
    trace.update(
      status({
        vertexes: [{ digest: 'c', name: '[2/2] RUN make', cached: false, started: T + 100, completed: T + 1400 }],
        logs: [{ vertex: 'c', stream: 1, data: Buffer.from('ial\n'), timestamp: T + 1300 }],
      }),
    );
    trace.end();
    expect(lines).toEqual([
      '#1 [internal] load build context',
      '#2 [1/2] FROM busybox',
      '#1 transferring context: 2.05kB done',
      '#1 DONE 0.0s',
      '#2 CACHED',
      '#3 [2/2] RUN make',
      '#3 0.512 gcc -o app',
      '#3 1.200 partial',
      '#3 DONE 1.3s',
    ]);
    expect(trace.summary()).toEqual({ steps: 2, cached: 1, seconds: 1.4 });
  });

  test('a failed step must be reported with its error and its last output lines', () => {
    const lines: string[] = [];
    const steps: [StepView, string][] = [];
    const trace = new BuildTrace({ line: (text) => lines.push(text), step: (step, change) => steps.push([step, change]) });
    trace.update(status({ vertexes: [{ digest: 'x', name: '[2/3] RUN exit 3', cached: false, started: T }] }));
    trace.update(status({ logs: [{ vertex: 'x', stream: 2, data: Buffer.from('oops\r\n'), timestamp: T + 10 }] }));
    trace.update(status({ vertexes: [{ digest: 'x', name: '[2/3] RUN exit 3', cached: false, started: T, completed: T + 20, error: 'exit code: 3' }] }));
    expect(lines.at(-1)).toBe('#1 ERROR: exit code: 3');
    expect(trace.failure()).toEqual({ name: '[2/3] RUN exit 3', error: 'exit code: 3', lastLines: ['oops'] });
    expect(steps.map(([step, change]) => `${change}:${step.state}`)).toEqual(['start:running', 'log:running', 'end:error']);
  });

  test('a step cancelled by another one\'s failure must say CANCELED and not count as the failure', () => {
    const lines: string[] = [];
    const trace = new BuildTrace({ line: (text) => lines.push(text) });
    trace.update(status({ vertexes: [{ digest: 'x', name: '[1/2] RUN sleep 9', cached: false, started: T, completed: T + 5, error: 'context canceled' }] }));
    expect(lines.at(-1)).toBe('#1 CANCELED');
    expect(trace.failure()).toBeUndefined();
  });

  test('sizes must read like BuildKit\'s', () => {
    expect([byteSize(134), byteSize(2048), byteSize(1_200_000)]).toEqual(['134B', '2.05kB', '1.20MB']);
  });
});
