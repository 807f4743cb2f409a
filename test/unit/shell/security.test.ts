import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);

import { electron, resetElectron, FakeEvent, FakeWebContents } from '../../stubs/electron-double.ts';
import {
  createUrlPolicy, hardenAllWebContents, hardenSession, hardenWebContents, isAppUrl, isSafeExternalUrl,
} from '../../../main/shell/security.ts';
import type { App, Session, WebContents } from 'electron';

beforeEach(() => resetElectron());

describe('isAppUrl', () => {
  it('accepts the app bundle', () => {
    expect(isAppUrl('app://bundle/index.html')).toBe(true);
    expect(isAppUrl('app://bundle/assets/x.js?v=1#top')).toBe(true);
    expect(isAppUrl('APP://bundle/index.html')).toBe(true); // the scheme is case-insensitive
  });
  it('refuses other hosts, schemes, look-alikes and credentials', () => {
    for (const url of [
      'app://evil/index.html',
      'app://bundle.evil.com/index.html',
      'app://bundle:8080/index.html',
      'app://evil@bundle/index.html',
      'app://bundle@evil/index.html',
      'https://bundle/index.html',
      'file:///app/bundle/index.html',
      'http://localhost:5173/',
      'javascript:alert(1)//app://bundle',
      'app:bundle/index.html',
      'app:///bundle/index.html',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
  it("does not rely on URL.origin, which is 'null' for app:// in Node", () => {
    expect(new URL('app://evil/').origin).toBe(new URL('app://bundle/').origin); // both 'null'
    expect(isAppUrl('app://evil/')).toBe(false);
  });
});

describe('createUrlPolicy', () => {
  it('without a dev server trusts only app://bundle', () => {
    const trusted = createUrlPolicy(undefined);
    expect(trusted('app://bundle/index.html')).toBe(true);
    expect(trusted('http://localhost:5173/')).toBe(false);
  });
  it('in development also trusts the exact dev server origin, nothing else', () => {
    const trusted = createUrlPolicy('http://localhost:5173/');
    expect(trusted('http://localhost:5173/')).toBe(true);
    expect(trusted('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(trusted('app://bundle/index.html')).toBe(true);
    expect(trusted('http://localhost:5174/')).toBe(false);
    expect(trusted('https://localhost:5173/')).toBe(false);
    expect(trusted('http://127.0.0.1:5173/')).toBe(false);
    expect(trusted('http://user@localhost:5173/')).toBe(false);
  });
  it('refuses a dev server that is not http on loopback', () => {
    expect(() => createUrlPolicy('https://evil.example/')).toThrow();
    expect(() => createUrlPolicy('http://192.168.1.4:5173/')).toThrow();
  });
});

describe('isSafeExternalUrl', () => {
  it('allows https links only', () => {
    expect(isSafeExternalUrl('https://docs.orgdesk.example/help?x=1')).toBe(true);
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://bundle/index.html',
      'https://user:pass@example.com/',
      'data:text/html,<script>alert(1)</script>',
      'https//example.com',
      '',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});

describe('hardenSession', () => {
  const request = (ses: unknown, permission: string, details: object) => {
    const answers: boolean[] = [];
    ((ses as { permissionRequestHandler: (...a: unknown[]) => void }).permissionRequestHandler)({}, permission, (granted: boolean) => answers.push(granted), details);
    return answers;
  };
  const check = (ses: unknown, permission: string, origin: string, details: object) =>
    ((ses as { permissionCheckHandler: (...a: unknown[]) => boolean }).permissionCheckHandler)({}, permission, origin, details);

  it('denies every permission request and check but the clipboard', () => {
    const ses = electron.session.defaultSession;
    hardenSession(ses as unknown as Session);
    const app = { isMainFrame: true, requestingUrl: 'app://bundle/index.html' };
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-write', 'openExternal', 'hid', 'fullscreen']) {
      expect(request(ses, permission, app), permission).toEqual([false]);
      expect(check(ses, permission, 'app://bundle', app), permission).toBe(false);
    }
    expect((ses.devicePermissionHandler as unknown as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
  });

  it('grants clipboard write and read to the console page only, in its top frame', () => {
    const ses = electron.session.defaultSession;
    hardenSession(ses as unknown as Session);
    for (const permission of ['clipboard-sanitized-write', 'clipboard-read']) {
      expect(request(ses, permission, { isMainFrame: true, requestingUrl: 'app://bundle/index.html' }), permission).toEqual([true]);
      expect(check(ses, permission, 'app://bundle', { isMainFrame: true, requestingUrl: 'app://bundle/index.html' }), permission).toBe(true);
      expect(request(ses, permission, { isMainFrame: false, requestingUrl: 'app://bundle/index.html' }), permission).toEqual([false]);
      expect(request(ses, permission, { isMainFrame: true, requestingUrl: 'https://evil.example/' }), permission).toEqual([false]);
      expect(request(ses, permission, { isMainFrame: true, requestingUrl: 'app://other/index.html' }), permission).toEqual([false]);
      expect(check(ses, permission, 'https://evil.example', { isMainFrame: true }), permission).toBe(false);
      expect(request(ses, permission, { isMainFrame: true }), permission).toEqual([false]);
    }
  });
});

describe('hardenWebContents', () => {
  function setUp(policy = isAppUrl) {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    hardenWebContents(contents as unknown as WebContents, policy, async (url) => {
      opened.push(url);
    });
    return { contents, opened };
  }
  const navigate = (contents: FakeWebContents, kind: 'will-navigate' | 'will-redirect', url: string) => {
    const event = new FakeEvent({ url });
    contents.emit(kind, event, url);
    return event.defaultPrevented;
  };

  it('prevents navigation and redirects to any other origin', () => {
    const { contents } = setUp();
    for (const kind of ['will-navigate', 'will-redirect'] as const) {
      expect(navigate(contents, kind, 'https://evil.example/'), kind).toBe(true);
      expect(navigate(contents, kind, 'file:///etc/passwd'), kind).toBe(true);
      expect(navigate(contents, kind, 'app://other/index.html'), kind).toBe(true);
      expect(navigate(contents, kind, 'http://localhost:5173/'), kind).toBe(true);
    }
  });
  it('allows navigation within app://bundle', () => {
    const { contents } = setUp();
    expect(navigate(contents, 'will-navigate', 'app://bundle/index.html')).toBe(false);
    expect(navigate(contents, 'will-redirect', 'app://bundle/index.html#/orgs')).toBe(false);
  });
  it('allows the dev server only when the dev policy is used', () => {
    const { contents } = setUp(createUrlPolicy('http://localhost:5173'));
    expect(navigate(contents, 'will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(navigate(contents, 'will-navigate', 'http://localhost:8080/')).toBe(true);
  });
  it('prevents <webview> attachment', () => {
    const { contents } = setUp();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
  it('denies every window.open; https links open in the default browser, nothing else does', async () => {
    const { contents, opened } = setUp();
    const handler = contents.windowOpenHandler!;
    for (const url of ['https://docs.orgdesk.example/', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://bundle/index.html', 'smb://x/y']) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(opened).toEqual(['https://docs.orgdesk.example/']);
  });
});

describe('hardenAllWebContents', () => {
  it('applies the rules to every web contents the app creates', () => {
    hardenAllWebContents(electron.app as unknown as App, isAppUrl, async () => undefined);
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', new FakeEvent(), contents);
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-redirect')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });
});
