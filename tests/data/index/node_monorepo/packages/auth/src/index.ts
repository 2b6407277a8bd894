import { createHmac } from 'node:crypto';

export interface Claims {
  sub: string;
  role: 'admin' | 'member';
}

export function verifyToken(header: string): Claims {
  const [payload, signature] = header.replace(/^Bearer /, '').split('.');
  const expected = createHmac('sha256', process.env.JWT_SECRET ?? '').update(payload).digest('hex');
  if (signature !== expected) {
    throw new Error('invalid token');
  }
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
}
