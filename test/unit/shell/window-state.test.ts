import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_STATE, MIN_HEIGHT, MIN_WIDTH, clampToDisplays, loadWindowState, parseWindowState, saveWindowState, trackWindowState,
  windowStateFile, type Rect, type WindowState,
} from '../../../main/shell/window-state.ts';
import { FakeBrowserWindow, resetElectron } from '../../stubs/electron-double.ts';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 860 };
const rightMonitor: Rect = { x: 1440, y: 0, width: 2560, height: 1400 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orgdesk-winstate-'));
  resetElectron();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const inside = (s: WindowState, a: Rect) =>
  s.x! >= a.x && s.y! >= a.y && s.x! + s.width <= a.x + a.width && s.y! + s.height <= a.y + a.height;

describe('window state file', () => {
  it('round-trips bounds and maximized through window-state.json in userData', () => {
    const file = windowStateFile(dir);
    expect(file).toBe(join(dir, 'window-state.json'));
    saveWindowState(file, { x: 100, y: 80, width: 1200, height: 700, maximized: true });
    expect(existsSync(`${file}.tmp`)).toBe(false);
    expect(loadWindowState(file, [laptop])).toEqual({ x: 100, y: 80, width: 1200, height: 700, maximized: true });
  });

  it('uses centred defaults on first run and when the file is garbage', () => {
    const file = windowStateFile(dir);
    const first = loadWindowState(file, [laptop]);
    expect(first).toMatchObject({ width: DEFAULT_STATE.width, height: DEFAULT_STATE.height, maximized: false });
    expect(inside(first, laptop)).toBe(true);
    for (const junk of ['{', 'null', '[]', '{"width":"big","height":1}', '{"width":-5,"height":600}', '{"width":1e9,"height":600}']) {
      writeFileSync(file, junk);
      expect(loadWindowState(file, [laptop]).width, junk).toBe(DEFAULT_STATE.width);
    }
  });

  it('parses only integers and keeps position only when both x and y are present', () => {
    expect(parseWindowState('{"width":1000,"height":700,"x":5}')).toEqual({ width: 1000, height: 700, maximized: false });
    expect(parseWindowState('{"width":1000.5,"height":700}')).toBeNull();
    expect(parseWindowState('{"width":1000,"height":700,"x":1,"y":2,"maximized":"yes"}')).toEqual({ x: 1, y: 2, width: 1000, height: 700, maximized: false });
  });
});

describe('clampToDisplays', () => {
  it('keeps a window that is on a connected display where it was', () => {
    const s = clampToDisplays({ x: 1600, y: 100, width: 1400, height: 900, maximized: false }, [laptop, rightMonitor]);
    expect(s).toEqual({ x: 1600, y: 100, width: 1400, height: 900, maximized: false });
  });

  it('brings a window from a disconnected monitor back onto the primary display', () => {
    const s = clampToDisplays({ x: 1600, y: 100, width: 1400, height: 900, maximized: true }, [laptop]);
    expect(inside(s, laptop)).toBe(true);
    expect(s.width).toBeLessThanOrEqual(laptop.width);
    expect(s.height).toBeLessThanOrEqual(laptop.height);
    expect(s.maximized).toBe(true);
  });

  it('pulls a window hanging off the edge fully inside the display it mostly covers', () => {
    const s = clampToDisplays({ x: 1300, y: -50, width: 1000, height: 700, maximized: false }, [laptop, rightMonitor]);
    expect(inside(s, rightMonitor)).toBe(true);
    expect(s).toMatchObject({ x: 1440, y: 0, width: 1000, height: 700 });
  });

  it('shrinks a window larger than the display and respects the minimum size when it fits', () => {
    const small: Rect = { x: 0, y: 0, width: 1024, height: 700 };
    const s = clampToDisplays({ x: 0, y: 0, width: 3000, height: 2000, maximized: false }, [small]);
    expect(s).toEqual({ x: 0, y: 0, width: 1024, height: 700, maximized: false });
    const tiny = clampToDisplays({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [laptop]);
    expect(tiny.width).toBe(MIN_WIDTH);
    expect(tiny.height).toBe(MIN_HEIGHT);
    expect(inside(tiny, laptop)).toBe(true);
  });

  it('handles displays at negative coordinates (monitor left of the primary)', () => {
    const left: Rect = { x: -1920, y: 0, width: 1920, height: 1040 };
    const s = clampToDisplays({ x: -1800, y: 50, width: 1200, height: 800, maximized: false }, [laptop, left]);
    expect(s).toEqual({ x: -1800, y: 50, width: 1200, height: 800, maximized: false });
  });
});

describe('trackWindowState', () => {
  it("saves the normal bounds and maximized flag on 'close'", () => {
    const win = new FakeBrowserWindow({ x: 20, y: 30, width: 1100, height: 750 });
    win.maximize();
    const file = windowStateFile(dir);
    trackWindowState(win, file);
    expect(existsSync(file)).toBe(false);
    win.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 20, y: 30, width: 1100, height: 750, maximized: true });
  });

  it('does not throw out of close when saving fails', () => {
    const win = new FakeBrowserWindow({ width: 1100, height: 750 });
    trackWindowState(win, join(dir, 'no', 'such', 'dir', 'state.json'));
    expect(() => win.close()).not.toThrow();
  });
});
