/**
 * `ps --format` templates as Compose users write them. Each expected text is what
 * `docker compose ps --format ...` (2.26.1) printed for the same two containers: db without
 * published ports, web publishing 8080 on 0.0.0.0 and :: (port 32768).
 */
import type { ContainerSummary } from '../../../src/apply/engine.js';
import { GoTemplate, TemplateError } from '../../../src/commands/output/go-template.js';
import { sprintf } from '../../../src/commands/output/go-template-functions.js';
import { GoMap, GoStruct, NIL_SLICE, printValue } from '../../../src/commands/output/go-values.js';
import { psJsonLine, toPsEntry } from '../../../src/commands/output/ps-rows.js';
import { renderPsTemplate } from '../../../src/commands/output/ps-template.js';
import { alignTabs } from '../../../src/commands/output/table.js';

const CREATED = Date.parse('2026-06-15T12:00:00Z') / 1000;
const NOW = CREATED * 1000 + 5_000;

function summary(service: string, ports: ContainerSummary['ports']): ContainerSummary {
  return {
    id: `${service === 'db' ? 'a' : 'b'}`.repeat(64),
    name: `ux-try-${service}-1`,
    image: 'tscompose-test/busybox:latest',
    imageId: 'sha256:c2f29c5ec1d9',
    command: "sh -c 'sleep 3600'",
    status: 'running',
    statusText: 'Up 2 seconds',
    labels: { 'com.docker.compose.project': 'ux-try', 'com.docker.compose.service': service },
    created: CREATED,
    networks: ['ux-try_default'],
    networkMode: 'ux-try_default',
    mounts: [],
    ports,
  };
}

const containers = [
  summary('db', []),
  summary('web', [
    { privatePort: 8080, publicPort: 32768, hostIp: '0.0.0.0', protocol: 'tcp' },
    { privatePort: 8080, publicPort: 32768, hostIp: '::', protocol: 'tcp' },
  ]),
].map((container) => ({ entry: toPsEntry(container, { health: '', exitCode: 0 }, { now: NOW }), labels: container.labels }));

function ps(format: string): string {
  return renderPsTemplate(format, containers);
}

describe('ps --format: what Compose prints', () => {
  test.each([
    ['{{.Name}} {{if .Publishers}}{{range .Publishers}}{{.PublishedPort}}/{{.Protocol}} {{end}}{{end}}', 'ux-try-db-1 \nux-try-web-1 32768/tcp 32768/tcp \n'],
    ['{{upper .Service}}', 'DB\nWEB\n'],
    ['{{.Label "com.docker.compose.service"}}', 'db\nweb\n'],
    ['{{.Label "not.there"}}', '\n\n'],
    ['{{.Publishers}}', '[]\n[{0.0.0.0 8080 32768 tcp} {:: 8080 32768 tcp}]\n'],
    ['{{lower .Name | upper}}', 'UX-TRY-DB-1\nUX-TRY-WEB-1\n'],
    ['{{printf "%s-x" .Name}}', 'ux-try-db-1-x\nux-try-web-1-x\n'],
    ['{{len .Publishers}}', '0\n2\n'],
    ['{{range $i, $p := .Publishers}}{{$i}}={{$p.URL}} {{end}}', '\n0=0.0.0.0 1=:: \n'],
    ['{{with .Publishers}}{{len .}}{{else}}none{{end}}', 'none\n2\n'],
    ['{{.Name}}{{/* c */}}-{{- " x" -}} y', 'ux-try-db-1- xy\nux-try-web-1- xy\n'],
    ['{{printf "%-15s|%5d|%v|%q" .Name .ExitCode .Publishers .State}}', 'ux-try-db-1    |    0|[]|"running"\nux-try-web-1   |    0|[{0.0.0.0 8080 32768 tcp} {:: 8080 32768 tcp}]|"running"\n'],
    ['{{split .Networks "_"}}', '[ux-try default]\n[ux-try default]\n'],
    ['{{join (split .Networks "_") "+"}}', 'ux-try+default\nux-try+default\n'],
    ['{{title .State}}{{pad .Service 2 3}}|{{truncate .Name 4}}', 'Running  db   |ux-t\nRunning  web   |ux-t\n'],
    ['{{.State | eq "running"}} {{eq .State "running" "exited"}} {{not .Health}} {{and .Name .Health}} {{or .Health "x"}}', 'true true true  x\ntrue true true  x\n'],
    ['{{len .Name}} {{lt 1 2}} {{1.5}} {{print 1 2 "a" "b" 3}}', '11 true 1.5 1 2ab3\n12 true 1.5 1 2ab3\n'],
    ['{{println .Name}}', 'ux-try-db-1\n\nux-try-web-1\n\n'],
    ['{{$x := .Name}}{{$x}}', 'ux-try-db-1\nux-try-web-1\n'],
    ['{{.Publishers | json}}', 'null\n[{"URL":"0.0.0.0","TargetPort":8080,"PublishedPort":32768,"Protocol":"tcp"},{"URL":"::","TargetPort":8080,"PublishedPort":32768,"Protocol":"tcp"}]\n'],
    ['plain text', 'plain text\nplain text\n'],
  ])('%s must print what Compose prints', (format, expected) => {
    expect(ps(format)).toBe(expected);
  });

  test('{{json .}} must be the --format json line', () => {
    expect(ps('{{json .}}')).toBe(containers.map(({ entry }) => `${psJsonLine(entry)}\n`).join(''));
  });

  test('table must print a header of column names and align the cells', () => {
    expect(ps('table {{.Name}}\\t{{.Status}}')).toBe(
      ['NAME           STATUS', 'ux-try-db-1    Up 2 seconds', 'ux-try-web-1   Up 2 seconds', ''].join('\n'),
    );
  });

  test('a table header must run the template on the names: formatting functions keep them, other fields have no value', () => {
    expect(ps('table {{json .Name}}\\t{{upper .Service}}\\t{{.Name | printf "%.3s"}}\\t{{if .Publishers}}yes{{end}}')).toBe(
      ['NAME             SERVICE   NAM       ', '"ux-try-db-1"    DB        ux-       ', '"ux-try-web-1"   WEB       ux-       yes', ''].join('\n'),
    );
    expect(ps('table {{.ID}}\\t{{.Health}}\\t{{.Label "com.docker.compose.project"}}\\t{{.Label "a_b-c.d-e"}}\\tX').split('\n')[0]).toBe(
      'CONTAINER ID   <no value>   project   d e       X',
    );
  });

  test('a header the names cannot fill must stop where it failed, as the Docker CLI does', () => {
    expect(ps('table {{json .}}').split('\n')[0]).toBe('');
  });
});

