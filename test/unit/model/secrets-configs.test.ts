import { projectFrom, WORKING_DIR } from './support.js';

const project = projectFrom(`
services:
  s:
    image: x
    secrets: [token, {source: cert, target: server.crt, uid: "1000", mode: 0440}]
    configs: [app, {source: inline, target: /etc/inline.conf}]
secrets:
  token: {file: ./token.txt}
  cert: {environment: CERT}
configs:
  app: {file: /etc/app.conf}
  inline: {content: "key=value"}
`);

describe('secrets and configs', () => {
  test('a short secret must get the default target /run/secrets/<name>', () => {
    expect(project.services.s.secrets?.[0]).toEqual({ source: 'token', target: '/run/secrets/token' });
  });

  test('a long secret must keep its target as written and its mode as a number', () => {
    expect(project.services.s.secrets?.[1]).toEqual({ source: 'cert', target: 'server.crt', uid: '1000', mode: 0o440 });
  });

  test('a short config must keep no target, as Compose prints it', () => {
    expect(project.services.s.configs).toEqual([{ source: 'app' }, { source: 'inline', target: '/etc/inline.conf' }]);
  });

  test('top-level file sources must become absolute', () => {
    expect(project.secrets.token).toEqual({ name: 'demo_token', file: `${WORKING_DIR}/token.txt` });
    expect(project.configs.app.file).toBe('/etc/app.conf');
  });

  test('environment and content sources must be kept', () => {
    expect(project.secrets.cert).toEqual({ name: 'demo_cert', environment: 'CERT' });
    expect(project.configs.inline).toEqual({ name: 'demo_inline', content: 'key=value' });
  });
});
