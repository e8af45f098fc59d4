import { toComposeYaml } from '../../../../src/model/render/compose-yaml.js';
import { goScalarStyle } from '../../../../src/model/render/go-yaml-style.js';
import { projectFrom } from '../support.js';

describe('config --format yaml', () => {
  test('the document must be laid out like Compose: name, services, then resources, x-* last', () => {
    expect(toComposeYaml(projectFrom('x-top: 1\nservices:\n  s: {image: x, ports: ["80:80"]}\n'))).toBe(
      [
        'name: demo',
        'services:',
        '  s:',
        '    image: x',
        '    networks:',
        '      default: null',
        '    ports:',
        '      - mode: ingress',
        '        target: 80',
        '        published: "80"',
        '        protocol: tcp',
        'networks:',
        '  default:',
        '    name: demo_default',
        'x-top: 1',
        '',
      ].join('\n'),
    );
  });

  test('x-* keys must be kept inside services and resources', () => {
    const text = toComposeYaml(projectFrom('services:\n  s: {image: x, x-owner: team}\n'));
    expect(text).toContain('    x-owner: team\n');
  });

  test('empty value structs must be left out and an empty deploy printed as {}', () => {
    const text = toComposeYaml(projectFrom('services:\n  s: {image: x, deploy: {}}\n'));
    expect(text).toContain('    deploy: {}\n');
    expect(text).not.toContain('ipam');
  });
});

describe('Go yaml.v3 scalar styles', () => {
  test('text that reads back as another type must be double-quoted', () => {
    for (const text of ['1', '1.5', '1e3', '0x1F', 'true', 'yes', 'n', 'off', 'null', '~', '', '22:22', '2024-01-01', '+1', '1_000']) {
      expect([text, goScalarStyle(text)]).toEqual([text, 'QUOTE_DOUBLE']);
    }
  });

  test('text that cannot be plain must be single-quoted', () => {
    for (const text of ['*.log', '{{.Name}}', '  padded', 'a: b', 'a #b', '- x', '&a', '!t', '%x', "'q'", '[a]', '...']) {
      expect([text, goScalarStyle(text)]).toEqual([text, 'QUOTE_SINGLE']);
    }
  });

  test('ordinary text must be plain', () => {
    for (const text of ['busybox', '0-1', '1000:1000', '02:42:ac:11:00:02', 'a,b', '/a:/b', 'héllo', '10.0.0.1']) {
      expect([text, goScalarStyle(text)]).toEqual([text, 'PLAIN']);
    }
  });

  test('multi-line text must be a literal block unless a space ends a line', () => {
    expect(goScalarStyle('a\nb')).toBe('BLOCK_LITERAL');
    expect(goScalarStyle('a\tb\nc')).toBe('BLOCK_LITERAL');
    expect(goScalarStyle('x \ny')).toBe('QUOTE_DOUBLE');
  });

  test('tabs in one-line text must be double-quoted', () => {
    expect(goScalarStyle('a\tb')).toBe('QUOTE_DOUBLE');
  });
});
