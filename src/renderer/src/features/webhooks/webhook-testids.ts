/**
 * `data-testid`s of the Webhooks view (navigation tab: nav-webhooks). Change them only together
 * with test/integration/e2e/webhooks.test.ts.
 */
export const wtid = {
  mode: (m: 'send' | 'verify') => `webhook-mode-${m}`,
  provider: 'webhook-provider',
  url: 'webhook-url',
  token: 'webhook-token',
  kind: 'webhook-kind',
  method: 'webhook-method',
  params: 'webhook-params',
  tamper: 'webhook-tamper',
  send: 'webhook-send',
  headers: 'webhook-headers',
  body: 'webhook-body',
  source: 'webhook-source',
  allowFrom: 'webhook-allow-from',
  verify: 'webhook-verify',
  error: 'webhook-error',
  request: 'webhook-request',
  response: 'webhook-response',
  instructions: 'webhook-instructions',
  verdict: 'webhook-verdict',
  tried: 'webhook-tried',
};
