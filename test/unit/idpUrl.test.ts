import { describe, expect, it } from 'vitest';
import { ProfileValues } from '../../src/config/profileValues.js';
import { isFedloginError } from '../../src/core/errors.js';
import { idpTransport } from '../../src/core/idpUrl.js';
import { parseIssuerUrl } from '../../src/flows/oidc/issuerUrl.js';
import { resolveSamlSettings } from '../../src/flows/saml/resolveSettings.js';
import { parseSsoUrl } from '../../src/flows/saml/ssoUrl.js';

/** Issue 14 item 9: one rule (https anywhere, http only on loopback) for every IdP URL. */

const profile = (values: Record<string, string>) =>
  new ProfileValues({ name: 'corp', file: '/h/.aws/config', section: 'profile corp', values });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isFedloginError(error) ? error.code : 'not a FedloginError';
  }
};

describe('idpTransport', () => {
  it.each([
    ['https://idp.example.com/sso', 'https'],
    ['http://127.0.0.1:8080/sso', 'loopback-http'],
    ['http://127.255.1.2/', 'loopback-http'],
    ['http://[::1]:9/', 'loopback-http'],
    ['http://localhost/', 'loopback-http'],
    ['http://example.com/sso', 'insecure-http'],
    ['http://127.0.0.1.example.com/', 'insecure-http'],
    ['http://10.0.0.1/', 'insecure-http'],
    ['ftp://idp.example.com/', 'other'],
  ])('%s is %s', (url, transport) => {
    expect(idpTransport(new URL(url))).toBe(transport);
  });
});

describe('every IdP URL follows it', () => {
  it('saml: the flag, the profile key, configure/doctor (parseSsoUrl) and OIDC (parseIssuerUrl) refuse http off loopback', () => {
    expect(codeOf(() => resolveSamlSettings({ idpUrl: 'http://example.com/sso' }, undefined))).toBe('IDP_URL_INSECURE');
    expect(codeOf(() => resolveSamlSettings({}, profile({ fedlogin_idp_url: 'http://example.com/sso' })))).toBe(
      'PROFILE_INVALID',
    );
    expect(codeOf(() => parseSsoUrl('http://example.com/sso', '--idp-url'))).toBe('IDP_URL_INSECURE');
    expect(codeOf(() => parseIssuerUrl('http://example.com'))).toBe('ISSUER_INSECURE');
  });

  it('the words are the same wherever it is refused', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    expect(message(() => resolveSamlSettings({}, profile({ fedlogin_idp_url: 'http://example.com/sso' })))).toBe(
      '/h/.aws/config [profile corp] fedlogin_idp_url: fedlogin_idp_url http://example.com/sso uses http:// on a host that is not loopback; the sign-in (passwords, tokens, SAML assertions) would travel unencrypted and could be changed on the way.',
    );
    expect(message(() => parseIssuerUrl('http://example.com', '--issuer'))).toMatch(
      /^--issuer http:\/\/example\.com uses http:\/\/ on a host that is not loopback;/,
    );
  });

  it('loopback http and https are accepted; an unused profile URL does not block --assertion-file', () => {
    expect(resolveSamlSettings({ idpUrl: 'http://127.0.0.1:8080/sso' }, undefined).idpUrl).toBe(
      'http://127.0.0.1:8080/sso',
    );
    expect(resolveSamlSettings({ idpUrl: 'https://idp.example.com/sso' }, undefined).idpUrl).toBe(
      'https://idp.example.com/sso',
    );
    expect(
      codeOf(() =>
        resolveSamlSettings({ assertionFile: 'f' }, profile({ fedlogin_idp_url: 'http://example.com/sso' })),
      ),
    ).toBeUndefined();
    // a URL typed with --assertion-file is still checked: it was typed
    expect(codeOf(() => resolveSamlSettings({ assertionFile: 'f', idpUrl: 'http://example.com/sso' }, undefined))).toBe(
      'IDP_URL_INSECURE',
    );
  });
});
