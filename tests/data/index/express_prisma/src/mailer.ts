export function sendWelcome(address: string): string {
  return `Welcome, ${address}`;
}
