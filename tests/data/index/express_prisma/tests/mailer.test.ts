import { sendWelcome } from '../src/mailer';

test('welcome text names the address', () => {
  expect(sendWelcome('a@example.com')).toContain('a@example.com');
});
