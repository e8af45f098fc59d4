import { serviceFrom } from './support.js';

const dependsOn = (value: string) =>
  serviceFrom(`services:\n  s:\n    image: x\n    depends_on: ${value}\n  db:\n    image: x\n  cache:\n    image: x\n`, 's').depends_on;

describe('depends_on', () => {
  test('the list form must mean started and required', () => {
    expect(dependsOn('[db]')).toEqual({ db: { condition: 'service_started', required: true } });
  });

  test('the long form must default required to true and keep restart only when true', () => {
    expect(dependsOn('{db: {condition: service_healthy, restart: true}, cache: {condition: service_started, restart: false}}')).toEqual({
      cache: { condition: 'service_started', required: true },
      db: { condition: 'service_healthy', required: true, restart: true },
    });
  });

  test('required: false must be kept', () => {
    expect(dependsOn('{cache: {condition: service_started, required: false}}')).toEqual({
      cache: { condition: 'service_started', required: false },
    });
  });
});
