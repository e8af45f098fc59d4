// The tests talk to the services through the published port, as they would to any server.
test('web must answer with the record db keeps', async () => {
  const response = await fetch(`${process.env.WEB_URL}/cgi-bin/answer`);
  expect(response.status).toBe(200);
  expect((await response.text()).trim()).toBe('42');
});
