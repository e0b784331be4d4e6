// Flags: Bitnami's names and defaults (so its manifests keep working), Go-style values.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOptions, UsageError } from '../src/flags.js';
import { parseGoDuration } from '../src/go-duration.js';
import { parseListenAddress } from '../src/http/listen.js';
import { textLine } from '../src/logger.js';

const parse = (...args: string[]) => parseOptions(args, '1.2.3');
const HOUR = 3_600_000;

afterEach(() => vi.unstubAllEnvs());

describe('flags', () => {
  it("defaults to the Bitnami controller's settings", () => {
    vi.stubEnv('POD_NAMESPACE', '');
    const o = parse();
    expect(o).toMatchObject({
      namespace: 'kube-system',
      keyPrefix: 'sealed-secrets-key',
      keySize: 4096,
      keyTtlMs: 87_600 * HOUR,
      myCn: '',
      keyRenewPeriodMs: 720 * HOUR,
      keyOrderPriority: 'CertNotBefore',
      acceptDeprecatedV1Data: true,
      allNamespaces: true,
      additionalNamespaces: [],
      rateLimit: 2,
      rateLimitBurst: 2,
      updateStatus: true,
      watchForSecrets: false,
      skipRecreate: false,
      maxUnsealRetries: 5,
      listenAddr: ':8080',
      listenMetricsAddr: ':8081',
      logFormat: 'text',
      logLevel: 'info',
    });
  });

  it('takes booleans bare, as =true/=false, and as Go spells them', () => {
    expect(parse('--watch-for-secrets').watchForSecrets).toBe(true);
    expect(parse('--update-status=false').updateStatus).toBe(false);
    expect(parse('--all-namespaces', 'F').allNamespaces).toBe(false);
    expect(() => parse('--update-status=maybe')).toThrow();
  });

  it('reads SEALED_SECRETS_<FLAG> from the environment, as Bitnami does', () => {
    vi.stubEnv('SEALED_SECRETS_KEY_PREFIX', 'my-keys');
    vi.stubEnv('SEALED_SECRETS_KEY_RENEW_PERIOD', '0');
    expect(parse()).toMatchObject({ keyPrefix: 'my-keys', keyRenewPeriodMs: 0 });
    expect(parse('--key-prefix', 'flag-wins').keyPrefix).toBe('flag-wins');
  });

  it('takes the deprecated --rotate-period for --key-renew-period', () => {
    expect(parse('--rotate-period', '24h').keyRenewPeriodMs).toBe(24 * HOUR);
  });

  it('parses lists, key=value pairs and the cutoff time', () => {
    const o = parse(
      '--additional-namespaces',
      'a, b,a',
      '--privatekey-labels',
      'team=sec,tier=gold',
      '--key-cutoff-time',
      'Mon, 02 Jan 2006 15:04:05 -0700',
      '--log-level',
      'ERROR',
    );
    expect(o.additionalNamespaces).toEqual(['a', 'b']);
    expect(o.privateKeyLabels).toEqual({ team: 'sec', tier: 'gold' });
    expect(o.keyCutoffTime?.toISOString()).toBe('2006-01-02T22:04:05.000Z');
    expect(o.logLevel).toBe('error');
    expect(() => parse('--key-cutoff-time', '2006-01-02')).toThrow();
    expect(() => parse('--privatekey-labels', 'novalue')).toThrow();
  });

  it('refuses combinations that cannot work, in one sentence', () => {
    expect(() => parse('--key-prefix', 'Not_A_Name')).toThrow(UsageError);
    expect(() => parse('--workers', '0')).toThrow(/--workers must be at least 1\./);
    expect(() => parse('--leader-elect-renew-deadline', '20s')).toThrow(/retry-period < .*renew-deadline < .*lease-duration/);
    expect(() => parse('--leader-elect=false', '--leader-elect-renew-deadline', '20s')).not.toThrow();
  });
});

describe('parseGoDuration', () => {
  it('reads what Go writes', () => {
    expect(parseGoDuration('720h')).toBe(720 * HOUR);
    expect(parseGoDuration('1h30m')).toBe(1.5 * HOUR);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('87600h0m0s')).toBe(87_600 * HOUR);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('-2m')).toBe(-120_000);
  });

  it('refuses what Go refuses', () => {
    for (const bad of ['', '10', 'h', '1d', '5 s', '1h junk']) expect(() => parseGoDuration(bad), bad).toThrow(/is not a duration/);
  });
});

describe('parseListenAddress', () => {
  it('reads Go listen addresses', () => {
    expect(parseListenAddress(':8080')).toEqual({ host: undefined, port: 8080 });
    expect(parseListenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseListenAddress('8080')).toThrow(/not a listen address/);
    expect(() => parseListenAddress(':70000')).toThrow(/not a listen address/);
  });
});

describe('text log lines', () => {
  it('look like Go slog text, quoting what needs it', () => {
    expect(
      textLine({ time: 't', level: 'INFO', msg: 'Loaded a key.', secret: 'sealed-secrets-keyabc', newest: true, error: 'two words' }),
    ).toBe('time=t level=INFO msg="Loaded a key." secret=sealed-secrets-keyabc newest=true error="two words"\n');
  });
});
