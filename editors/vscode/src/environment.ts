/** The server's environment: the user's, plus the key from SecretStorage (never from settings). */
export const KEY_VARIABLE = "ANTHROPIC_API_KEY";

export function serverEnvironment(
  base: NodeJS.ProcessEnv,
  apiKey: string | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  if (apiKey) env[KEY_VARIABLE] = apiKey;
  return env;
}

/** Replace the key wherever it appears, so no log or message can show it. */
export function scrub(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join("[api key]") : text;
}