describe('ps --format: templates that cannot run are errors, never printed as they are', () => {
  test.each([
    ['{{.Nope}}', /can't evaluate field Nope in type \*formatter\.ContainerContext/],
    ['{{.Name', /unclosed action/],
    ['{{nofunc .Name}}', /function "nofunc" not defined/],
    ['{{if}}x{{end}}', /missing value for if/],
    ['{{if .Name}}x', /has no \{\{end\}\}/],
    ['x{{end}}', /unexpected \{\{end\}\}/],
    ['{{.Label}}', /wrong number of args for Label: want 1 got 0/],
    ['{{index .Publishers 0}}', /error calling index: index out of range: 0/],
    ['{{.Name.Foo}}', /can't evaluate field Foo in type string/],
    ['{{template "x"}}', /not supported/],
    ['{{$nope}}', /undefined variable: \$nope/],
    ['{{upper 3}}', /expected string; got int/],
    ['{{"unterminated}}', /unterminated quoted string/],
  ])('%s must be refused', (format, message) => {
    expect(() => ps(format)).toThrow(message);
  });

  test('the error must name the template and where it failed', () => {
    expect(() => ps('{{.Name}} {{.Nope}}')).toThrow('invalid --format template "{{.Name}} {{.Nope}}": executing at <.Nope>');
  });
});

describe('the template engine', () => {
  const run = (source: string, value: unknown = null) => new GoTemplate(source).execute(value as never);

  test('else if, nested ranges over maps in key order, and variables scoped to their block', () => {
    const value = new GoMap(new Map<string, never>([['b', 2 as never], ['a', 1 as never]]));
    expect(run('{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', value)).toBe('a=1;b=2;');
    expect(run('{{if eq . 1}}one{{else if eq . 2}}two{{else}}many{{end}}', 2)).toBe('two');
    expect(run('{{if eq . 1}}one{{else if eq . 2}}two{{else}}many{{end}}', 3)).toBe('many');
    expect(() => run('{{if true}}{{$x := 1}}{{end}}{{$x}}')).toThrow(TemplateError);
    expect(run('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}')).toBe('2');
  });

  test('values must print as Go prints them', () => {
    expect(printValue(new GoStruct('T', { a: 'x', b: 1, c: [true, null] }))).toBe('{x 1 [true <nil>]}');
    expect(printValue(new GoMap(new Map([['z', 'last'], ['a', 'first']])))).toBe('map[a:first z:last]');
    expect(printValue(NIL_SLICE)).toBe('[]');
    expect(printValue(undefined)).toBe('<no value>');
  });

  test('printf must follow fmt for widths, precision, signs and missing or extra operands', () => {
    expect(sprintf('%05d|%-4s|%4s|%.2f|%x|%t|%%', [42, 'ab', 'ab', 3.14159, 255, true])).toBe('00042|ab  |  ab|3.14|ff|true|%');
    expect(sprintf('%d %d', [1])).toBe('1 %!d(MISSING)');
    expect(sprintf('%s', ['a', 2])).toBe('a%!(EXTRA int=2)');
    expect(sprintf('%d', ['x'])).toBe('%!d(string=x)');
  });

  test('strings must take Go escapes, raw strings none, and numbers Go\'s forms', () => {
    expect(run('{{"a\\tb\\x41\\u00e9"}}|{{`a\\tb`}}|{{0x1f}}|{{1e3}}|{{\'a\'}}')).toBe('a\tbAé|a\\tb|31|1000|97');
  });

  test('trim markers must remove the white space beside them only', () => {
    expect(run('a  {{- "b" -}}  c {{"d"}} e')).toBe('abc d e');
    expect(run('{{-3}}')).toBe('-3');
  });
});

describe('alignTabs', () => {
  test('a column must end where a line lacks it, as in Go\'s tabwriter', () => {
    expect(alignTabs('a\tb\tc\nlonger\tx\n\nq\tr\n', { minWidth: 0, padding: 1 })).toBe('a      b c\nlonger x\n\nq r\n');
  });
});
